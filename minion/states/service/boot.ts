/**
 * Salt's _enable and _disable: make a service start (or not) at boot, with the comment saying
 * what the service is doing besides (`started`: true running, false dead, null as wanted).
 * Only called when not testing; test mode stops at the check.
 */
import type { ServiceActionOptions, ServiceBackend } from '../../backends/init-system';
import { isToolError, type StepResult } from './outcome';

function doing(started: boolean | null): string {
  return started === true ? 'is running' : started === null ? 'is in the desired state' : 'is dead';
}

/**
 * Enable at boot. `result` is what the step reports when nothing fails.
 *
 * Example: `await bootEnable(backend, 'ssh', true, true, {})` ->
 * `{ result: true, changes: { ssh: true }, comment: 'Service ssh has been enabled, and is running' }`
 */
export async function bootEnable(b: ServiceBackend, name: string, started: boolean | null, result: boolean, opts: ServiceActionOptions): Promise<StepResult> {
  const step: StepResult = { result };
  const before = await b.enabled(name);
  if (before) {
    if (started === null) step.changes = {};
    step.comment = `Service ${name} is already enabled, and ${doing(started)}`;
    return step;
  }
  let error: string | undefined;
  try {
    if (await b.enable(name, opts)) {
      const after = await b.enabled(name);
      step.changes = before !== after ? { [name]: true } : {};
      step.comment = `Service ${name} has been enabled, and ${doing(started)}`;
      return step;
    }
  } catch (e) {
    if (!isToolError(e)) throw e;
    error = e.message;
  }
  step.result = false;
  step.comment =
    started === true
      ? `Failed when setting service ${name} to start at boot, but the service is running`
      : started === null
        ? `Failed when setting service ${name} to start at boot, but the service was already running`
        : `Failed when setting service ${name} to start at boot, and the service is dead`;
  if (error) step.comment += `. Additional information follows:\n\n${error}`;
  return step;
}

/**
 * Disable at boot.
 *
 * Example: `await bootDisable(backend, 'ssh', null, true, {})` ->
 * `{ result: true, changes: { ssh: true }, comment: 'Service ssh has been disabled, and is in the desired state' }`
 */
export async function bootDisable(b: ServiceBackend, name: string, started: boolean | null, result: boolean, opts: ServiceActionOptions): Promise<StepResult> {
  const step: StepResult = { result };
  const before = await b.disabled(name);
  if (before) {
    if (started === null) step.changes = {};
    step.comment = `Service ${name} is already disabled, and ${doing(started)}`;
    return step;
  }
  if (await b.disable(name, opts)) {
    const after = await b.disabled(name);
    step.changes = before !== after ? { [name]: true } : {};
    step.comment = `Service ${name} has been disabled, and ${doing(started)}`;
    return step;
  }
  step.result = false;
  step.comment =
    started === true
      ? `Failed when setting service ${name} to not start at boot, and is running`
      : started === null
        ? `Failed when setting service ${name} to not start at boot, but the service was already running`
        : `Failed when setting service ${name} to not start at boot, and the service is dead`;
  return step;
}

/** The boot change `enable` asks for, given whether the service starts at boot now (null: none). */
export function bootChangeWanted(enable: boolean | null, enabledNow: boolean): 'enable' | 'disable' | null {
  if (enable === true && !enabledNow) return 'enable';
  if (enable === false && enabledNow) return 'disable';
  return null;
}
