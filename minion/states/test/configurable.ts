/**
 * test.configurable_test_state: a state whose changes, result and comment are arguments.
 *
 * Example:
 *
 *     my-custom-combo:
 *       test.configurable_test_state:
 *         - name: foo
 *         - changes: True      # True, False or Random
 *         - result: False      # True, False or Random
 *         - comment: bar.baz
 *         - warnings: A warning
 *
 * In test mode the result is None unless `changes` is False, and the comment defaults to
 * 'This is a test'. Warnings are attached as a `warnings` list on the outcome.
 */
import type { Dict } from '../../../common/types';
import { stateFunction, type Applied, type CheckOutcome } from '../contract';
import { PRETEND_CHANGES } from './fixed';

/** What `check` decided (random choices are made once, in check). */
export interface ConfigurablePlan {
  result: boolean;
  changes: Dict;
  comment: string;
  warnings?: string[];
}

function isRandom(v: unknown): boolean {
  return typeof v !== 'boolean' && String(v).toLowerCase() === 'random';
}

function coin(): boolean {
  return Math.random() < 0.5;
}

function withWarnings<T extends object>(outcome: T, warnings: string[] | undefined): T {
  return warnings ? Object.assign(outcome, { warnings }) : outcome;
}

function checkConfigurable(args: Dict, test: boolean): CheckOutcome<ConfigurablePlan> {
  const changesArg = args.changes === undefined ? true : args.changes;
  const resultArg = args.result === undefined ? true : args.result;
  const comment = args.comment === undefined || args.comment === null ? '' : String(args.comment);
  if (changesArg !== true && changesArg !== false && !isRandom(changesArg)) {
    return { kind: 'invalid', comment: "You have specified the state option 'changes' with invalid arguments. It must be either True, False, or 'Random'" };
  }
  if (typeof resultArg !== 'boolean' && !isRandom(resultArg)) {
    return { kind: 'invalid', comment: "You have specified the state option 'result' with invalid arguments. It must be either True, False, or 'Random'" };
  }
  const w = args.warnings;
  if (w !== undefined && w !== null && typeof w !== 'string' && !Array.isArray(w)) {
    return { kind: 'invalid', comment: "You have specified the state option 'warnings' with invalid arguments. It must be a string or a list of strings" };
  }
  const warnings = w === undefined || w === null ? undefined : typeof w === 'string' ? [w] : w.map(String);
  const changes: Dict = changesArg === true || (changesArg !== false && coin()) ? { testing: { ...PRETEND_CHANGES.testing } } : {};
  const result = typeof resultArg === 'boolean' ? resultArg : coin();
  const plan: ConfigurablePlan = { result, changes, comment, warnings };

  if (test) {
    const testComment = comment || 'This is a test';
    if (changesArg === false) return withWarnings({ kind: 'in-state', comment: testComment }, warnings);
    return withWarnings({ kind: 'drift', changes, testComment, plan }, warnings);
  }
  if (Object.keys(changes).length) return withWarnings({ kind: 'drift', changes, testComment: comment, plan }, warnings);
  if (result) return withWarnings({ kind: 'in-state', comment }, warnings);
  return withWarnings({ kind: 'invalid', comment }, warnings);
}

function applyConfigurable(plan: ConfigurablePlan): Applied {
  return withWarnings({ result: plan.result, changes: plan.changes, comment: plan.comment }, plan.warnings);
}

/** test.configurable_test_state as a check-then-apply state function. */
export const configurableTestState = stateFunction<ConfigurablePlan>({
  check: (_name, args, ctx) => checkConfigurable(args, ctx.test),
  apply: (_name, _args, _ctx, plan) => applyConfigurable(plan),
});
