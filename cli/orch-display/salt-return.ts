/**
 * Picking apart what Salt's `salt.state` / `salt.function` orchestration steps return
 * (salt/states/saltmod.py): the step's status, the minions it names as failed in its comment
 * ("Run failed on minions: a, b", "Running function f failed on minions: a"), the per-minion
 * returns under `changes.ret` (state runs, lists of error strings, "Minion did not return.
 * [No response]"), and the failed states of a minion's state run.
 */
import type { OrchStepStatus } from '../../common/protocol/orch';

/** A JSON-like object. */
export type Dict = Record<string, unknown>;

/** `v` as a plain object, or undefined. */
export function asDict(v: unknown): Dict | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Dict) : undefined;
}

function nonEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === false) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

/** Whether a comment is the state engine's "One or more requisite failed: ..." (the step did not run). */
export function isRequisiteFailure(comment: string | undefined): boolean {
  return typeof comment === 'string' && comment.startsWith('One or more requisite failed');
}

/** The display status of a finished step from its Salt state return. */
export function statusOfReturn(ret: Dict): OrchStepStatus {
  const comment = typeof ret.comment === 'string' ? ret.comment : '';
  if (ret.result === false) return isRequisiteFailure(comment) ? 'skipped' : 'failed';
  if (ret.result === null) return 'changed';
  return nonEmpty(ret.changes) ? 'changed' : 'ok';
}

/** The per-minion returns of a step (`changes.ret`), empty when there are none. */
export function minionReturnsOf(ret: Dict | undefined): Dict {
  return asDict(asDict(ret?.changes)?.ret) ?? {};
}

/** The minions a saltmod comment names as failed (its first line), in its order. */
export function failedMinionsInComment(comment: string | undefined): string[] {
  if (!comment) return [];
  const first = comment.split('\n')[0] ?? '';
  const m = /failed on minions: (.*)$/.exec(first);
  if (!m || !m[1]) return [];
  return m[1].split(',').map((s) => s.trim()).filter(Boolean);
}

/** The `Failures:` block older saltmod versions append to the comment (highstate text), if any. */
export function failuresBlockOf(comment: string | undefined): string | undefined {
  if (!comment) return undefined;
  const at = comment.indexOf('\nFailures:\n');
  if (at < 0) return undefined;
  const block = comment.slice(at + '\nFailures:\n'.length).replace(/\s+$/, '');
  return block || undefined;
}

/** Whether `v` looks like a state run (`{ "<tag>": { result, comment, ... }, ... }`). */
export function isStateRun(v: unknown): v is Dict {
  const d = asDict(v);
  if (!d) return false;
  const values = Object.values(d);
  return values.length > 0 && values.every((item) => asDict(item) !== undefined && 'result' in (item as Dict));
}

/** A minion's state run or function return counts as a success (Salt's check_state_result, shallow). */
export function minionReturnSucceeded(v: unknown): boolean {
  if (isStateRun(v)) return Object.values(v).every((item) => (item as Dict).result !== false);
  return false;
}

/** The parts of a state tag `mod_|-id_|-name_|-fun`. */
export interface StateTagParts {
  mod: string;
  id: string;
  name: string;
  fun: string;
}

/** Split a state tag; undefined when it does not have Salt's four parts. */
export function parseStateTag(tag: string): StateTagParts | undefined {
  const parts = tag.split('_|-');
  if (parts.length !== 4) return undefined;
  const [mod, id, name, fun] = parts as [string, string, string, string];
  return { mod, id, name, fun };
}

/** One failed state of a minion's run, as the display shows it. */
export interface FailedState {
  id: string;
  name: string;
  /** `cmd.run`, `file.managed`, ... */
  fun: string;
  comment: string;
  /** For cmd states (or any state whose changes carry them). */
  stdout?: string;
  stderr?: string;
  retcode?: number;
  /** The changes of a non-command state (undefined when empty). */
  changes?: unknown;
  /** Not run because a requisite failed: shown by name only. */
  requisite: boolean;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** The failed states of a state run, in run order (`__run_num__`). */
export function failedStatesOf(run: Dict): FailedState[] {
  const failed: Array<FailedState & { order: number }> = [];
  for (const [tag, value] of Object.entries(run)) {
    const item = asDict(value);
    if (!item || item.result !== false) continue;
    const parts = parseStateTag(tag);
    const id = text(item.__id__) ?? parts?.id ?? tag;
    const name = text(item.name) ?? parts?.name ?? id;
    const comment = text(item.comment) ?? (Array.isArray(item.comment) ? item.comment.map(String).join('\n') : '');
    const changes = asDict(item.changes) ?? {};
    const isCommand = typeof changes.stdout === 'string' || typeof changes.stderr === 'string';
    const state: FailedState & { order: number } = {
      id,
      name,
      fun: parts ? `${parts.mod}.${parts.fun}` : '',
      comment,
      requisite: isRequisiteFailure(comment),
      order: typeof item.__run_num__ === 'number' ? item.__run_num__ : Number.MAX_SAFE_INTEGER,
    };
    if (isCommand) {
      if (typeof changes.stdout === 'string') state.stdout = changes.stdout;
      if (typeof changes.stderr === 'string') state.stderr = changes.stderr;
      if (typeof changes.retcode === 'number') state.retcode = changes.retcode;
    } else if (Object.keys(changes).length > 0) {
      state.changes = changes;
    }
    failed.push(state);
  }
  failed.sort((a, b) => a.order - b.order);
  return failed.map(({ order: _order, ...state }) => state);
}
