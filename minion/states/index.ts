/** The state modules Brine ships, for the engine's registry. */
import { cmdModule } from './cmd';
import type { StateModule } from './contract';
import { fileModule } from './file';
import { testModule } from './test';

/** Built-in state modules: file, cmd, test. */
export const builtinStateModules: readonly StateModule[] = [fileModule, cmdModule, testModule];
