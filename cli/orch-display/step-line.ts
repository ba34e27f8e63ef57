/**
 * One step's line in the live terminal display: symbol and status word, step ID, elapsed time
 * (ticking while it runs), a bar when there are states to count, and what is going on
 * (`12/31 states on 3 minions; working: ctrl-2.lab, ctrl-3.lab`).
 */
import type { Colors } from '../output/colors';
import { isFinal, stateCounts, stepDuration, type StepView } from './run-model';
import { countsText, failureReason, minionsIn } from './step-text';
import { statusColor, statusWord } from './summary';
import { cut, firstLine, formatDuration, nameList, oneLine } from './text';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const WORD_WIDTH = 7;
const ELAPSED_WIDTH = 8;

/** What a line needs besides its step. */
export interface LineContext {
  now: number;
  /** Width of the step ID column. */
  idWidth: number;
  /** Terminal columns: the line stays shorter than this. */
  width: number;
  colors: Colors;
  /** Draws a bar for a progress between 0 and 1. */
  bar: (progress: number) => string;
}

function symbol(step: StepView, now: number): string {
  switch (step.status) {
    case 'running':
      return SPINNER[Math.floor(now / 80) % SPINNER.length] ?? '*';
    case 'ok':
    case 'changed':
      return '✔';
    case 'failed':
      return '✖';
    case 'skipped':
      return '↷';
    case 'waiting':
      return '·';
  }
}

function elapsed(step: StepView, now: number): string {
  if (step.status === 'running' && step.startedAt !== undefined) return formatDuration(now - step.startedAt);
  if (!isFinal(step.status)) return '';
  const d = stepDuration(step);
  return d === undefined ? '' : formatDuration(d);
}

function detail(step: StepView): string {
  const counts = countsText(step);
  switch (step.status) {
    case 'waiting':
      return step.finishedEarlier ? 'finished in an earlier run' : '';
    case 'running': {
      if (!counts) return step.stepJid ? `job ${oneLine(step.stepJid)}` : 'starting';
      const parts = [counts];
      const failed = minionsIn(step, 'failed');
      if (failed.length > 0) parts.push(`failed: ${nameList(failed, 3)}`);
      const silent = minionsIn(step, 'no-response');
      if (silent.length > 0) parts.push(`no response: ${nameList(silent, 3)}`);
      const working = minionsIn(step, 'running', 'waiting');
      if (working.length > 0) parts.push(`working: ${nameList(working, 3)}`);
      return parts.join('; ');
    }
    case 'ok':
    case 'changed':
      return counts || firstLine(step.comment);
    case 'failed':
      return counts ? `${failureReason(step)}; ${counts}` : failureReason(step);
    case 'skipped':
      return firstLine(step.comment);
  }
}

/** The line of `step`, shorter than `ctx.width` columns. */
export function stepLine(step: StepView, ctx: LineContext): string {
  const color = statusColor(step.status, ctx.colors);
  const end = color ? ctx.colors.ENDC : '';
  const head = `${color}${symbol(step, ctx.now)} ${statusWord(step).padEnd(WORD_WIDTH)}${end}`;
  const { done, total } = stateCounts(step);
  // Steps with nothing to count write their detail where the bar would be.
  const bar = total > 0 ? `${ctx.bar(Math.min(1, done / total))}  ` : '';
  const id = cut(oneLine(step.info.id), ctx.idWidth).padEnd(ctx.idWidth);
  const rest = `  ${id}  ${elapsed(step, ctx.now).padStart(ELAPSED_WIDTH)}  ${bar}${detail(step)}`.trimEnd();
  // Visible width below the terminal's (the head's escape codes take no columns).
  const budget = ctx.width - 1 - (WORD_WIDTH + 2);
  return head + cut(rest, Math.max(0, budget));
}
