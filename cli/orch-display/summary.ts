/**
 * The end-of-run summary: one row per step (status, minions ok/total, duration) and the totals
 * line (`9 steps: 8 ok, 1 failed, 0 skipped in 1m 02s`).
 */
import type { OrchStepStatus } from '../../common/protocol/orch';
import type { Colors } from '../output/colors';
import { isFinal, stepDuration, type OrchRunModel, type StepView } from './run-model';
import { failedMinionsInComment, minionReturnsOf } from './salt-return';
import { formatDuration, oneLine, plural } from './text';

/** The colour of a status word. */
export function statusColor(status: OrchStepStatus, colors: Colors): string {
  switch (status) {
    case 'ok':
      return colors.GREEN;
    case 'changed':
      return colors.CYAN;
    case 'failed':
      return colors.RED;
    case 'skipped':
      return colors.YELLOW;
    case 'running':
      return colors.LIGHT_BLUE;
    case 'waiting':
      return colors.DEFAULT_COLOR;
  }
}

/** The status word of a step (`earlier` for a step that ended in a run being resumed and is not reported yet). */
export function statusWord(step: StepView): string {
  return step.finishedEarlier && !isFinal(step.status) ? 'earlier' : step.status;
}

/** Minions named in a successful saltmod comment ("Updating a, b. No changes made to c."). */
function okMinionsInComment(comment: string | undefined): string[] {
  const first = (comment ?? '').split('\n')[0] ?? '';
  const names: string[] = [];
  const updating = / Updating (.*?)\.(?= No changes made to |$)/.exec(first);
  const unchanged = / No changes made to (.*)\.$/.exec(first);
  for (const m of [updating, unchanged]) if (m?.[1]) names.push(...m[1].split(', ').filter(Boolean));
  return names;
}

/** `ok/total` minions of a step, `-` when it targeted none (or none is known). */
export function minionsCell(step: StepView): string {
  const progress = Object.values(step.minions);
  if (progress.length > 0) return `${progress.filter((m) => m.state === 'ok').length}/${progress.length}`;
  const ok = okMinionsInComment(step.comment);
  const failed = failedMinionsInComment(step.comment);
  const all = new Set([...ok, ...failed, ...Object.keys(minionReturnsOf(step.ret))]);
  if (all.size === 0) return '-';
  return `${ok.filter((m) => !failed.includes(m)).length}/${all.size}`;
}

/** The summary table's lines. */
export function summaryTableLines(model: OrchRunModel, colors: Colors): string[] {
  const rows = model.steps.map((step) => {
    const duration = stepDuration(step);
    return {
      id: oneLine(step.info.id),
      status: statusWord(step),
      color: statusColor(step.status, colors),
      minions: minionsCell(step),
      duration: duration === undefined ? '-' : formatDuration(duration),
    };
  });
  const header = { id: 'Step', status: 'Status', minions: 'Minions', duration: 'Duration' };
  const w = {
    id: Math.max(header.id.length, ...rows.map((r) => r.id.length)),
    status: Math.max(header.status.length, ...rows.map((r) => r.status.length)),
    minions: Math.max(header.minions.length, ...rows.map((r) => r.minions.length)),
  };
  const line = (id: string, status: string, minions: string, duration: string, color = ''): string => {
    const end = color ? colors.ENDC : '';
    return `${id.padEnd(w.id)}  ${color}${status.padEnd(w.status)}${end}  ${minions.padEnd(w.minions)}  ${duration}`.trimEnd();
  };
  return [line(header.id, header.status, header.minions, header.duration), ...rows.map((r) => line(r.id, r.status, r.minions, r.duration, r.color))];
}

/** The totals line; `now` ends the run's duration when `orch-done` never came. */
export function totalsLine(model: OrchRunModel, colors: Colors, now: number): string {
  let ok = 0;
  let changed = 0;
  let failed = 0;
  let skipped = 0;
  let unfinished = 0;
  for (const step of model.steps) {
    if (step.status === 'ok') ok++;
    else if (step.status === 'changed') {
      ok++;
      changed++;
    } else if (step.status === 'failed') failed++;
    else if (step.status === 'skipped') skipped++;
    else unfinished++;
  }
  const paint = (n: number, text: string, color: string): string => (n > 0 && color ? `${color}${text}${colors.ENDC}` : text);
  const parts = [
    paint(ok, `${ok} ok${changed > 0 ? ` (${changed} changed)` : ''}`, colors.GREEN),
    paint(failed, `${failed} failed`, colors.RED),
    paint(skipped, `${skipped} skipped`, colors.YELLOW),
  ];
  if (unfinished > 0) parts.push(paint(unfinished, `${unfinished} not finished`, colors.YELLOW));
  const end = model.doneAt ?? now;
  const elapsed = model.startedAt === undefined ? '' : ` in ${formatDuration(end - model.startedAt)}`;
  return `${plural(model.steps.length, 'step')}: ${parts.join(', ')}${elapsed}`;
}

/** The whole end-of-run summary: table, totals, and a note when the run did not finish. */
export function summaryLines(model: OrchRunModel, colors: Colors, now: number): string[] {
  const lines = [...summaryTableLines(model, colors), totalsLine(model, colors, now)];
  if (!model.done) {
    const jid = model.jid ? ` (brine jobs show ${model.jid})` : '';
    lines.push(`${colors.YELLOW}No final result from the master: the orchestration may still be running${jid}.${colors.ENDC}`);
  }
  return lines;
}
