/**
 * The `pkg` state module over the apt backend: installed, latest, removed, purged, and
 * mod_watch (a watched change re-runs the watching pkg state, as Salt's pkg.mod_watch does).
 */
import type { Dict, StateReturn } from '../../../common/types';
import { runStateFunction } from '../../state/invoke';
import type { StateContext, StateFunction, StateModule } from '../contract';
import { installed } from './installed';
import { latest } from './latest';
import { purged, removed } from './uninstall';

const functions: Record<string, StateFunction<unknown>> = {
  installed: installed as StateFunction<unknown>,
  latest: latest as StateFunction<unknown>,
  removed: removed as StateFunction<unknown>,
  purged: purged as StateFunction<unknown>,
};

/** Salt's pkg.mod_watch: run the watching function again; others do not support watch. */
export async function pkgModWatch(name: string, args: Dict, ctx: StateContext): Promise<StateReturn> {
  const sfun = String(args.sfun ?? '');
  const rest: Dict = { ...args };
  delete rest.sfun;
  const fn = functions[sfun];
  if (fn) return runStateFunction(fn, name, rest, ctx);
  return { name, changes: {}, result: false, comment: `pkg.${sfun} does not work with the watch requisite` };
}

/** The pkg state module (apt/dpkg hosts). */
export const pkgModule: StateModule = { name: 'pkg', functions, modWatch: pkgModWatch };
