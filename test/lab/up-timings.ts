/** `lab up`'s phases, kept in the lab directory so that `lab run`'s summary can show them. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Phase } from './timing';

/** What `up` took. */
export interface UpTimings {
  at: string;
  totalMs: number;
  phases: Phase[];
}

function file(dir: string): string {
  return path.join(dir, 'up-timings.json');
}

/** Keep `up`'s timings. */
export function saveUpTimings(dir: string, t: UpTimings): void {
  fs.writeFileSync(file(dir), `${JSON.stringify(t, null, 2)}\n`);
}

/** `up`'s timings, if kept. */
export function readUpTimings(dir: string): UpTimings | undefined {
  try {
    return JSON.parse(fs.readFileSync(file(dir), 'utf8')) as UpTimings;
  } catch {
    return undefined;
  }
}
