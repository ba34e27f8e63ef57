/**
 * Run a StateFunction the way the engine does: check; in-state and invalid end there; a
 * drift is applied unless testing (then it is result None with the predicted changes).
 */
import type { Dict, StateReturn } from '../../../common/types';
import type { StateContext, StateFunction } from '../../../minion/states/contract';

/** The StateReturn of one call, plus any `warnings` a function attached. */
export type TestReturn = StateReturn & { warnings?: string[] };

/** Check, then apply unless testing. */
export async function runState<P>(fn: StateFunction<P>, name: string, args: Dict, ctx: StateContext): Promise<TestReturn> {
  const outcome = await fn.check(name, args, ctx);
  const warnings = (outcome as { warnings?: string[] }).warnings;
  const extra = warnings ? { warnings } : {};
  if (outcome.kind === 'in-state') return { name, result: true, changes: outcome.changes ?? {}, comment: outcome.comment, ...extra };
  if (outcome.kind === 'invalid') return { name, result: false, changes: {}, comment: outcome.comment, ...extra };
  if (ctx.test) return { name, result: null, changes: outcome.changes, comment: outcome.testComment, ...extra };
  const done = await fn.apply(name, args, ctx, outcome.plan);
  const applyWarnings = (done as { warnings?: string[] }).warnings;
  return { name, result: done.result, changes: done.changes, comment: done.comment, ...(applyWarnings ? { warnings: applyWarnings } : {}) };
}
