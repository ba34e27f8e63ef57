/**
 * Salt's fixed-outcome test states: nop, succeed_without_changes, fail_without_changes,
 * succeed_with_changes, fail_with_changes. Useful to exercise requisites and outputters.
 *
 * Example:
 *
 *     always-changes-and-succeeds:
 *       test.succeed_with_changes:
 *         - name: foo
 *         - comment: optional custom comment
 */
import type { Dict } from '../../../common/types';
import { stateFunction, type Applied } from '../contract';

/** The changes Salt's test states pretend to make. */
export const PRETEND_CHANGES = { testing: { old: 'Unchanged', new: 'Something pretended to change' } };

function commentOr(args: Dict, dflt: string): string {
  return args.comment === undefined || args.comment === null ? dflt : String(args.comment);
}

/** test.nop: always in state, ignores every argument. */
export const nop = stateFunction<never>({
  check: () => ({ kind: 'in-state', comment: 'Success!' }),
  apply: () => ({ result: true, changes: {}, comment: 'Success!' }),
});

/** test.succeed_without_changes: in state with `comment` (default 'Success!'). */
export const succeedWithoutChanges = stateFunction<never>({
  check: (_name, args) => ({ kind: 'in-state', comment: commentOr(args, 'Success!') }),
  apply: (_name, args) => ({ result: true, changes: {}, comment: commentOr(args, 'Success!') }),
});

/** test.fail_without_changes: fails, with Salt's own comment in test mode. */
export const failWithoutChanges = stateFunction<never>({
  check: (_name, args, ctx) => ({
    kind: 'invalid',
    comment: ctx.test ? "If we weren't testing, this would be a failure!" : commentOr(args, 'Failure!'),
  }),
  apply: (_name, args) => ({ result: false, changes: {}, comment: commentOr(args, 'Failure!') }),
});

function withChanges(result: boolean, testComment: string, dflt: string) {
  return stateFunction<null>({
    check: () => ({ kind: 'drift', changes: { testing: { ...PRETEND_CHANGES.testing } }, testComment, plan: null }),
    apply: (_name, args): Applied => ({ result, changes: { testing: { ...PRETEND_CHANGES.testing } }, comment: commentOr(args, dflt) }),
  });
}

/** test.succeed_with_changes: pretends to change something and succeeds (None in test mode). */
export const succeedWithChanges = withChanges(true, "If we weren't testing, this would be successful with changes", 'Success!');

/** test.fail_with_changes: pretends to change something and fails (None in test mode). */
export const failWithChanges = withChanges(false, "If we weren't testing, this would be failed with changes", 'Failure!');
