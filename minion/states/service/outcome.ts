/**
 * Building service results the way Salt's service states do: a return that later steps update
 * (Python's `ret.update(...)`), tagged with the backend that read or changed the host.
 */
import type { Dict } from '../../../common/types';
import type { ServiceBackend, ServiceBackendName } from '../../backends/init-system';
import { ServiceToolError } from '../../backends/sysvinit/run';
import { CommandError } from '../cmd/args';

/** A step's contribution to the result (keys it leaves out are kept). */
export interface StepResult {
  result?: boolean | null;
  comment?: string;
  changes?: Dict;
}

/** A service state's result while it is being built. */
export interface ServiceResult {
  result: boolean;
  comment: string;
  changes: Dict;
  warnings?: string[];
  /** Which init system read or changed the host (`systemd` or `sysvinit`). */
  backend: ServiceBackendName;
}

/** A fresh result: success, no changes, empty comment. */
export function freshResult(backend: ServiceBackend): ServiceResult {
  return { result: true, comment: '', changes: {}, backend: backend.name };
}

/** Python's `ret.update(step)`. */
export function applyStep(ret: ServiceResult, step: StepResult): void {
  if (step.result !== undefined) ret.result = step.result === true;
  if (step.comment !== undefined) ret.comment = step.comment;
  if (step.changes !== undefined) ret.changes = step.changes;
}

/** Add warnings without repeating one (Salt's _add_warnings). */
export function addWarnings(ret: ServiceResult, warnings: string[]): void {
  if (!warnings.length) return;
  const all = ret.warnings ?? [];
  for (const w of warnings) if (!all.includes(w)) all.push(w);
  ret.warnings = all;
}

/** Whether an error is one Salt's service states report as the comment (CommandExecutionError). */
export function isToolError(e: unknown): e is Error {
  return e instanceof ServiceToolError || e instanceof CommandError;
}

/** Wait `seconds` (init_delay). */
export type Sleeper = (seconds: number) => Promise<void>;

/** The real sleeper. */
export const realSleep: Sleeper = (seconds) => new Promise((r) => setTimeout(r, seconds * 1000));

/** Ask the backend whether a service exists; a failing tool becomes the comment of an `invalid` outcome. */
export async function availability(
  backend: ServiceBackend,
  name: string,
): Promise<{ ok: true; available: boolean } | { ok: false; comment: string }> {
  try {
    return { ok: true, available: await backend.available(name) };
  } catch (e) {
    if (!isToolError(e)) throw e;
    return { ok: false, comment: e.message };
  }
}
