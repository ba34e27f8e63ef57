/**
 * The contract every state module implements.
 *
 * A state function is check-then-apply (as mgmt's CheckApply): `check` reads the host and
 * says what differs from what is wanted; `apply` changes the host and is only called when
 * not testing. Test mode is the same code path with `apply` skipped, so what `test=True`
 * predicts is what a real run does.
 */
import type { Dict, FileSource, LowChunk, StateReturn } from '../../common/types';

/** What a state function may use besides its arguments. */
export interface StateContext {
  /** True for `test=True` runs: nothing may be changed. */
  readonly test: boolean;
  /** The saltenv the chunk was compiled in (`__env__`). */
  readonly saltenv: string;
  /** The SLS the chunk comes from (`__sls__`), for template context (`sls`, `slspath`). */
  readonly sls: string;
  /** The state ID (`__id__`). */
  readonly id: string;
  readonly pillar: Dict;
  readonly grains: Dict;
  readonly opts: Dict;
  /** `salt://` access. */
  readonly files: FileSource;
  /**
   * Render a file's text with a template engine (`template: jinja`), with the minion's
   * pillar/grains/opts and `context`/`defaults` merged in. `source` names the file in errors.
   */
  renderTemplate(text: string, engine: string, source: string, context?: Dict): string;
  /** The whole low chunk, for functions that read global keywords (orchestration's `failhard` for batches). */
  readonly chunk?: Readonly<LowChunk>;
}

/** The outcome of `check` when the host is already as wanted. */
export interface InState {
  kind: 'in-state';
  comment: string;
  /** Warnings shown to the operator (Salt's `warnings` list). */
  warnings?: string[];
  /** Which OS backend was consulted (reported in the result as `backend`). */
  backend?: string;
  /** Rarely non-empty (Salt reports some no-op changes); usually `{}`. */
  changes?: Dict;
}

/** The outcome of `check` when something must change. */
export interface Drift<P = unknown> {
  kind: 'drift';
  warnings?: string[];
  backend?: string;
  /** The changes Salt shows in test mode (and usually also after applying). */
  changes: Dict;
  /** Salt's test-mode comment ("The file /x is set to be changed", ...). */
  testComment: string;
  /** Anything `check` learned that `apply` needs (saves reading the host twice). */
  plan: P;
}

/** The outcome of `check` when the state cannot be applied at all (bad arguments, missing source). */
export interface Invalid {
  kind: 'invalid';
  backend?: string;
  comment: string;
}

export type CheckOutcome<P = unknown> = InState | Drift<P> | Invalid;

/** What `apply` reports: the changes made, the comment, and whether it worked. */
export interface Applied {
  warnings?: string[];
  backend?: string;
  result: boolean;
  changes: Dict;
  comment: string;
}

/** One state function (`file.managed`, `cmd.run`, ...). */
export interface StateFunction<P = unknown> {
  /** Read the host and compare with the wanted state; never changes anything. */
  check(name: string, args: Dict, ctx: StateContext): Promise<CheckOutcome<P>> | CheckOutcome<P>;
  /** Make the change `check` found. Never called in test mode. */
  apply(name: string, args: Dict, ctx: StateContext, plan: P): Promise<Applied> | Applied;
  /**
   * For states whose check cannot be separated from their action (orchestration steps: in test
   * mode they run the step on the minions with test=True): when present, the engine calls this
   * instead of check and apply, in both modes, and takes its return as the state's result.
   */
  run?(name: string, args: Dict, ctx: StateContext): Promise<StateReturn> | StateReturn;
}

/**
 * `mod_watch`: what a state does when something it watches changed
 * (cmd.wait and cmd.run run their command; service restarts, in a later module).
 * Receives the chunk's arguments including `sfun` (the state function that was called).
 */
export type ModWatch = (name: string, args: Dict, ctx: StateContext) => Promise<StateReturn> | StateReturn;

/** A state module: its functions by name, and its optional mod_watch. */
export interface StateModule {
  readonly name: string;
  readonly functions: Readonly<Record<string, StateFunction<unknown>>>;
  readonly modWatch?: ModWatch;
}

/** Build a StateFunction with its plan type inferred. */
export function stateFunction<P>(fn: StateFunction<P>): StateFunction<P> {
  return fn;
}
