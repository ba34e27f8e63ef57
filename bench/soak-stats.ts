/** The soak's figures: percentiles, the accounting of returns, and the memory-flatness verdicts. */
import type { StoredCounts } from './soak-cache-check';
import { complete, roundTripMs, type SoakJob } from './soak-ledger';

/** The `p`-th percentile (0-100, nearest rank) of `values`; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))];
}

/** p50, p90, p99 and max of some durations (ms). */
export interface Spread {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** The spread of `values`. */
export function spread(values: readonly number[]): Spread {
  return { n: values.length, p50: percentile(values, 50), p90: percentile(values, 90), p99: percentile(values, 99), max: values.length ? Math.max(...values) : NaN };
}

/** Round trips of the complete jobs among `jobs`, and the publish replies. */
export function latencies(jobs: readonly SoakJob[]): { roundTrip: Spread; reply: Spread } {
  const rt: number[] = [];
  const reply: number[] = [];
  for (const j of jobs) {
    const ms = roundTripMs(j);
    if (ms !== undefined) rt.push(ms);
    if (j.repliedAt !== undefined) reply.push(j.repliedAt - j.sentAt);
  }
  return { roundTrip: spread(rt), reply: spread(reply) };
}

/** Every return the run expected, and where it was seen. */
export interface Accounting {
  jobs: number;
  /** Jobs the master refused or did not answer. */
  publishFailed: number;
  /** Jobs whose every return the client saw. */
  jobsComplete: number;
  /** Jobs the master closed with minions named as not responding. */
  jobsWithNoResponse: number;
  expected: number;
  receivedLive: number;
  /** Live returns with wrong data, a non-zero retcode or success false. */
  wrongLive: number;
  /** Live returns from unexpected minions or repeated. */
  extraLive: number;
  stored: StoredCounts;
  /** Job events for jobs this run did not publish. */
  unclaimedEvents: number;
}

/** Count the returns of `jobs` (probe jobs left out). */
export function account(jobs: readonly SoakJob[], stored: StoredCounts, unclaimedEvents: number): Accounting {
  const a: Accounting = { jobs: 0, publishFailed: 0, jobsComplete: 0, jobsWithNoResponse: 0, expected: 0, receivedLive: 0, wrongLive: 0, extraLive: 0, stored, unclaimedEvents };
  for (const j of jobs) {
    a.jobs++;
    if (j.error !== undefined) a.publishFailed++;
    if (complete(j)) a.jobsComplete++;
    if (j.noResponse > 0) a.jobsWithNoResponse++;
    a.expected += j.expected;
    a.receivedLive += j.received;
    a.wrongLive += j.wrong;
    a.extraLive += j.extra;
  }
  return a;
}

/** Whether every return is accounted for: each expected one seen live and stored, all right, nothing failed. */
export function everyReturnAccounted(a: Accounting, minions: number): boolean {
  return (
    a.publishFailed === 0 &&
    a.expected === a.jobs * minions &&
    a.receivedLive === a.expected &&
    a.wrongLive === 0 &&
    a.extraLive === 0 &&
    a.stored.jobsMissing === 0 &&
    a.stored.expected === a.expected &&
    a.stored.answered === a.expected &&
    a.stored.unexpected === 0 &&
    a.stored.returnErrors === 0 &&
    a.unclaimedEvents === 0
  );
}

/** One process (group)'s memory at the start and end of the measured load. */
export interface MemoryVerdict {
  what: string;
  startKiB: number;
  endKiB: number;
  /** Most growth allowed (KiB). */
  allowedKiB: number;
  flat: boolean;
}

/** Flat: grew by at most `pct`% of the start value or `slackMiB`, whichever is larger. */
export function memoryVerdict(what: string, startKiB: number, endKiB: number, pct: number, slackMiB: number): MemoryVerdict {
  const allowedKiB = Math.max((startKiB * pct) / 100, slackMiB * 1024);
  return { what, startKiB, endKiB, allowedKiB, flat: endKiB - startKiB <= allowedKiB };
}

/** The memory of the master, its nats-server and each minion at one point (KiB). */
export interface MemoryPoint {
  master: number;
  nats: number;
  minions: readonly number[];
}

/**
 * The floor of a stretch of samples: the lowest value of each process. A garbage-collected
 * process's RSS is a sawtooth; its floor rises only when what it keeps grows.
 */
export function memoryFloor(points: readonly MemoryPoint[]): MemoryPoint {
  const low = (values: number[]) => Math.min(...values);
  const n = Math.max(0, ...points.map((p) => p.minions.length));
  return {
    master: low(points.map((p) => p.master)),
    nats: low(points.map((p) => p.nats)),
    minions: Array.from({ length: n }, (_, i) => low(points.map((p) => p.minions[i] ?? 0))),
  };
}

/** The verdicts of the master, its nats-server and the minions (mean, and the one that grew most), from `start` to `end`. */
export function memoryVerdicts(start: MemoryPoint, end: MemoryPoint, pct: number, slackMiB: number): MemoryVerdict[] {
  const mean = (v: readonly number[]) => (v.length ? v.reduce((s, x) => s + x, 0) / v.length : 0);
  const verdicts = [
    memoryVerdict('master (node)', start.master, end.master, pct, slackMiB),
    memoryVerdict('nats-server', start.nats, end.nats, pct, slackMiB),
    memoryVerdict('minion, mean of all', mean(start.minions), mean(end.minions), pct, slackMiB),
  ];
  let worst = -1;
  for (let i = 0; i < Math.min(start.minions.length, end.minions.length); i++) {
    if (worst < 0 || end.minions[i] - start.minions[i] > end.minions[worst] - start.minions[worst]) worst = i;
  }
  if (worst >= 0) verdicts.push(memoryVerdict(`minion #${worst + 1}, grew most`, start.minions[worst], end.minions[worst], pct, slackMiB));
  return verdicts;
}
