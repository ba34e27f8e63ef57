/**
 * The words both display modes use for a step: its minion counts, who is still working, and why
 * it failed.
 */
import type { MinionProgress } from '../../common/protocol/orch';
import { stateCounts, type StepView } from './run-model';
import { firstLine, oneLine, plural } from './text';

/** Minions in a given state, in the master's order. */
export function minionsIn(step: StepView, ...states: Array<MinionProgress['state']>): string[] {
  return Object.entries(step.minions)
    .filter(([, m]) => states.includes(m.state))
    .map(([id]) => oneLine(id));
}

/** `12/31 states on 3 minions`, `3 minions` (nothing to count), or '' (no minions). */
export function countsText(step: StepView): string {
  const n = Object.keys(step.minions).length;
  if (n === 0) return '';
  const { done, total } = stateCounts(step);
  if (total === 0) return plural(n, 'minion');
  return `${done}/${total} states on ${plural(n, 'minion')}`;
}

/** Why a step failed: the minions that failed or did not respond, else the first line of Salt's comment. */
export function failureReason(step: StepView): string {
  const reasons: string[] = [];
  for (const [id, m] of Object.entries(step.minions)) {
    if (m.state === 'no-response') reasons.push(`${oneLine(id)} did not respond`);
    else if (m.state === 'failed') reasons.push(`${oneLine(id)} failed`);
  }
  if (reasons.length > 0) return reasons.join(', ');
  return firstLine(step.comment) || 'failed';
}

/** What a minion's end looks like in a log line: `ctrl-1.lab ok, 12/12 states`, `ctrl-3.lab did not respond`. */
export function minionEndText(id: string, m: MinionProgress): string {
  const name = oneLine(id);
  if (m.state === 'no-response') return `${name} did not respond`;
  const counts = m.total > 0 ? `, ${m.done}/${m.total} states` : '';
  return `${name} ${m.state}${counts}`;
}
