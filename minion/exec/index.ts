/** All execution functions by name, and the dispatcher `brine call` uses. */
import { BrineError } from '../../common/errors';
import type { Dict } from '../../common/types';
import type { MinionRuntime } from '../runtime';
import type { ExecFunction, ExecResult } from './contract';
import { cmdFunctions } from './cmd';
import { eventFunctions } from './event';
import { infoFunctions } from './info';
import { pipFunctions } from './pip';
import { pkgFunctions } from './pkg';
import { serviceFunctions } from './service';
import { slsutilFunctions } from './slsutil';
import { stateFunctions } from './state';
import { sysctlFunctions } from './sysctl';

/** Every execution function Brine knows. */
export const execFunctions: Readonly<Record<string, ExecFunction>> = {
  ...infoFunctions,
  ...cmdFunctions,
  ...eventFunctions,
  ...stateFunctions,
  ...slsutilFunctions,
  ...sysctlFunctions,
  ...serviceFunctions,
  ...pkgFunctions,
  ...pipFunctions,
};

/** Call an execution function by name; unknown names and thrown errors become Salt-like failures. */
export async function callFunction(fun: string, args: unknown[], kwargs: Dict, minion: MinionRuntime): Promise<ExecResult> {
  const fn = execFunctions[fun];
  if (!fn) {
    const mod = fun.split('.')[0];
    const known = Object.keys(execFunctions).filter((f) => f.startsWith(`${mod}.`));
    const hint = known.length ? ` Functions of '${mod}': ${known.sort().join(', ')}` : '';
    return { data: `'${fun}' is not available.${hint}`, retcode: 1, outputter: 'nested' };
  }
  try {
    return await fn(args, kwargs, minion);
  } catch (e) {
    const msg = e instanceof BrineError ? e.describe() : `${(e as Error)?.message ?? e}`;
    return { data: `Error running '${fun}': ${msg}`, retcode: 1, outputter: 'nested' };
  }
}
