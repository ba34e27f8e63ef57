/**
 * `brine run TGT FUN [ARG...] [k=v...]` (Salt's `salt`) and `brine state apply TGT [SLS,...]`:
 * publish a job through the master and print the returns as they arrive, then a summary.
 */
import type { Command } from 'commander';
import { DEFAULT_CONFIG_DIR } from '../../common/config';
import { BrineError } from '../../common/errors';
import type { Dict } from '../../common/types';
import { loadMasterConfig, type MasterConfig } from '../../master/config/index';
import { parseCliArgs } from '../../minion/exec/args';
import { MasterClient } from '../master-client/client';
import { watchJob } from '../master-client/watch-job';
import { addReturnOutputFlags, outputOptions, type OutputFlags } from '../output-flags';
import { addTargetFlags, targetType, targetValue, type TargetFlags } from './target-flags';

interface RunFlags extends OutputFlags, TargetFlags {
  configDir: string;
  timeout?: string;
  summary?: boolean;
}

interface StateFlags extends RunFlags {
  test?: boolean;
}

const MACHINE_OUTPUTTERS = new Set(['json', 'yaml', 'raw', 'quiet', 'txt']);

function addCommonFlags(cmd: Command): Command {
  return addReturnOutputFlags(cmd)
    .option('-c, --config-dir <dir>', 'configuration directory holding the master file', DEFAULT_CONFIG_DIR)
    .option('-t, --timeout <seconds>', "seconds without news from a minion before it is named as not responding (default: the master's timeout)")
    .option('--summary', 'print the summary even with a machine-readable --out');
}

/** Register `run` and `state apply|sls|highstate`. */
export function registerRun(program: Command, setExit: (code: number) => void): void {
  addCommonFlags(addTargetFlags(program.command('run')))
    .description('run an execution function on the targeted minions (like salt)')
    .argument('<target>', "which minions: a glob by default ('ctrl-*')")
    .argument('<fun>', 'function, e.g. test.ping, cmd.run, state.apply')
    .argument('[args...]', 'positional arguments and key=value keyword arguments')
    .action(async (tgt: string, fun: string, words: string[], flags: RunFlags) => {
      const { args, kwargs } = parseCliArgs(words);
      setExit(await publishAndWatch(tgt, fun, args, kwargs, flags));
    });
  const state = program.command('state').description('apply states on the targeted minions');
  for (const [name, fun] of [
    ['apply', 'state.apply'],
    ['sls', 'state.sls'],
    ['highstate', 'state.highstate'],
  ] as const) {
    const cmd = addCommonFlags(addTargetFlags(state.command(name), { pillarDataFlag: true }))
      .description(`${fun} on the targeted minions`)
      .argument('<target>', "which minions: a glob by default ('ctrl-*')")
      .option('--test', 'dry run: report what would change (test=True)')
      .option('--pillar <json>', "pillar override for this run, as JSON (Salt's pillar=...)");
    if (name !== 'highstate') cmd.argument(name === 'sls' ? '<sls>' : '[sls]', 'SLS names, comma-separated');
    cmd.argument('[kwargs...]', 'key=value keyword arguments');
    cmd.action(async (tgt: string, ...rest: unknown[]) => {
      const flags = rest.find((r): r is StateFlags => typeof r === 'object' && r !== null && !Array.isArray(r) && 'configDir' in r) as StateFlags;
      const sls = name !== 'highstate' ? (rest[0] as string | undefined) : undefined;
      const words = (name !== 'highstate' ? rest[1] : rest[0]) as string[];
      const { args, kwargs } = parseCliArgs(words ?? []);
      if (sls) args.unshift(sls);
      if (flags.test) kwargs.test = true;
      if (typeof flags.pillar === 'string') {
        try {
          kwargs.pillar = JSON.parse(flags.pillar) as Dict;
        } catch (e) {
          process.stderr.write(`brine state ${name}: --pillar is not valid JSON: ${(e as Error).message}\n`);
          setExit(1);
          return;
        }
      }
      setExit(await publishAndWatch(tgt, fun, args, kwargs, flags));
    });
  }
}

async function publishAndWatch(tgt: string, fun: string, args: unknown[], kwargs: Dict, flags: RunFlags): Promise<number> {
  const type = targetType(flags);
  if (typeof type !== 'string') return fail(type.error);
  let config: MasterConfig;
  try {
    config = loadMasterConfig(flags.configDir);
  } catch (e) {
    return fail(e instanceof BrineError ? e.describe() : (e as Error).message);
  }
  const timeout = flags.timeout === undefined ? config.timeout : Number(flags.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) return fail(`--timeout must be a positive number of seconds, got ${flags.timeout}`);
  let client: MasterClient;
  try {
    client = await MasterClient.connect(config);
  } catch (e) {
    return fail((e as Error).message);
  }
  try {
    const reply = await client.command({ op: 'publish', fun, args, kwargs, tgt: targetValue(tgt, type), tgtType: type, timeout, user: process.env.SUDO_USER ?? process.env.USER ?? 'root' });
    if (!reply.ok) return fail(reply.error);
    if (reply.op !== 'publish') return fail('unexpected answer from the master');
    if (reply.expected.length === 0) {
      process.stderr.write('No minions matched the target. No command was sent, no jid was assigned.\n');
      if (reply.missing.length) process.stderr.write(`Not known to the master: ${reply.missing.join(', ')}\n`);
      return 1;
    }
    const machine = flags.out !== undefined && MACHINE_OUTPUTTERS.has(flags.out);
    const outcome = await watchJob(client, reply.jid, reply.expected, reply.missing, {
      out: flags.out,
      output: outputOptions(flags),
      summary: flags.summary === true || !machine,
      write: (text) => process.stdout.write(text),
    });
    return outcome.exitCode;
  } catch (e) {
    return fail((e as Error).message);
  } finally {
    await client.close();
  }
}

function fail(message: string): number {
  process.stderr.write(`brine: ${message}\n`);
  return 1;
}
