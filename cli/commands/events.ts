/**
 * `brine events`: the event bus live, as `salt-run state.event pretty=True` shows Salt's: one
 * tag (the subject) and its data per event. Events meant for the master only (minion starts,
 * sealed for the master) show who sent them, not their content.
 */
import type { Command } from 'commander';
import { DEFAULT_CONFIG_DIR } from '../../common/config';
import { BrineError } from '../../common/errors';
import { loadMasterConfig } from '../../master/config/index';
import { MasterClient, type BusEvent } from '../master-client/client';

interface EventsFlags {
  configDir: string;
  pretty?: boolean;
  all?: boolean;
  count?: string;
}

/** Register `events`. */
export function registerEvents(program: Command, setExit: (code: number) => void): void {
  program
    .command('events')
    .description('show the event bus live (job published, minion started, progress, returns)')
    .argument('[filter]', "NATS subject filter (default 'brine.evt.>')", 'brine.evt.>')
    .option('-c, --config-dir <dir>', 'configuration directory holding the master file', DEFAULT_CONFIG_DIR)
    .option('--pretty', 'indent the data')
    .option('--all', 'start with the stored events instead of only new ones')
    .option('-n, --count <n>', 'stop after this many events')
    .action(async (filter: string, flags: EventsFlags) => {
      setExit(await showEvents(filter, flags));
    });
}

async function showEvents(filter: string, flags: EventsFlags): Promise<number> {
  let client: MasterClient;
  try {
    client = await MasterClient.connect(loadMasterConfig(flags.configDir));
  } catch (e) {
    process.stderr.write(`brine events: ${e instanceof BrineError ? e.describe() : (e as Error).message}\n`);
    return 1;
  }
  const limit = flags.count === undefined ? Infinity : Number(flags.count);
  const stream = client.busEvents(filter, flags.all ? 'all' : 'new');
  const stop = () => stream.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let seen = 0;
  try {
    for await (const event of stream.events) {
      process.stdout.write(formatEvent(event, flags.pretty === true) + '\n');
      if (++seen >= limit) break;
    }
  } finally {
    stream.stop();
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    await client.close();
  }
  return 0;
}

/** One event as a line (or block with `pretty`): its tag, then its data. */
export function formatEvent(event: BusEvent, pretty: boolean): string {
  const data =
    event.payload !== undefined
      ? event.payload
      : { from: event.header.from, to: event.header.to, _stamp: new Date(event.header.ts).toISOString(), sealed: event.header.sealed };
  const text = JSON.stringify(data, (_k, v: unknown) => (v instanceof Uint8Array ? `<${v.length} bytes>` : v), pretty ? 4 : undefined);
  return `${event.subject}\t${text}`;
}
