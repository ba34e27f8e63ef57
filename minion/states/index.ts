/** The state modules Brine ships, for the engine's registry. */
import { cmdModule } from './cmd';
import type { StateModule } from './contract';
import { fileModule } from './file';
import { pkgModule } from './pkg';
import { pipModule } from './pip';
import { pkgrepoModule } from './pkgrepo';
import { serviceModule } from './service';
import { sysctlModule } from './sysctl';
import { testModule } from './test';

/** Built-in state modules. */
export const builtinStateModules: readonly StateModule[] = [fileModule, cmdModule, testModule, pkgModule, sysctlModule, pkgrepoModule, serviceModule, pipModule];
