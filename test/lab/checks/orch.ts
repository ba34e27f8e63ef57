/**
 * Checks 1 and 5 on an orchestration's result: every step ok (its result per step printed);
 * on a second run, no deploy step changed anything (and which steps did, if any).
 */
import type { OrchStep } from '../parse/orch-result';
import { seconds } from '../timing';
import { verdict, type Verdict } from '../verdict';

/** One line per step: ID, status, duration, comment's first line. */
export function stepTable(steps: readonly OrchStep[]): string[] {
  const w = Math.max(4, ...steps.map((s) => s.id.length));
  return steps.map((s) => `${s.id.padEnd(w)}  ${s.status.padEnd(7)}  ${seconds(s.durationMs).padStart(8)}  ${(s.comment.split('\n')[0] ?? '').slice(0, 110)}`);
}

/** Every step succeeded (result true), and there were steps. */
export function judgeAllOk(label: string, steps: readonly OrchStep[], retcode: number | undefined): Verdict {
  const bad = steps.filter((s) => s.result !== true);
  const ok = steps.length > 0 && bad.length === 0 && retcode === 0;
  const detail = ok
    ? `${steps.length} steps, all ok (retcode 0)`
    : `${steps.length} steps, ${bad.length} not ok${bad.length ? `: ${bad.map((s) => `${s.id} (${s.status}: ${s.comment.split('\n')[0] ?? ''})`).join('; ')}` : ''}; retcode ${retcode ?? '(none)'}`;
  return verdict(label, ok, detail);
}

/** Whether a step is one of the deploy steps (`* deploy` in prereqos). */
export function isDeployStep(s: OrchStep): boolean {
  return / deploy$/.test(s.id);
}

/** On a second run: the deploy steps report no changes; the steps that did change are named. */
export function judgeNoChanges(label: string, steps: readonly OrchStep[]): Verdict {
  const changed = steps.filter((s) => s.status === 'changed');
  const deployChanged = changed.filter(isDeployStep);
  const what = (s: OrchStep): string => `${s.id} (${Object.entries(s.minions).map(([m, p]) => `${m}: ${p.changed.join(', ')}`).join('; ')})`;
  const ok = steps.length > 0 && deployChanged.length === 0;
  const detail = changed.length === 0 ? `no step changed anything (${steps.filter(isDeployStep).length} deploy steps, ${steps.length} steps)` : `changed: ${changed.map(what).join(' | ')}`;
  return verdict(label, ok, detail);
}
