/**
 * What `brine key` and `brine jobs` share: `-c, --config-dir DIR` and loading `DIR/master`
 * with a one-line error, the options given on a command or its parent command, and printing.
 */
import type { Command } from 'commander';
import { DEFAULT_CONFIG_DIR } from '../../common/config';
import { BrineError } from '../../common/errors';
import { loadMasterConfig, type MasterConfig } from '../../master/config/index';
import { OUTPUTTER_NAMES } from '../output/render';

/** Exit status of a command line the command cannot run (bad argument, refused confirmation). */
export const EXIT_USAGE = 2;

/** Add `-c, --config-dir <dir>` (no commander default, so a value given on a parent command is not overridden). */
export function addMasterConfigOption(command: Command): Command {
  return command.option('-c, --config-dir <dir>', `configuration directory holding the master file (default: ${DEFAULT_CONFIG_DIR})`);
}

/** Add `--out`, `--out-indent`, `--no-color` and `--force-color`. */
export function addOutputOptions(command: Command, outputters: string): Command {
  return command
    .option('--out <outputter>', outputters)
    .option('--out-indent <n>', 'indent for json and yaml output', (v) => Number.parseInt(v, 10))
    .option('--no-color', 'never print colours')
    .option('--force-color', 'print colours even when not on a terminal');
}

/**
 * The options given on the command line to `command` or to its parent commands (the nearest
 * wins); options left at their defaults are absent, so `--no-color` is only `color: false`
 * when it was typed.
 */
export function givenOptions<T extends object>(command: Command): Partial<T> {
  const given: Record<string, unknown> = {};
  for (let cmd: Command | null = command; cmd; cmd = cmd.parent) {
    const values = cmd.opts();
    for (const [name, value] of Object.entries(values)) {
      if (name in given) continue;
      const source = cmd.getOptionValueSource(name);
      if (source === 'cli' || source === 'env') given[name] = value;
    }
  }
  return given as Partial<T>;
}

/** Whether `--out NAME` names an outputter (`extra` lists the command's own, e.g. `key`). */
export function isKnownOutputter(name: string, extra: readonly string[] = []): boolean {
  return name === 'text' || OUTPUTTER_NAMES.includes(name) || extra.includes(name);
}

/**
 * Load `DIR/master` (DIR defaults to /etc/brine). On a bad file, writes `<prog>: <error>` to
 * stderr and returns undefined: the caller exits 1.
 */
export function loadMasterConfigOrReport(prog: string, configDir: string | undefined): MasterConfig | undefined {
  try {
    return loadMasterConfig(configDir ?? DEFAULT_CONFIG_DIR);
  } catch (err) {
    reportError(prog, err);
    return undefined;
  }
}

/** The colour and state output settings of a master config, for outputOptions. */
export function masterOutputConfig(cfg: MasterConfig): { color: boolean | null; state_output: string; state_verbose: boolean } {
  const raw = cfg.raw;
  return {
    color: typeof raw.color === 'boolean' ? raw.color : null,
    state_output: typeof raw.state_output === 'string' ? raw.state_output : 'full',
    state_verbose: raw.state_verbose !== false,
  };
}

/** Write `<prog>: <message>` to stderr (a BrineError with its file and line). */
export function reportError(prog: string, err: unknown): void {
  const text = err instanceof BrineError ? err.describe() : err instanceof Error ? err.message : String(err);
  process.stderr.write(`${prog}: ${text}\n`);
}

/** Print text followed by a newline (nothing for empty text, as Salt prints nothing for `--out quiet`). */
export function printText(text: string): void {
  if (text !== '') process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}
