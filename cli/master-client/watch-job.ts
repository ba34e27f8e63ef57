/**
 * Following a published job to its end: each minion's return printed as it arrives, the
 * minions that did not respond named, then Salt's summary; the exit status says whether every
 * expected minion answered and succeeded.
 */
import type { JobEvent } from '../../common/protocol/messages';
import type { OutputOptions } from '../output/options';
import { render } from '../output/render';
import { NO_RESPONSE_TEXT } from '../commands/jobs-format';
import type { MasterClient } from './client';

/** How to print a job's returns. */
export interface WatchOptions {
  /** --out, or undefined for each function's own outputter. */
  out?: string;
  output: OutputOptions;
  /** Print Salt's summary block at the end. */
  summary: boolean;
  write: (text: string) => void;
}

/** Where each expected minion ended. */
export interface JobOutcome {
  answered: string[];
  failed: string[];
  noResponse: string[];
  exitCode: number;
}

/** Print the returns of job `jid` as they come until the master says it is done. */
export async function watchJob(client: MasterClient, jid: string, expected: readonly string[], missing: readonly string[], opts: WatchOptions): Promise<JobOutcome> {
  const printed = new Set<string>();
  const retcodes = new Map<string, number>();
  const stream = client.jobEvents(jid);
  let done: Extract<JobEvent, { type: 'done' }> | undefined;
  try {
    for await (const event of stream.events) {
      if (event.type === 'ret' && !printed.has(event.minion)) {
        printed.add(event.minion);
        retcodes.set(event.minion, event.success ? 0 : event.retcode || 1);
        print(opts, opts.out ?? event.outputter, { [event.minion]: event.data }, event.retcode);
      } else if (event.type === 'done') {
        done = event;
        break;
      }
    }
  } finally {
    stream.stop();
  }
  const noResponse = [...(done?.noResponse ?? []), ...missing];
  for (const id of noResponse) print(opts, opts.out ?? 'nested', { [id]: NO_RESPONSE_TEXT }, 1);
  const failed = expected.filter((id) => (retcodes.get(id) ?? 0) !== 0);
  const answered = expected.filter((id) => retcodes.get(id) === 0);
  if (opts.summary) opts.write(summaryText(expected.length + missing.length, answered.length + failed.length, noResponse, failed) + '\n');
  let exitCode = 0;
  for (const code of retcodes.values()) exitCode = Math.max(exitCode, code);
  if (noResponse.length) exitCode = Math.max(exitCode, 1);
  return { answered, failed, noResponse, exitCode };
}

function print(opts: WatchOptions, outputter: string, data: Record<string, unknown>, retcode: number): void {
  const text = render(outputter, data, { ...opts.output, retcode });
  if (text) opts.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Salt's `--summary` block, then the minions that did not respond. */
export function summaryText(targeted: number, returned: number, noResponse: readonly string[], failed: readonly string[]): string {
  const rule = '-------------------------------------------';
  const lines = [
    rule,
    'Summary',
    rule,
    `# of minions targeted: ${targeted}`,
    `# of minions returned: ${returned}`,
    `# of minions that did not return: ${noResponse.length}`,
    `# of minions with errors: ${failed.length}`,
    rule,
  ];
  if (noResponse.length) lines.push(`Minions not responding: ${noResponse.join(', ')}`);
  if (failed.length) lines.push(`Minions with errors: ${failed.join(', ')}`);
  return lines.join('\n');
}
