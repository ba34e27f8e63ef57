/**
 * The text of `brine jobs list` and `brine jobs show JID`, from the job cache's records.
 * Pure functions: they return the text without its final newline (as the outputters do).
 *
 * `jobs list` prints one line per job (jid, function, target, start time as Salt's
 * `jid_to_time` writes it, and where its minions stand). `jobs show` prints the job, each
 * minion's state, then the returns through the chosen outputter, as `salt-run jobs.lookup_jid`
 * does, with Salt's `Minion did not return. [No response]` for minions that never answered,
 * and after them the summary block `salt --summary` prints, naming the minions that failed or
 * did not answer.
 */
import { pyRepr } from '../../common/python/repr';
import { jidToTime } from '../../common/jid';
import { jobReturnsData, NO_RESPONSE_TEXT, STILL_RUNNING_TEXT } from '../../master/jobcache/returns-data';

export { jobReturnsData, NO_RESPONSE_TEXT, STILL_RUNNING_TEXT };
import type { JobDetail, JobListEntry, MinionReturn, ReturnCounts, ReturnState } from '../../master/jobcache/types';
import { getColors, stripEscSequence, type Colors } from '../output/colors';
import type { OutputOptions } from '../output/options';
import { render } from '../output/render';

/** Outputters whose text must stay machine-readable: `jobs show` prints only the returns. */
const DATA_ONLY_OUTPUTTERS = new Set(['json', 'yaml', 'raw', 'quiet']);

/** Salt's state functions whose returns print with the highstate outputter (`__outputter__` of salt/modules/state.py). */
const HIGHSTATE_FUNCTIONS = new Set([
  'state.sls',
  'state.sls_id',
  'state.pkg',
  'state.top',
  'state.single',
  'state.highstate',
  'state.template',
  'state.template_str',
  'state.apply',
  'state.test',
  'state.request',
  'state.check_request',
  'state.run_request',
]);

/** The rule around the summary block (Salt's, 43 dashes). */
const JOB_SUMMARY_RULE = '-'.repeat(43);

/** The CLI flag of each target type, as `brine run` / `salt` take them. */
const TARGET_FLAGS: Record<string, string> = {
  pcre: '-E',
  list: '-L',
  grain: '-G',
  grain_pcre: '-P',
  pillar: '-I',
  pillar_pcre: '-J',
  ipcidr: '-S',
  compound: '-C',
  nodegroup: '-N',
};

const STATE_WORDS: Record<ReturnState, string> = {
  answered: 'answered',
  failed: 'failed',
  'no-response': 'no response',
  running: 'running',
};

/** The outputter Salt uses by default for a function's returns: `highstate` for state runs, else `nested`. */
export function outputterForFunction(fun: string): 'highstate' | 'nested' {
  return HIGHSTATE_FUNCTIONS.has(fun) ? 'highstate' : 'nested';
}

/** A target as typed on the command line: `ctrl-*`, `-L a,b`, `-C 'G@os:Debian and web*'`. */
export function describeTarget(tgt: string | string[], tgtType: string): string {
  const text = quoteIfNeeded(Array.isArray(tgt) ? tgt.join(',') : tgt);
  if (tgtType === 'glob') return text;
  const flag = TARGET_FLAGS[tgtType];
  return flag ? `${flag} ${text}` : `--tgt-type ${tgtType} ${text}`;
}

/** Where a job's minions stand: `3 expected: 2 answered, 1 no response` (zero counts left out). */
export function describeCounts(summary: ReturnCounts): string {
  const parts: string[] = [];
  if (summary.answered) parts.push(`${summary.answered} answered`);
  if (summary.failed) parts.push(`${summary.failed} failed`);
  if (summary.noResponse) parts.push(`${summary.noResponse} no response`);
  if (summary.running) parts.push(`${summary.running} running`);
  const head = `${summary.expected} expected`;
  return parts.length ? `${head}: ${parts.join(', ')}` : head;
}

/** `brine jobs list`: a header and one aligned line per job, in the order given (newest first from the cache). */
export function formatJobList(jobs: readonly JobListEntry[]): string {
  if (jobs.length === 0) return 'No jobs found.';
  const rows: string[][] = [['JID', 'Function', 'Target', 'Started', 'Minions']];
  for (const job of jobs) {
    rows.push([job.jid, job.fun, describeTarget(job.tgt, job.tgtType), jidToTime(job.jid), describeCounts(job.summary)]);
  }
  return stripEscSequence(alignColumns(rows));
}

/**
 * `brine jobs show JID`: the job, each minion's state, a blank line, then the returns rendered
 * with `outputter` (json, yaml, raw and quiet print only the returns, so they stay parseable).
 */
export function formatJobShow(job: JobDetail, outputter: string, opts: OutputOptions): string {
  const returns = render(outputter, jobReturnsData(job), opts);
  if (DATA_ONLY_OUTPUTTERS.has(outputter)) return returns;
  const header = jobHeader(job, getColors(opts.color));
  return returns === '' ? header : `${header}\n\n${returns}`;
}

/** Whether `jobs show` with this outputter prints only the returns (no header, no summary). */
export function isDataOnlyOutputter(outputter: string): boolean {
  return DATA_ONLY_OUTPUTTERS.has(outputter);
}

/**
 * The summary block of `salt --summary`, printed after the returns of `jobs show`: how many
 * minions were targeted, returned, did not return and failed, then (unlike Salt, which needs
 * `-v`) the minions that did not respond, are still running or failed, by name.
 */
export function formatJobSummary(job: JobDetail): string {
  const named = (state: ReturnState): string[] => job.returns.filter((r) => r.expected && r.state === state).map((r) => stripEscSequence(r.minion));
  const { summary } = job;
  const lines = [
    JOB_SUMMARY_RULE,
    'Summary',
    JOB_SUMMARY_RULE,
    `# of minions targeted: ${summary.expected}`,
    `# of minions returned: ${summary.answered + summary.failed}`,
    `# of minions that did not return: ${summary.noResponse + summary.running}`,
    `# of minions with errors: ${summary.failed}`,
  ];
  const lists: Array<[string, string[]]> = [
    ['Minions not responding', named('no-response')],
    ['Minions still running', named('running')],
    ['Minions with failures', named('failed')],
    ['Minions that returned without being targeted', job.returns.filter((r) => !r.expected).map((r) => stripEscSequence(r.minion))],
  ];
  for (const [label, ids] of lists) if (ids.length) lines.push(`${label}: ${ids.join(' ')}`);
  lines.push(JOB_SUMMARY_RULE);
  return lines.join('\n');
}

/**
 * `jobs list --out json|yaml|...`: the jobs keyed by jid as `salt-run jobs.list_jobs` returns
 * them (Function, Arguments with keyword arguments as a `__kwarg__` dict, Target, Target-type,
 * User, StartTime, Minions), plus Brine's Status and Returns counts.
 */
export function jobListData(jobs: readonly JobListEntry[]): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const job of jobs) {
    const args: unknown[] = [...job.args];
    if (Object.keys(job.kwargs).length) args.push({ ...job.kwargs, __kwarg__: true });
    data[job.jid] = {
      Function: job.fun,
      Arguments: args,
      Target: job.tgt,
      'Target-type': job.tgtType,
      User: job.user,
      StartTime: jidToTime(job.jid),
      Minions: [...job.expected],
      Status: job.status,
      Returns: {
        expected: job.summary.expected,
        answered: job.summary.answered,
        failed: job.summary.failed,
        no_response: job.summary.noResponse,
        running: job.summary.running,
      },
    };
  }
  return data;
}


function jobHeader(job: JobDetail, colors: Colors): string {
  const fields: Array<[string, string]> = [
    ['Job', job.jid],
    ['Function', job.fun],
    ['Arguments', describeArguments(job.args, job.kwargs)],
    ['Target', describeTarget(job.tgt, job.tgtType)],
    ['User', job.user],
    ['Started', jidToTime(job.jid)],
  ];
  if (job.parentJid !== null) fields.push(['Parent job', job.parentJid]);
  fields.push(['Status', job.status], ['Minions', describeCounts(job.summary)]);
  const width = Math.max(...fields.map(([label]) => label.length)) + 2;
  const lines = fields.map(([label, value]) => `${`${label}:`.padEnd(width)}${stripEscSequence(value)}`);
  const idWidth = Math.max(0, ...job.returns.map((r) => r.minion.length));
  for (const ret of job.returns) lines.push(`    ${minionLine(ret, idWidth, colors)}`);
  return lines.join('\n');
}

function minionLine(ret: MinionReturn, idWidth: number, colors: Colors): string {
  const color = ret.state === 'answered' ? colors.GREEN : ret.state === 'running' ? colors.YELLOW : colors.RED;
  const details: string[] = [];
  if (ret.retcode !== null && (ret.state === 'answered' || ret.state === 'failed')) details.push(`retcode ${ret.retcode}`);
  if (!ret.expected) details.push('not targeted');
  const word = `${color}${STATE_WORDS[ret.state]}${color ? colors.ENDC : ''}`;
  return `${stripEscSequence(ret.minion).padEnd(idWidth)}  ${word}${details.length ? ` (${details.join(', ')})` : ''}`;
}

/** Positional arguments then `key=value` pairs, as on the command line (non-strings in Python's repr). */
function describeArguments(args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): string {
  const words = args.map(argumentText);
  for (const [key, value] of Object.entries(kwargs)) words.push(`${key}=${argumentText(value)}`);
  return words.length ? words.join(' ') : '(none)';
}

function argumentText(value: unknown): string {
  return typeof value === 'string' ? quoteIfNeeded(value) : pyRepr(value);
}

/** Single-quote empty text and text with whitespace, quotes or shell operators (`'` written as `'\''`); globs stay bare. */
function quoteIfNeeded(text: string): string {
  if (text !== '' && !/[\s'"\\$`;&|<>(){}#~]/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
function alignColumns(rows: readonly string[][]): string {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
  return rows
    .map((row) => row.map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col]))).join('  '))
    .join('\n');
}
