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
  if (fn.run) return fn.run(name, args, ctx);
  const outcome = await fn.check(name, args, ctx);
  switch (outcome.kind) {
    case 'in-state':
      return extras({ name, changes: outcome.changes ?? {}, result: true, comment: outcome.comment }, outcome.warnings, outcome.backend);
    case 'invalid':
      return extras({ name, changes: {}, result: false, comment: outcome.comment }, undefined, outcome.backend);
    case 'drift': {
      if (ctx.test) {
        return extras({ name, changes: outcome.changes, result: null, comment: outcome.testComment }, outcome.warnings, outcome.backend);
      }
      const applied = await fn.apply(name, args, ctx, outcome.plan);
      const ret = { name, changes: applied.changes, result: applied.result, comment: applied.comment };
      return extras(ret, applied.warnings ?? outcome.warnings, applied.backend ?? outcome.backend);
    }
  }
}

/** Add the optional `warnings` and `backend` fields when a module gave them. */
function extras(ret: StateReturn, warnings: string[] | undefined, backend: string | undefined): StateReturn {
  const out: StateReturn = { ...ret };
  if (warnings?.length) out.warnings = warnings;
  if (backend) out.backend = backend;
  return out;
}
