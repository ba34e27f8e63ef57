/**
 * The display for a terminal: a live region with one line per step, redrawn in place by
 * cli-progress's MultiBar (one bar per line, drawn by our own formatter), then the final frame,
 * the failures and the summary once the run ends.
 */
import * as cliProgress from 'cli-progress';
import type { OrchEvent } from '../../common/protocol/orch';
import type { Colors } from '../output/colors';
import { failureLines } from './failures';
import { isFinal, type OrchRunModel, type StepView } from './run-model';
import { stepLine } from './step-line';
import { summaryLines } from './summary';
import { oneLine } from './text';

const BAR_WIDTH = 16;
const MAX_ID_WIDTH = 32;
/** More than the escape codes of one line take. */
const ESCAPE_ROOM = 64;

/** The terminal stream the live display draws on. */
export interface LiveStream extends NodeJS.WritableStream {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

/** Draws the live region and the end-of-run report on a terminal. */
export class LiveDisplay {
  private multibar?: cliProgress.MultiBar;
  private slots = 0;
  private reported = false;

  constructor(
    private readonly stream: LiveStream,
    private readonly model: OrchRunModel,
    private readonly colors: Colors,
    private readonly now: () => number,
    private readonly fps: number,
  ) {}

  /** Follow an event (already applied to the model). */
  show(event: OrchEvent): void {
    if (this.reported) return;
    if (event.type === 'orch-done') {
      this.report();
      return;
    }
    this.ensureSlots();
  }

  /** A message of the caller's, printed above the live region. */
  log(message: string): void {
    const line = `${oneLine(message)}\n`;
    if (this.multibar && !this.reported) this.multibar.log(line);
    else this.stream.write(line);
  }

  /** Stop the live region and print the report, if `orch-done` did not. */
  finish(): void {
    this.report();
  }

  private report(): void {
    if (this.reported) return;
    this.reported = true;
    this.multibar?.stop();
    const failures = failureLines(this.model, this.colors);
    const text = [...(failures.length ? ['', ...failures] : []), '', ...summaryLines(this.model, this.colors, this.now())];
    this.stream.write(`${text.join('\n')}\n`);
  }

  /** One bar (line) per step, as many as the terminal has rows for. */
  private ensureSlots(): void {
    const wanted = Math.min(this.model.steps.length, this.maxSlots());
    if (wanted <= this.slots) return;
    const multibar = this.multibar ?? this.start();
    while (this.slots < wanted) multibar.create(1, 0, { slot: this.slots++ });
  }

  private maxSlots(): number {
    const rows = this.stream.rows;
    return typeof rows === 'number' && rows > 3 ? rows - 2 : Number.POSITIVE_INFINITY;
  }

  private start(): cliProgress.MultiBar {
    const model = this.model;
    const what = [model.jid ? `jid ${oneLine(model.jid)}` : '', model.test ? 'test mode' : '', model.resumed ? 'resumed' : ''].filter(Boolean).join(', ');
    const name = oneLine(model.name ?? '');
    this.stream.write(`Orchestration${name ? ` ${name}` : ''}${what ? ` (${what})` : ''}\n`);
    this.multibar = new cliProgress.MultiBar({
      stream: wideView(this.stream),
      format: (options, _params, payload: unknown) => this.render(options, this.stream.columns || 80, payload),
      fps: this.fps,
      barsize: BAR_WIDTH,
      barCompleteChar: '█',
      barIncompleteChar: '░',
      hideCursor: false,
      // Keep the terminal's own wrapping (nothing to restore if the process dies); lines are cut to fit.
      linewrap: true,
      gracefulExit: false,
      clearOnComplete: false,
      stopOnComplete: false,
    });
    return this.multibar;
  }

  /** The line of one slot: slots show a window of the steps that follows the running ones. */
  private render(options: cliProgress.Options, width: number, payload: unknown): string {
    const slot = typeof payload === 'object' && payload !== null && typeof (payload as { slot?: unknown }).slot === 'number' ? (payload as { slot: number }).slot : 0;
    const step = this.windowStep(slot);
    if (!step) return '';
    const idWidth = Math.min(MAX_ID_WIDTH, Math.max(4, ...this.model.steps.map((s) => oneLine(s.info.id).length)));
    return stepLine(step, {
      now: this.now(),
      idWidth,
      width,
      colors: this.colors,
      bar: (progress) => cliProgress.Format.BarFormat(progress, options),
    });
  }

  private windowStep(slot: number): StepView | undefined {
    const steps = this.model.steps;
    if (this.slots >= steps.length) return steps[slot];
    let first = steps.findIndex((s) => s.status === 'running');
    if (first < 0) first = steps.findIndex((s) => !isFinal(s.status));
    if (first < 0) first = steps.length;
    const start = Math.max(0, Math.min(first - 1, steps.length - this.slots));
    return steps[start + slot];
  }
}

/**
 * The stream as cli-progress sees it: a terminal wider than it is. cli-progress cuts each line
 * at `columns` code units, escape codes included, which would cut coloured lines short; lines
 * are fitted to the real width (escape codes excluded) before they get there.
 */
function wideView(stream: LiveStream): LiveStream {
  return new Proxy(stream, {
    get(target, prop) {
      if (prop === 'columns') return (target.columns || 80) + ESCAPE_ROOM;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
