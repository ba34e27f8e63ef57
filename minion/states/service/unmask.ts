/**
 * The `unmask`/`unmask_runtime` arguments of service.running: Salt runs its service.unmasked
 * state first and appends that state's comment to running's.
 */
import type { ServiceBackend } from '../../backends/init-system';
import { isToolError } from './outcome';

/** What unmasking would do: whether a mask is set, and the comment when nothing is to be done. */
export interface UnmaskPreview {
  needed: boolean;
  /** The comment when no unmask will run (masking unavailable, already unmasked, an error). */
  comment: string;
  /** The test-mode comment when `needed`. */
  testComment: string;
}

function action(runtime: boolean): string {
  return runtime ? 'runtime unmasked' : 'unmasked';
}

/**
 * Look at the mask without changing it.
 *
 * Example: `await previewUnmask(backend, 'nginx', false)` ->
 * `{ needed: false, comment: 'Service nginx was already unmasked', ... }`
 */
export async function previewUnmask(b: ServiceBackend, name: string, runtime: boolean): Promise<UnmaskPreview> {
  const none = { needed: false, testComment: '' };
  if (!b.masked) return { ...none, comment: 'Service masking not available on this minion' };
  try {
    if (!(await b.masked(name, runtime))) return { ...none, comment: `Service ${name} was already ${action(runtime)}` };
  } catch (e) {
    if (!isToolError(e)) throw e;
    return { ...none, comment: e.message };
  }
  return { needed: true, comment: '', testComment: `Service ${name} would be ${action(runtime)}` };
}

/**
 * Unmask (Salt's service.unmasked outside test mode) and return its comment.
 *
 * Example: `await runUnmask(backend, 'nginx', false)` -> `'Service nginx was unmasked'`
 */
export async function runUnmask(b: ServiceBackend, name: string, runtime: boolean): Promise<string> {
  const preview = await previewUnmask(b, name, runtime);
  if (!preview.needed || !b.unmask || !b.masked) return preview.comment;
  try {
    await b.unmask(name, runtime);
    return (await b.masked(name, runtime)) ? `Failed to unmask service ${name}` : `Service ${name} was ${action(runtime)}`;
  } catch (e) {
    if (!isToolError(e)) throw e;
    return e.message;
  }
}
