/**
 * `brine call --local FUN [ARG...] [k=v...]`: run an execution function on this host, as
 * `salt-call --local` does, and print its return through Salt's outputters.
 */
import type { Command } from 'commander';
import { loadMinionConfig, DEFAULT_CONFIG_DIR } from '../../common/config';
import { BrineError } from '../../common/errors';
import { parseCliArgs } from '../../minion/exec/args';
import { callFunction } from '../../minion/exec/index';
import { MinionRuntime } from '../../minion/runtime';
import { render } from '../output/render';
import { addReturnOutputFlags, outputOptions, type OutputFlags } from '../output-flags';
import { addLogLevelOption, loggerForLevel } from '../log-level-option';

interface CallFlags extends OutputFlags {
  local?: boolean;
  logLevel?: string;
  configDir: string;
  id?: string;
}

/** Register the `call` subcommand. */
export function registerCall(program: Command, setExit: (code: number) => void): void {
  addLogLevelOption(addReturnOutputFlags(program.command('call')))
    .description('run an execution function on this host (like salt-call)')
    .argument('<fun>', 'function, e.g. state.apply, grains.items, test.ping')
    .argument('[args...]', 'positional arguments and key=value keyword arguments')
    .option('--local', "masterless: use this host's file_roots and pillar_roots (required; through a master use brine run)")
    .option('-c, --config-dir <dir>', 'configuration directory holding the minion file', DEFAULT_CONFIG_DIR)
    .option('--id <id>', 'override the minion id')
    .action(async (fun: string, words: string[], flags: CallFlags) => {
      setExit(await runCall(fun, words, flags));
    });
}

async function runCall(fun: string, words: string[], flags: CallFlags): Promise<number> {
  if (!flags.local) {
    process.stderr.write("brine call: only masterless calls (--local) are supported; to run a function on minions through the master use: brine run TARGET FUN ...\n");
    return 2;
  }
  let minion: MinionRuntime;
  try {
    const overrides = flags.id ? { id: flags.id } : {};
    const config = loadMinionConfig(flags.configDir, overrides);
    minion = new MinionRuntime(config, loggerForLevel(flags.logLevel, config.log_level));
  } catch (e) {
    process.stderr.write(`brine call: ${e instanceof BrineError ? e.describe() : (e as Error).message}\n`);
    return 1;
  }
  const { args, kwargs } = parseCliArgs(words);
  const result = await callFunction(fun, args, kwargs, minion);
  const outputter = flags.out ?? result.outputter;
  try {
    const text = render(outputter, { local: result.data }, outputOptions(flags, minion.config, result.retcode));
    if (text) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  } catch (e) {
    process.stderr.write(`brine call: ${e instanceof BrineError ? e.describe() : (e as Error).message}\n`);
    return 1;
  }
  return result.retcode;
}
