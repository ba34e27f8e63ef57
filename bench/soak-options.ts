/** The options of `npm run soak` (bench/soak.ts): fleet size, load, durations and verdict thresholds. */
import { Command, InvalidArgumentError } from 'commander';
import { JOB_KINDS, parseMix, type MixEntry } from './soak-mix';

/** What one soak run does. */
export interface SoakOptions {
  minions: number;
  /** Jobs published per second (each targets every minion). */
  rate: number;
  /** Seconds of measured load (after the warm-up). */
  duration: number;
  /** Seconds of load before the first memory sample; its jobs are checked but not in the latency figures. */
  warmup: number;
  /** Seconds between memory and CPU samples. */
  sampleEvery: number;
  /** The jobs' timeout (seconds a minion may stay silent before the master gives up on it). */
  jobTimeout: number;
  /**
   * Jobs published and not yet complete beyond which publishing waits: a fleet that keeps up
   * never reaches it; one that does not then runs at what it sustains, with a bounded queue.
   */
  maxInflight: number;
  mix: MixEntry[];
  /** Memory counts as flat when it grew by at most this percentage of its start value ... */
  memGrowthPct: number;
  /** ... or by at most this many MiB, whichever is larger. */
  memSlackMb: number;
  /** Minion ids are `soak-NNN.lab`; each minion process's log level (`-l`). */
  logLevel: string;
}

const DEFAULT_MIX = 'ping=85,echo=10,grains=4,cmd=1';
const QUICK = { minions: 10, rate: 10, duration: 20, warmup: 5, sampleEvery: 5 };
const FULL = { minions: 100, rate: 50, duration: 300, warmup: 30, sampleEvery: 30 };

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function positive(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

function nonNegative(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number >= 0');
  return n;
}

/** Parse the command line (`--quick` picks small defaults; explicit options still win). */
export function parseSoakOptions(argv: readonly string[]): SoakOptions {
  const cmd = new Command('soak')
    .description('Sustained load on a real master and minion processes: every return accounted for, memory flat, round trips')
    .option('--quick', `a short check: ${QUICK.minions} minions, ${QUICK.rate} jobs/s, ${QUICK.duration} s`)
    .option('--minions <n>', `minion processes (default ${FULL.minions})`, positiveInt)
    .option('--rate <r>', `jobs per second, each to every minion (default ${FULL.rate})`, positive)
    .option('--duration <s>', `seconds of measured load (default ${FULL.duration})`, positive)
    .option('--warmup <s>', `seconds of load before the first memory sample (default ${FULL.warmup})`, nonNegative)
    .option('--sample-every <s>', `seconds between memory samples (default ${FULL.sampleEvery})`, positive)
    .option('--job-timeout <s>', 'seconds a minion may stay silent in a job', positive, 30)
    .option('--max-inflight <n>', 'unfinished jobs beyond which publishing waits (default: 2 s worth at --rate, at least 10)', positiveInt)
    .option('--mix <list>', `job mix, kind=weight,... (kinds: ${Object.keys(JOB_KINDS).join(', ')}; default ${DEFAULT_MIX})`, parseMix)
    .option('--mem-growth-pct <p>', 'flat: growth at most this % of the start value ...', nonNegative, 20)
    .option('--mem-slack-mb <m>', '... or at most this many MiB, whichever is larger', nonNegative, 16)
    .option('--log-level <level>', "master's and minions' -l level", 'warning')
    .exitOverride();
  cmd.parse(argv as string[], { from: 'user' });
  const o = cmd.opts<{
    quick?: boolean;
    minions?: number;
    rate?: number;
    duration?: number;
    warmup?: number;
    sampleEvery?: number;
    jobTimeout: number;
    maxInflight?: number;
    mix?: MixEntry[];
    memGrowthPct: number;
    memSlackMb: number;
    logLevel: string;
  }>();
  const base = o.quick ? QUICK : FULL;
  const rate = o.rate ?? base.rate;
  return {
    minions: o.minions ?? base.minions,
    rate,
    duration: o.duration ?? base.duration,
    warmup: o.warmup ?? base.warmup,
    sampleEvery: o.sampleEvery ?? base.sampleEvery,
    jobTimeout: o.jobTimeout,
    maxInflight: o.maxInflight ?? Math.max(10, Math.ceil(rate * 2)),
    mix: o.mix ?? parseMix(DEFAULT_MIX),
    memGrowthPct: o.memGrowthPct,
    memSlackMb: o.memSlackMb,
    logLevel: o.logLevel,
  };
}
