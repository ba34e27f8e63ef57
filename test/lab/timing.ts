/**
 * Per-phase timings of a lab command, printed as a summary table at the end.
 */

/** One finished phase. */
export interface Phase {
  name: string;
  ms: number;
  note?: string;
}

/** Records how long each phase of a command took. */
export class Timings {
  readonly phases: Phase[] = [];
  private readonly start = Date.now();

  /** Run `fn` as the phase `name`; its note (if it returns a string) goes in the summary. */
  async phase<T>(name: string, fn: () => Promise<T>, note?: (v: T) => string | undefined): Promise<T> {
    const t = Date.now();
    const v = await fn();
    const n = note?.(v);
    this.phases.push({ name, ms: Date.now() - t, ...(n ? { note: n } : {}) });
    return v;
  }

  /** Record a phase measured elsewhere (an orchestration step, an earlier command). */
  record(name: string, ms: number, note?: string): void {
    this.phases.push({ name, ms, ...(note ? { note } : {}) });
  }

  /** Milliseconds since the command started. */
  total(): number {
    return Date.now() - this.start;
  }

  /** The summary table. */
  summary(title: string): string {
    const w = Math.max(...this.phases.map((p) => p.name.length), 5);
    const lines = [`${title} (total ${seconds(this.total())})`];
    for (const p of this.phases) lines.push(`  ${p.name.padEnd(w)}  ${seconds(p.ms).padStart(8)}${p.note ? `  ${p.note}` : ''}`);
    return lines.join('\n');
  }
}

/** `ms` as seconds with one decimal, e.g. "12.3 s". */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
