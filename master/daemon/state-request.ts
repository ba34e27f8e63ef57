/**
 * Which jobs the master compiles before sending (state.apply, state.sls, state.highstate), which
 * need the minion's pillar, and how a state job's arguments become a render request.
 */
import { isDict } from '../../common/sls/shape';
import type { Dict } from '../../common/types';
import { parseMods } from '../../minion/exec/state';

/** Functions whose states the master renders and compiles for each minion. */
export const COMPILED_STATE_FUNCTIONS: ReadonlySet<string> = new Set(['state.apply', 'state.sls', 'state.highstate']);

/** Whether the minion needs its pillar to run `fun` (sent only to it, inside its sealed job). */
export function needsPillar(fun: string): boolean {
  return fun.startsWith('state.') || fun.startsWith('pillar.') || fun.startsWith('slsutil.') || fun === 'config.get';
}

/** What to compile for a state job: its SLS names (undefined = highstate), test mode, pillar override, saltenv, exclude. */
export interface StateJobArgs {
  mods: string[] | undefined;
  test: boolean;
  pillarOverride?: Dict;
  saltenv?: string;
  exclude?: unknown[];
}

/** Read a state job's arguments as Salt's state.apply does; an error message for bad ones. */
export function stateJobArgs(fun: string, args: unknown[], kwargs: Dict): StateJobArgs | { error: string } {
  const mods = fun === 'state.highstate' ? undefined : parseMods(args[0] ?? kwargs.mods);
  if (fun === 'state.sls' && !mods) return { error: 'No SLS given: state.sls needs the names of SLS files to apply' };
  let pillar = kwargs.pillar;
  if (typeof pillar === 'string') {
    try {
      pillar = JSON.parse(pillar);
    } catch {
      return { error: `Pillar data must be formatted as a dictionary, got: ${pillar}` };
    }
  }
  if (pillar !== undefined && !isDict(pillar)) return { error: 'Pillar data must be formatted as a dictionary' };
  const out: StateJobArgs = { mods, test: kwargs.test === true || kwargs.test === 'True' || kwargs.test === 'true' };
  if (pillar !== undefined) out.pillarOverride = pillar as Dict;
  if (typeof kwargs.saltenv === 'string') out.saltenv = kwargs.saltenv;
  if (kwargs.exclude !== undefined) out.exclude = parseMods(kwargs.exclude);
  return out;
}
