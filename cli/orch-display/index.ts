/**
 * The operator's view of `brine orch run|resume`: feed it the orchestration's events
 * (common/protocol/orch.ts) and it shows them — live, one line per step updated in place on a
 * terminal; plain timestamped lines for logs and CI — then, when the run ends, the failed
 * states in full, a summary table and the totals line.
 */
import type { OrchEvent } from '../../common/protocol/orch';
import { getColors } from '../output/colors';
import { LiveDisplay, type LiveStream } from './live-display';
import { PlainDisplay } from './plain-display';
import { OrchRunModel } from './run-model';

/** Where the display writes: process.stderr or process.stdout, or any writable stream. */
export interface OrchDisplayStream extends NodeJS.WritableStream {
  /** True on a terminal (Node sets it on TTY streams). */
  isTTY?: boolean;
  /** Terminal width; 80 when unknown. */
  columns?: number;
  /** Terminal height: the live region never has more lines than this (minus two). */
  rows?: number;
}

/** How to display. */
export interface OrchDisplayOptions {
  stream: OrchDisplayStream;
  /** Live display. Used only when the stream is a terminal (`stream.isTTY`); plain lines otherwise. */
  tty: boolean;
  /** ANSI colours. */
  color: boolean;
  /** The clock (ms since the epoch): ticking elapsed times, and timestamps of lines not tied to an event. */
  now?: () => number;
  /** Live redraws per second (default 10). */
  fps?: number;
}

/** A display of one orchestration run. */
export interface OrchDisplay {
  /** Which mode it chose. */
  readonly mode: 'live' | 'plain';
  /** Show one event. `orch-done` ends the live region and prints the failures and the summary. */
  handle(event: OrchEvent): void;
  /** Print a message of the caller's without breaking the live region (plain mode: a timestamped line). */
  log(message: string): void;
  /**
   * Always call at the end (also on errors and interrupts): stops the live region's timer. When
   * `orch-done` never came, prints what is known, the summary, and that the result is unknown.
   * Idempotent.
   */
  finish(): void;
}

/** A display of an orchestration run on `stream`. */
export function createOrchDisplay(options: OrchDisplayOptions): OrchDisplay {
  const now = options.now ?? Date.now;
  const colors = getColors(options.color);
  const model = new OrchRunModel();
  if (options.tty && options.stream.isTTY === true) {
    const live = new LiveDisplay(options.stream as LiveStream, model, colors, now, options.fps ?? 10);
    return {
      mode: 'live',
      handle: (event) => {
        model.apply(event);
        live.show(event);
      },
      log: (message) => live.log(message),
      finish: () => live.finish(),
    };
  }
  const write = (text: string): void => {
    options.stream.write(text);
  };
  const plain = new PlainDisplay(write, model, colors, now);
  let finished = false;
  return {
    mode: 'plain',
    handle: (event) => {
      if (finished) return;
      plain.show(event, model.apply(event));
      if (event.type === 'orch-done') finished = true;
    },
    log: (message) => plain.log(message),
    finish: () => {
      finished = true;
      plain.finish();
    },
  };
}
