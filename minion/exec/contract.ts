/** The contract of execution functions (`test.ping`, `state.apply`, `grains.items`, ...). */
import type { Dict } from '../../common/types';
import type { MinionRuntime } from '../runtime';

/** How a result is printed by default and what exit status it implies. */
export interface ExecResult {
  data: unknown;
  /** 0 ok; 1 compile/render error; 2 a state failed (Salt's retcodes). */
  retcode: number;
  /** Default outputter, as Salt picks it for the function. */
  outputter: 'highstate' | 'nested' | 'txt';
}

/** One execution function: positional args and kwargs as parsed from the CLI or a job. */
export type ExecFunction = (args: unknown[], kwargs: Dict, minion: MinionRuntime) => Promise<ExecResult> | ExecResult;

/** A plain result printed with the nested outputter. */
export function plain(data: unknown, retcode = 0): ExecResult {
  return { data, retcode, outputter: 'nested' };
}
