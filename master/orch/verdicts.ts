/**
 * How an orchestration step judges its minions' returns, worded as Salt's saltmod does: a
 * minion that did not respond or whose states failed fails the step (unless it is in
 * `fail_minions`); the comment names who failed, or who changed and who did not.
 */
import type { Dict, StateReturn } from '../../common/types';
import { NO_RESPONSE_TEXT } from '../jobcache/returns-data';
import type { StepJob } from './step-jobs';

/** What a step records for a minion that never answered (the text Salt's CLI prints for it). */
export const NO_RESPONSE = NO_RESPONSE_TEXT;

/** Whether a state run's return is a success (Salt's check_state_result, recursive). */
export function stateRunSucceeded(ret: unknown): boolean {
  if (typeof ret !== 'object' || ret === null || Array.isArray(ret)) return false;
  const values = Object.values(ret as Dict);
  if (values.length === 0) return true;
  return values.every((v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const item = v as Dict;
    if ('result' in item) return item.result !== false;
    return stateRunSucceeded(item);
  });
}

function hasChanges(ret: unknown): boolean {
  if (typeof ret !== 'object' || ret === null || Array.isArray(ret)) return false;
  return Object.values(ret as Dict).some((v) => typeof v === 'object' && v !== null && !Array.isArray(v) && isNonEmpty((v as Dict).changes));
}

function isNonEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === false) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

/** `fail_minions` as Salt reads it: a list, or a comma-separated string. */
export function failMinionsOf(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  return [];
}

/**
 * The verdict of a salt.state step over its job (or jobs, in batches), as Salt 3006's
 * saltmod.state words it: failing minions and minions with changes are in `changes.ret`.
 */
export function stateStepReturn(name: string, jobs: StepJob[], failMinions: string[], test: boolean): StateReturn {
  const ret: StateReturn = { name, changes: {}, comment: '', result: true };
  const changes: Record<string, unknown> = {};
  const fail: string[] = [];
  const noChange: string[] = [];
  for (const job of jobs) {
    for (const minion of [...job.expected, ...job.missing]) {
      const o = job.outcomes[minion];
      const answered = o !== undefined && o.state !== 'no-response';
      const data = answered ? o.data : NO_RESPONSE;
      if (!answered || !stateRunSucceeded(data)) {
        if (!failMinions.includes(minion)) fail.push(minion);
        changes[minion] = data;
        continue;
      }
      if (hasChanges(data)) changes[minion] = data;
      else noChange.push(minion);
    }
  }
  if (Object.keys(changes).length) ret.changes = { out: 'highstate', ret: changes };
  if (fail.length > 0) {
    ret.result = false;
    ret.comment = `Run failed on minions: ${fail.join(', ')}`;
  } else {
    ret.comment = 'States ran successfully.';
    if (Object.keys(changes).length) ret.comment += ` Updating ${Object.keys(changes).join(', ')}.`;
    if (noChange.length) ret.comment += ` No changes made to ${noChange.join(', ')}.`;
  }
  if (test && Object.keys(ret.changes).length && ret.result === true) ret.result = null;
  return ret;
}

/** The verdict of a salt.function step over its job, as Salt 3006's saltmod.function words it. */
export function functionStepReturn(name: string, fun: string, job: StepJob, failMinions: string[]): StateReturn {
  const ret: StateReturn = { name, changes: {}, comment: '', result: true };
  const changes: Record<string, unknown> = {};
  const fail: string[] = [];
  for (const minion of [...job.expected, ...job.missing]) {
    const o = job.outcomes[minion];
    const answered = o !== undefined && o.state !== 'no-response';
    const data = answered ? o.data : NO_RESPONSE;
    if (answered && o.retcode) {
      ret.result = false;
      fail.push(minion);
    } else if ((!answered || data === false) && !failMinions.includes(minion)) fail.push(minion);
    changes[minion] = data;
  }
  if (Object.keys(changes).length) ret.changes = { ret: changes };
  if (fail.length) {
    ret.result = false;
    ret.comment = `Running function ${fun} failed on minions: ${fail.join(', ')}`;
  } else ret.comment = 'Function ran successfully.';
  if (Object.keys(changes).length) ret.comment += ` Function ${fun} ran on ${Object.keys(changes).join(', ')}.`;
  return ret;
}
