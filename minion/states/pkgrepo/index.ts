/** The `pkgrepo` state module (APT): pkgrepo.managed and pkgrepo.absent. */
import type { StateModule } from '../contract';
import { absentState } from './absent';
import type { PkgrepoOptions } from './args';
import { managedState } from './managed';

export type { PkgrepoOptions } from './args';

/** A pkgrepo module over other apt directories (for tests). */
export function createPkgrepoModule(options: PkgrepoOptions = {}): StateModule {
  return { name: 'pkgrepo', functions: { managed: managedState(options), absent: absentState(options) } };
}

/** Salt's pkgrepo states that Brine implements, on this host's apt configuration. */
export const pkgrepoModule: StateModule = createPkgrepoModule();
