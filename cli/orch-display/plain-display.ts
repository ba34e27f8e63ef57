/**
 * The display for logs and CI: one plain line per thing that happened, each starting with an
 * ISO-8601 UTC timestamp, never rewriting a line; progress only when a minion finishes.
 */
import type { MinionProgress, OrchEvent } from '../../common/protocol/orch';
import type { Colors } from '../output/colors';
import { failureLines } from './failures';
import { isFinal, stepDuration, type OrchRunModel, type StepView } from './run-model';
import { failureReason, minionEndText } from './step-text';
import { statusColor, summaryLines } from './summary';
import { firstLine, formatDuration, isoTime, oneLine, plural } from './text';

/** What has been printed of a step already. */
interface Printed {
  /** The `running on ...` line's targets and job, once printed. */
  announced?: string;
  /** Minions whose end was printed. */
  ended: Set<string>;
  /** The final status printed. */
  final?: string;
}

/** Writes plain timestamped lines. */
export class PlainDisplay {
  private readonly printed = new Map<string, Printed>();
  private reported = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly model: OrchRunModel,
    private readonly colors: Colors,
    private readonly now: () => number,
  ) {}

  /** Print the lines an event (already applied to the model) calls for. */
  show(event: OrchEvent, touched: StepView[]): void {
    if (event.type === 'orch-start') this.line(event.at, this.startText(event));
    else if (event.type === 'orch-step') for (const step of touched) this.stepLines(step, event.at);
    else {
      for (const step of touched) this.stepLines(step, event.at);
      this.line(event.at, `${this.runName()}: finished, retcode ${event.retcode}`);
      this.report();
    }
  }

  /** A message of the caller's, as a timestamped line. */
  log(message: string): void {
    this.line(this.now(), oneLine(message));
  }

  /** Print the end-of-run report if `orch-done` did not (the run was interrupted or lost). */
  finish(): void {
    if (!this.reported) {
      this.line(this.now(), `${this.runName()}: no final result received`);
      this.report();
    }
  }

  private report(): void {
    if (this.reported) return;
    this.reported = true;
    const failures = failureLines(this.model, this.colors);
    const text = [...(failures.length ? ['', ...failures] : []), '', ...summaryLines(this.model, this.colors, this.now())];
    this.write(`${text.join('\n')}\n`);
  }

  private runName(): string {
    return `orchestration ${oneLine(this.model.name ?? this.model.jid ?? '')}`.trimEnd();
  }

  private startText(event: Extract<OrchEvent, { type: 'orch-start' }>): string {
    const verb = event.resumed ? 'resumed' : 'started';
    const mode = event.test ? ' in test mode' : '';
    const earlier = event.resumed && event.finished.length > 0 ? `, ${event.finished.length} finished earlier` : '';
    return `${this.runName()}: ${verb}${mode}, ${plural(event.steps.length, 'step')}${earlier} (jid ${oneLine(event.jid)})`;
  }

  private stepLines(step: StepView, at: number): void {
    const printed = this.printed.get(step.info.tag) ?? { ended: new Set<string>() };
    this.printed.set(step.info.tag, printed);
    const id = oneLine(step.info.id);
    if (step.status === 'running') {
      const targets = Object.keys(step.minions).map(oneLine).join(', ');
      const announce = `${targets}|${step.stepJid ?? ''}`;
      if (printed.announced === undefined || (printed.announced !== announce && announce !== '|')) {
        printed.announced = announce;
        const on = targets ? ` on ${targets}` : '';
        const job = step.stepJid ? ` (job ${oneLine(step.stepJid)})` : '';
        this.line(at, `${id}: ${this.paint('running', 'running')}${on}${job}`);
      }
    }
    const minions = Object.entries(step.minions);
    for (const [minion, progress] of minions) {
      if (!ended(progress) || printed.ended.has(minion)) continue;
      printed.ended.add(minion);
      this.line(at, `${id}: ${minionEndText(minion, progress)} (${printed.ended.size}/${minions.length} minions done)`);
    }
    if (isFinal(step.status) && printed.final !== step.status) {
      printed.final = step.status;
      this.line(at, `${id}: ${this.finalText(step)}`);
    }
  }

  private finalText(step: StepView): string {
    const word = this.paint(step.status, step.status);
    if (step.status === 'skipped') return `${word}: ${firstLine(step.comment) || 'not run'}`;
    const n = Object.keys(step.minions).length;
    const duration = stepDuration(step);
    const facts = [n > 0 ? plural(n, 'minion') : '', duration === undefined ? '' : formatDuration(duration)].filter(Boolean);
    const tail = facts.length ? ` (${facts.join(', ')})` : '';
    if (step.status === 'failed') return `${word}: ${failureReason(step)}${tail}`;
    const detail = n === 0 && firstLine(step.comment) ? `: ${firstLine(step.comment)}` : '';
    return `${word}${detail}${tail}`;
  }

  private paint(status: StepView['status'], text: string): string {
    const color = statusColor(status, this.colors);
    return color ? `${color}${text}${this.colors.ENDC}` : text;
  }

  private line(at: number, text: string): void {
    const when = Number.isFinite(at) ? at : this.now();
    this.write(`${isoTime(when)} ${text}\n`);
  }
}

function ended(m: MinionProgress): boolean {
  return m.state === 'ok' || m.state === 'failed' || m.state === 'no-response';
}
