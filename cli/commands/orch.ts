/**
 * `brine orch run NAME [--pillar JSON] [--test]` (Salt's `salt-run state.orchestrate orch.NAME`)
 * and `brine orch resume JID`: start or continue an orchestration on the master and follow it
 * live (a display that updates in place on a terminal, timestamped lines otherwise), or print
 * Salt's orchestration structure with `--out json`.
 */
import type { Command } from 'commander';
import { DEFAULT_CONFIG_DIR } from '../../common/config';
import { BrineError } from '../../common/errors';
import { orchEventsFilter, type OrchEvent } from '../../common/protocol/orch';
import type { Dict } from '../../common/types';
import { loadMasterConfig } from '../../master/config/index';
import { MasterClient } from '../master-client/client';
import { render } from '../output/render';

interface OrchFlags {
  configDir: string;
  pillar?: string;
  test?: boolean;
  out?: string;
  color?: boolean;
  forceColor?: boolean;
}

/** Register `orch run` and `orch resume`. */
export function registerOrch(program: Command, setExit: (code: number) => void): void {
  const orch = program.command('orch').description('orchestration across minions (like salt-run state.orchestrate)');
  const common = (cmd: Command) =>
    cmd
      .option('-c, --config-dir <dir>', 'configuration directory holding the master file', DEFAULT_CONFIG_DIR)
      .option('--out <outputter>', "json: Salt's orchestration structure; highstate: Salt's text; default: the live display")
      .option('--no-color', 'never print colours')
      .option('--force-color', 'print colours even when not on a terminal');
  common(orch.command('run'))
    .description('run orchestration NAME (orch/NAME.sls in the file roots) and follow it')
    .argument('<name>', 'the orchestration: prereqos for orch/prereqos.sls')
    .option('--pillar <json>', 'pillar data for the run, as JSON (e.g. \'{"firstnode": "ctrl-1"}\')')
    .option('--test', 'run every step with test=True: show what would change, change nothing')
    .action(async (name: string, flags: OrchFlags) => {
      let pillar: Dict | undefined;
      if (flags.pillar !== undefined) {
        try {
          const parsed: unknown = JSON.parse(flags.pillar);
          if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
          pillar = parsed as Dict;
        } catch (e) {
          process.stderr.write(`brine orch run: --pillar must be a JSON object: ${(e as Error).message}\n`);
          setExit(1);
          return;
        }
      }
      setExit(await follow(flags, { op: 'orch', name, test: flags.test === true, ...(pillar ? { pillar } : {}), user: process.env.SUDO_USER ?? process.env.USER ?? 'root' }));
    });
  common(orch.command('resume'))
    .description('continue an orchestration cut short by a master restart, from its first unfinished step')
    .argument('<jid>', 'the orchestration job id')
    .action(async (jid: string, flags: OrchFlags) => {
      setExit(await follow(flags, { op: 'orch-resume', jid }));
    });
}

async function follow(flags: OrchFlags, cmd: { op: 'orch'; name: string; test: boolean; pillar?: Dict; user?: string } | { op: 'orch-resume'; jid: string }): Promise<number> {
  let client: MasterClient;
  try {
    client = await MasterClient.connect(loadMasterConfig(flags.configDir));
  } catch (e) {
    process.stderr.write(`brine orch: ${e instanceof BrineError ? e.describe() : (e as Error).message}\n`);
    return 1;
  }
  try {
    const reply = await client.command(cmd);
    if (!reply.ok) {
      process.stderr.write(`brine orch: ${reply.error}\n`);
      return 1;
    }
    if (reply.op !== 'orch') throw new Error('unexpected answer from the master');
    const tty = Boolean(process.stdout.isTTY) && flags.out === undefined;
    const color = flags.forceColor === true || (flags.color !== false && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
    // the display (and its library) is loaded only when it is shown
    const display = flags.out === undefined ? (require('../orch-display/index') as typeof import('../orch-display/index')).createOrchDisplay({ stream: process.stdout, tty, color }) : undefined;
    if (cmd.op === 'orch-resume' && !reply.resumed) process.stderr.write(`brine orch: ${reply.jid} is running on the master: following it\n`);
    const stream = client.busEvents(orchEventsFilter(reply.jid), 'all');
    const stop = () => stream.stop();
    process.once('SIGINT', stop);
    let done: Extract<OrchEvent, { type: 'orch-done' }> | undefined;
    try {
      for await (const e of stream.events) {
        const event = e.payload as OrchEvent | undefined;
        if (!event) continue;
        display?.handle(event);
        if (event.type === 'orch-done') {
          done = event;
          break;
        }
      }
    } finally {
      stream.stop();
      process.removeListener('SIGINT', stop);
      display?.finish();
    }
    if (!done) {
      process.stderr.write(`brine orch: stopped following ${reply.jid}; it goes on on the master (brine orch resume ${reply.jid} follows it again)\n`);
      return 1;
    }
    if (flags.out === 'json') process.stdout.write(JSON.stringify({ outputter: 'highstate', data: done.data, retcode: done.retcode }, null, 4) + '\n');
    else if (flags.out !== undefined) {
      const text = render(flags.out, done.data, { color });
      if (text) process.stdout.write(text + '\n');
    }
    return done.retcode === 0 ? 0 : 1;
  } catch (e) {
    process.stderr.write(`brine orch: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await client.close();
  }
}
