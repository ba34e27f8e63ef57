/**
 * `brine jobs list` and `brine jobs show JID`: the master's job cache, read directly and
 * read-only (the master may be writing it at the same time), like `salt-run jobs.list_jobs`
 * and `salt-run jobs.lookup_jid`.
 */
import type { Command } from 'commander';
import * as fs from 'node:fs';
import { masterPaths, type MasterConfig } from '../../master/config/index';
import { JobCache, isJid } from '../../master/jobcache/index';
import type { JobStatus, ListJobsOptions } from '../../master/jobcache/index';
import { stripEscSequence } from '../output/colors';
import { render } from '../output/render';
import { outputOptions, type OutputFlags } from '../output-flags';
import { formatJobList, formatJobShow, formatJobSummary, isDataOnlyOutputter, jobListData, outputterForFunction } from './jobs-format';
import {
  EXIT_USAGE,
  addMasterConfigOption,
  addOutputOptions,
  givenOptions,
  isKnownOutputter,
  loadMasterConfigOrReport,
  masterOutputConfig,
  printText,
  reportError,
} from './master-config-option';

const PROG = 'brine jobs';

interface JobsFlags extends OutputFlags {
  configDir?: string;
  limit?: string;
  fun?: string;
  since?: string;
  status?: string;
}

const UNITS_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Register `brine jobs list` and `brine jobs show`. */
export function registerJobs(program: Command, setExit: (code: number) => void): void {
  const jobs = program.command('jobs').description("look at jobs in the master's job cache (like salt-run jobs.list_jobs / jobs.lookup_jid)");
  addMasterConfigOption(jobs);

  const list = jobs
    .command('list')
    .description('list jobs, newest first (like salt-run jobs.list_jobs)')
    .option('--limit <n>', 'at most N jobs (default 100)')
    .option('--fun <glob>', "only functions matching GLOB, e.g. 'state.*'")
    .option('--since <when>', "only jobs started since WHEN: 30m, 2h, 1d, 1w ago, a jid, 2024-01-05[T12:00[:00]][Z|+hh:mm] or '2024, Jan 05 12:00' (UTC unless a zone is given)")
    .option('--status <status>', 'only running or done jobs');
  addMasterConfigOption(list);
  addOutputOptions(list, 'a table by default; json, yaml, nested, txt, raw or quiet print the jobs keyed by jid');
  list.action(async (_opts: unknown, cmd: Command) => {
    setExit(listJobs(givenOptions<JobsFlags>(cmd)));
  });

  const show = jobs
    .command('show')
    .description("a job's returns with their outputter and a summary of who answered (like salt-run jobs.lookup_jid)")
    .argument('<jid>', 'the job id')
    .option('--state-output <mode>', 'full, terse, mixed, changes or filter')
    .option('--state-verbose <bool>', 'show states that succeeded without changes (True/False)');
  addMasterConfigOption(show);
  addOutputOptions(show, 'highstate for state runs, else nested; json, yaml, raw and quiet print only the returns');
  show.action(async (jid: string, _opts: unknown, cmd: Command) => {
    setExit(showJob(jid, givenOptions<JobsFlags>(cmd)));
  });
}

/**
 * Read `--since`: `<n>s|m|h|d|w` (that long before `now`), a jid, or a date and time (ISO 8601 or
 * Salt's `2024, Jan 05 12:00[:00[.ffffff]]`; UTC, like jids, unless a zone is given).
 * Returns milliseconds since the epoch, or undefined when unreadable.
 */
export function parseSince(text: string, now: number = Date.now()): number | undefined {
  const value = text.trim();
  const ago = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(value);
  if (ago) return now - Number(ago[1]) * UNITS_MS[ago[2].toLowerCase()];
  if (isJid(value)) {
    const digits = (from: number, to: number): number => Number(value.slice(from, to));
    return validTime(Date.UTC(digits(0, 4), digits(4, 6) - 1, digits(6, 8), digits(8, 10), digits(10, 12), digits(12, 14), Math.floor(digits(14, 20) / 1000)));
  }
  const salt = /^(\d{4}),\s*([A-Za-z]{3})\s+(\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/.exec(value);
  if (salt) {
    const month = MONTHS.indexOf(salt[2].toLowerCase());
    if (month < 0) return undefined;
    const ms = salt[7] ? Math.floor(Number(salt[7].padEnd(6, '0')) / 1000) : 0;
    return validTime(Date.UTC(Number(salt[1]), month, Number(salt[3]), Number(salt[4] ?? 0), Number(salt[5] ?? 0), Number(salt[6] ?? 0), ms));
  }
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(value);
  if (iso) {
    const zone = iso[3] ? (iso[3].toUpperCase() === 'Z' ? 'Z' : iso[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : 'Z';
    return validTime(Date.parse(`${iso[1]}T${iso[2] ?? '00:00'}${zone}`));
  }
  return undefined;
}

function validTime(ms: number): number | undefined {
  return Number.isFinite(ms) ? ms : undefined;
}

function listJobs(flags: Partial<JobsFlags>): number {
  const filters: ListJobsOptions = {};
  if (flags.limit !== undefined) {
    if (!/^\d+$/.test(flags.limit.trim())) return usage(`--limit must be a whole number, got '${stripEscSequence(flags.limit)}'`);
    filters.limit = Number(flags.limit);
  }
  if (flags.since !== undefined) {
    const since = parseSince(flags.since);
    if (since === undefined) {
      return usage(`cannot read --since '${stripEscSequence(flags.since)}' (use e.g. 30m, 2h, 1d, a jid, 2024-01-05T12:00 or '2024, Jan 05 12:00')`);
    }
    filters.since = since;
  }
  if (flags.status !== undefined) {
    if (flags.status !== 'running' && flags.status !== 'done') return usage(`--status must be running or done, got '${stripEscSequence(flags.status)}'`);
    filters.status = flags.status as JobStatus;
  }
  if (flags.fun !== undefined) filters.fun = flags.fun;
  if (flags.out !== undefined && !isKnownOutputter(flags.out)) return usage(`unknown outputter '${stripEscSequence(flags.out)}'`);
  return withJobCache(flags, (cache, cfg) => {
    const jobs = cache.listJobs(filters);
    printText(flags.out === undefined ? formatJobList(jobs) : render(flags.out, jobListData(jobs), outputOptions(flags, masterOutputConfig(cfg))));
    return 0;
  });
}

function showJob(jid: string, flags: Partial<JobsFlags>): number {
  if (flags.out !== undefined && !isKnownOutputter(flags.out)) return usage(`unknown outputter '${stripEscSequence(flags.out)}'`);
  if (!isJid(jid)) {
    process.stderr.write(`${PROG}: '${stripEscSequence(jid)}' is not a job id (a jid is 20 digits, e.g. 20240105123456123456)\n`);
    return 1;
  }
  return withJobCache(flags, (cache, cfg) => {
    const job = cache.getJob(jid);
    if (!job) {
      process.stderr.write(`${PROG}: job ${jid} is not in the job cache ${cache.file} (unknown, or purged after keep_jobs hours)\n`);
      return 1;
    }
    const outputter = flags.out ?? outputterForFunction(job.fun);
    const text = formatJobShow(job, outputter, outputOptions(flags, masterOutputConfig(cfg)));
    printText(isDataOnlyOutputter(outputter) ? text : `${text}\n\n\n${formatJobSummary(job)}`);
    return 0;
  });
}

/** Open the job cache read-only for `use`; a missing or unreadable cache is reported (exit 1). */
function withJobCache(flags: Partial<JobsFlags>, use: (cache: JobCache, cfg: MasterConfig) => number): number {
  const cfg = loadMasterConfigOrReport(PROG, flags.configDir);
  if (!cfg) return 1;
  const file = masterPaths(cfg).jobCache;
  if (!fs.existsSync(file)) {
    process.stderr.write(`${PROG}: no job cache at ${file}: the master has not run with this configuration yet (see -c DIR and cachedir)\n`);
    return 1;
  }
  let cache: JobCache;
  try {
    cache = new JobCache(file, { readonly: true });
  } catch (err) {
    reportError(PROG, err);
    return 1;
  }
  try {
    return use(cache, cfg);
  } catch (err) {
    reportError(PROG, err);
    return 1;
  } finally {
    cache.close();
  }
}

function usage(message: string): number {
  process.stderr.write(`${PROG}: ${message}\n`);
  return EXIT_USAGE;
}
