/** Salt's targeting flags (`-E`, `-L`, `-G`, ...) on a command, and the target type they select. */
import type { Command } from 'commander';

/** The flags' values as commander parses them. */
export interface TargetFlags {
  pcre?: boolean;
  list?: boolean;
  grain?: boolean;
  grainPcre?: boolean;
  pillar?: boolean | string;
  pillarTarget?: boolean;
  pillarPcre?: boolean;
  ipcidr?: boolean;
  compound?: boolean;
  nodegroup?: boolean;
}

const FLAG_TYPES: Array<[keyof TargetFlags, string]> = [
  ['pcre', 'pcre'],
  ['list', 'list'],
  ['grain', 'grain'],
  ['grainPcre', 'grain_pcre'],
  ['pillar', 'pillar'],
  ['pillarPcre', 'pillar_pcre'],
  ['ipcidr', 'ipcidr'],
  ['compound', 'compound'],
  ['nodegroup', 'nodegroup'],
];

/** Add Salt's target-type flags to `cmd` (`-I`'s long name is `--pillar-target` where `--pillar` carries pillar data). */
export function addTargetFlags(cmd: Command, opts: { pillarDataFlag?: boolean } = {}): Command {
  return cmd
    .option('-E, --pcre', 'the target is a regular expression over minion ids')
    .option('-L, --list', 'the target is a comma-separated list of ids')
    .option('-G, --grain', 'the target is grain:value (globs, nested a:b:c)')
    .option('-P, --grain-pcre', 'the target is grain:regex')
    .option(opts.pillarDataFlag ? '-I, --pillar-target' : '-I, --pillar', 'the target is pillar:value')
    .option('-J, --pillar-pcre', 'the target is pillar:regex')
    .option('-S, --ipcidr', 'the target is a subnet or address')
    .option('-C, --compound', "the target is a compound expression ('G@os:Debian and web*')")
    .option('-N, --nodegroup', 'the target is a nodegroup of the master config');
}

/** The target type the flags select (glob when none); an error message when several are given. */
export function targetType(flags: TargetFlags): string | { error: string } {
  const chosen = FLAG_TYPES.filter(([flag]) => flags[flag] === true).map(([, type]) => type);
  if (flags.pillarTarget) chosen.push('pillar');
  if (chosen.length > 1) return { error: `choose one target type, not ${chosen.join(' and ')}` };
  return chosen[0] ?? 'glob';
}

/** A list target as Salt passes it on: comma-separated ids become a list. */
export function targetValue(tgt: string, type: string): string | string[] {
  return type === 'list' ? tgt.split(',').map((s) => s.trim()).filter(Boolean) : tgt;
}
