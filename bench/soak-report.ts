/** The soak's printed tables: the trend every sample, round trips, the accounting and memory. */
import { complete, roundTripMs, type SoakJob } from './soak-ledger';
import type { Sample } from './soak-sampler';
import { percentile, type Accounting, type MemoryVerdict, type Spread } from './soak-stats';

/** A sample with the client's count of returns seen by then. */
export interface SoakPoint {
  sample: Sample;
  returnsSeen: number;
}

const mib = (kib: number): string => (kib / 1024).toFixed(1);
const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(0) : '-');
const pad = (s: string | number, n: number): string => String(s).padStart(n);

function cpuPct(a: number, b: number, seconds: number): string {
  return seconds > 0 ? ((100 * (b - a)) / seconds).toFixed(0) : '-';
}

/** Columns right-aligned to their widest cell. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  return [line(headers), ...rows.map(line)];
}

/**
 * One line per sample: memory then; CPU used since the previous sample (100% = one core;
 * others: every process not of the soak; machine: all of it, out of 100% per core); the jobs
 * published since the previous sample (how many, how many completed, their round trips); the
 * returns seen per second; and the returns stored in JetStream the master has not handled yet.
 */
export function trendTable(points: readonly SoakPoint[], jobs: readonly SoakJob[], cores: number): string[] {
  const headers = ['t s', 'master MiB', 'nats MiB', 'minion MiB mean/max', 'client MiB', 'CPU% master', 'nats', 'minions', 'client', 'others', `machine/${100 * cores}`, 'jobs done/sent', 'p50 ms', 'p99 ms', 'returns/s', 'backlog'];
  const rows = points.map((p, i) => {
    const s = p.sample;
    const row = [s.at.toFixed(0), mib(s.rss.master), mib(s.rss.nats), `${mib(s.rss.minionMean)}/${mib(s.rss.minionMax)}${s.minionsGone ? ` (${s.minionsGone} gone)` : ''}`, mib(s.rss.client)];
    if (i === 0) return [...row, '', '', '', '', '', '', '', '', '', '', s.returnsBacklog === undefined ? '-' : String(s.returnsBacklog)];
    const prev = points[i - 1].sample;
    const secs = (s.wallMs - prev.wallMs) / 1000;
    const ours = s.cpu.master + s.cpu.nats + s.cpu.minions + s.cpu.client - (prev.cpu.master + prev.cpu.nats + prev.cpu.minions + prev.cpu.client);
    const busy = s.cpu.machineBusy - prev.cpu.machineBusy;
    const sent = jobs.filter((j) => j.phase !== 'probe' && j.sentAt >= prev.wallMs && j.sentAt < s.wallMs);
    const rts = sent.map(roundTripMs).filter((v): v is number => v !== undefined);
    const rps = secs > 0 ? ((p.returnsSeen - points[i - 1].returnsSeen) / secs).toFixed(0) : '-';
    return [
      ...row,
      cpuPct(prev.cpu.master, s.cpu.master, secs),
      cpuPct(prev.cpu.nats, s.cpu.nats, secs),
      cpuPct(prev.cpu.minions, s.cpu.minions, secs),
      cpuPct(prev.cpu.client, s.cpu.client, secs),
      cpuPct(ours, Math.max(ours, busy), secs),
      cpuPct(0, busy, secs),
      `${sent.filter(complete).length}/${sent.length}`,
      ms(percentile(rts, 50)),
      ms(percentile(rts, 99)),
      rps,
      s.returnsBacklog === undefined ? '-' : String(s.returnsBacklog),
    ];
  });
  return table(headers, rows);
}

/** A spread of durations on one line. */
export function spreadLine(label: string, s: Spread): string {
  return `${label.padEnd(44)} p50 ${pad(ms(s.p50), 6)} ms   p90 ${pad(ms(s.p90), 6)} ms   p99 ${pad(ms(s.p99), 6)} ms   max ${pad(ms(s.max), 6)} ms   (${s.n} jobs)`;
}

/** The accounting of every return. */
export function accountingTable(a: Accounting, minions: number): string[] {
  const row = (label: string, v: number | string) => `  ${label.padEnd(58)} ${pad(v, 10)}`;
  return [
    row('jobs published (warm-up + measured)', a.jobs),
    row('  refused or unanswered publish commands', a.publishFailed),
    row(`returns expected (jobs x ${minions} minions)`, a.jobs * minions),
    row('  expected by the master (its publish replies)', a.expected),
    row('  received live by the client (job events)', a.receivedLive),
    row('    of which wrong (data, retcode, success)', a.wrongLive),
    row('    repeated or from unexpected minions', a.extraLive),
    row('  stored in the job cache with the right answer', a.stored.answered),
    row('    stored failed or with other data', a.stored.wrong),
    row('    still running or no-response in the job cache', a.stored.missing),
    row('    jobs missing from the job cache', a.stored.jobsMissing),
    row('    return errors recorded by the master', a.stored.returnErrors),
    row('jobs complete (every return seen live)', a.jobsComplete),
    row('jobs the master closed with minions not responding', a.jobsWithNoResponse),
    row('job events of jobs not published by this run', a.unclaimedEvents),
  ];
}

/** Memory at the start and end of the measured load (see memoryFloor), with the verdicts. */
export function memoryTable(verdicts: readonly MemoryVerdict[]): string[] {
  const lines = [`  ${'process'.padEnd(26)} ${pad('start MiB', 10)} ${pad('end MiB', 9)} ${pad('growth', 9)} ${pad('allowed', 9)}  verdict`];
  for (const v of verdicts) {
    const growth = v.endKiB - v.startKiB;
    lines.push(`  ${v.what.padEnd(26)} ${pad(mib(v.startKiB), 10)} ${pad(mib(v.endKiB), 9)} ${pad((growth >= 0 ? '+' : '') + mib(growth), 9)} ${pad(mib(v.allowedKiB), 9)}  ${v.flat ? 'flat' : 'GREW'}`);
  }
  return lines;
}
