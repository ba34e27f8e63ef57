/**
 * cmd's mod_watch: when a watched state changed, cmd.wait/cmd.run run their command and
 * cmd.wait_script/cmd.script their script (in test mode: what would have been executed).
 */
import type { Dict, StateReturn } from '../../../common/types';
import type { StateContext, StateFunction } from '../contract';
import { runStateFunction } from '../../state/invoke';
import { pyStr } from './args';
import { run } from './run';
import { script } from './script';

/** Salt's cmd.mod_watch, dispatching on `sfun` (the function that was watched). */
export async function cmdModWatch(name: string, args: Dict, ctx: StateContext): Promise<StateReturn> {
  const sfun = pyStr(args.sfun);
  const rest: Dict = { ...args };
  delete rest.sfun;
  if (sfun === 'wait' || sfun === 'run' || sfun === 'watch') return runStateFunction(run as StateFunction<unknown>, name, rest, ctx);
  if (sfun === 'wait_script' || sfun === 'script') return runStateFunction(script as StateFunction<unknown>, name, rest, ctx);
  if (sfun === 'wait_call' || sfun === 'call') {
    return { name, changes: {}, result: false, comment: `cmd.${sfun} needs a named parameter func` };
  }
  return {
    name,
    changes: {},
    result: false,
    comment: `cmd.${sfun} does not work with the watch requisite, please use cmd.wait or cmd.wait_script`,
  };
}
