/** Turning CLI flags and config into outputter options (colour only on a TTY unless forced). */
import type { Command } from 'commander';
import type { MinionConfig } from '../common/config';
import type { OutputOptions } from './output/options';

/** Output flags shared by the commands that print returns. */
export interface OutputFlags {
  out?: string;
  outIndent?: number;
  color?: boolean;
  forceColor?: boolean;
  stateOutput?: string;
  stateVerbose?: string;
}

/** Compute outputter options from flags, config and whether stdout is a terminal. */
export function outputOptions(
  flags: OutputFlags,
  config?: Pick<MinionConfig, 'color' | 'state_output' | 'state_verbose'>,
  retcode = 0,
): OutputOptions {
  let color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  if (config?.color === false) color = false;
  if (flags.color === false) color = false;
  if (flags.forceColor) color = true;
  const verbose = flags.stateVerbose === undefined ? (config?.state_verbose ?? true) : !/^(false|0|no)$/i.test(flags.stateVerbose);
  const mode = (flags.stateOutput ?? config?.state_output ?? 'full') as OutputOptions['stateOutput'];
  const opts: OutputOptions = { color, stateVerbose: verbose, stateOutput: mode, retcode };
  if (flags.outIndent !== undefined && !Number.isNaN(flags.outIndent)) opts.outputIndent = flags.outIndent;
  return opts;
}

/** Add the flags of commands that print returns: --out, --out-indent, colours and the state output modes. */
export function addReturnOutputFlags(cmd: Command): Command {
  return cmd
    .option('--out <outputter>', 'highstate, nested, json, yaml, txt, raw or quiet')
    .option('--out-indent <n>', 'indent for json output', (v) => Number.parseInt(v, 10))
    .option('--no-color', 'never print colours')
    .option('--force-color', 'print colours even when not on a terminal')
    .option('--state-output <mode>', 'full, terse, mixed, changes or filter')
    .option('--state-verbose <bool>', 'show states that succeeded without changes (True/False)');
}
