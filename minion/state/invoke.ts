/**
 * Check-then-apply: run one StateFunction. A drift becomes `result: None` in test mode
 * (with the predicted changes) and is applied otherwise; the same code path either way.
 */
import type { Dict, StateReturn } from '../../common/types';
import type { StateContext, StateFunction } from '../states/contract';

/** Run a state function's check, then its apply unless testing. */
export async function runStateFunction(
  fn: StateFunction<unknown>,
  name: string,
  args: Dict,
  ctx: StateContext,
): Promise<StateReturn> {
  const outcome = await fn.check(name, args, ctx);
  switch (outcome.kind) {
    case 'in-state':
      return withWarnings({ name, changes: outcome.changes ?? {}, result: true, comment: outcome.comment }, outcome.warnings);
    case 'invalid':
      return { name, changes: {}, result: false, comment: outcome.comment };
    case 'drift': {
      if (ctx.test) {
        return withWarnings({ name, changes: outcome.changes, result: null, comment: outcome.testComment }, outcome.warnings);
      }
      const applied = await fn.apply(name, args, ctx, outcome.plan);
      const ret = { name, changes: applied.changes, result: applied.result, comment: applied.comment };
      return withWarnings(ret, applied.warnings ?? outcome.warnings);
    }
  }
}

function withWarnings(ret: StateReturn, warnings: string[] | undefined): StateReturn {
  return warnings?.length ? { ...ret, warnings } : ret;
}
