/**
 * A check's verdict (PASS/FAIL with what was seen), and the list of all verdicts of a run,
 * each printed as it is given and counted in the summary.
 */

/** One check's outcome. */
export interface Verdict {
  /** Its number in issue 6's list and a short name, e.g. "2 rabbitmq ctrl-1 cluster". */
  name: string;
  ok: boolean;
  /** What was seen (one line). */
  detail: string;
}

/** The verdicts of a run, in order. */
export class Verdicts {
  readonly all: Verdict[] = [];

  constructor(private readonly log: (line: string) => void) {}

  /** Record and print a verdict; returns `ok`. */
  add(name: string, ok: boolean, detail: string): boolean {
    this.all.push({ name, ok, detail });
    this.log(`${ok ? 'PASS' : 'FAIL'}  ${name}: ${detail}`);
    return ok;
  }

  /** Record verdicts a check function returned. */
  addAll(vs: readonly Verdict[]): boolean {
    let ok = true;
    for (const v of vs) ok = this.add(v.name, v.ok, v.detail) && ok;
    return ok;
  }

  /** Whether every verdict so far passed. */
  passed(): boolean {
    return this.all.every((v) => v.ok);
  }

  /** "N passed, M failed". */
  counts(): string {
    const failed = this.all.filter((v) => !v.ok).length;
    return `${this.all.length - failed} passed, ${failed} failed`;
  }
}

/** A verdict value. */
export function verdict(name: string, ok: boolean, detail: string): Verdict {
  return { name, ok, detail };
}
