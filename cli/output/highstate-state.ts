/**
 * One state's lines in the highstate outputter: the full block (`----------`, `ID:`, `Function:`,
 * `Name:`, `Result:`, `Comment:`, `Started:`, `Duration:`, `Changes:`, warnings) and the one-line
 * terse form used by `state_output: terse|mixed|changes|filter`.
 */
import { pyFloatRepr } from '../../common/python/number';
import { type Dict, type HighstateContext, OutputterFallback, asDict, has, need, pyTruthy } from './highstate-context';
import { pyLstrip, pyStr, pyStrip } from './python-text';
import { textFill } from './textwrap';

/** The parts of a state tag `<mod>_|-<id>_|-<name>_|-<fun>`. */
export type TagParts = string[];

function part(comps: TagParts, index: number): string {
  const i = index < 0 ? comps.length + index : index;
  if (i < 0 || i >= comps.length) throw new OutputterFallback('IndexError: list index out of range');
  return comps[i];
}

/** `str(duration)`: Salt's durations are floats (`12.0`, never `12`). */
function durationText(value: unknown): string {
  return typeof value === 'number' ? pyFloatRepr(value) : pyStr(value);
}

/** `"\n".join(warnings)` — which, for a string, joins its characters. */
function joinWarnings(warnings: unknown): string {
  if (typeof warnings === 'string') return [...warnings].join('\n');
  if (Array.isArray(warnings) && warnings.every((w) => typeof w === 'string')) return warnings.join('\n');
  throw new OutputterFallback('TypeError: sequence item: expected str instance');
}

/** Salt's terse line for one state. */
export function terseLine(tcolor: string, comps: TagParts, ret: Dict, ctx: HighstateContext): string {
  const c = ctx.colors;
  let result = 'Clean';
  if (pyTruthy(need(ret, 'changes'))) result = 'Changed';
  if (ret.result === false) result = 'Failed';
  else if (ret.result === null) result = 'Differs';
  const name = part(comps, 2);
  const mod = part(comps, 0);
  const fun = part(comps, -1);
  const profiled = ctx.profile && has(ret, 'start_time');
  const warnings = has(ret, 'warnings') ? joinWarnings(ret.warnings) : undefined;
  if (ctx.tabular) {
    let line = warnings !== undefined ? `${c.LIGHT_RED}Warnings:\n${warnings}${c.ENDC}\n` : '';
    line += tcolor;
    if (profiled) line += `${pyStr(ret.start_time)} [${durationText(need(ret, 'duration')).padStart(7)} ms] `;
    return `${line}${mod.padStart(10)}.${fun.padEnd(10)} ${result.padEnd(7)}   Name: ${name}${c.ENDC}`;
  }
  let line = warnings !== undefined ? `${c.LIGHT_RED}Warnings:\n${warnings}${c.ENDC}` : '';
  line += ` ${tcolor} Name: ${name} - Function: ${mod}.${fun} - Result: ${result}`;
  if (profiled) line += ` - Started: ${pyStr(ret.start_time)} - Duration: ${durationText(need(ret, 'duration'))} ms`;
  return line + c.ENDC;
}

/** The comment as shown: stripped, continuation lines indented 14, plus any `data`. */
function commentText(ret: Dict): string {
  let comment = pyStrip(pyStr(need(ret, 'comment'))).replace(/\n/g, `\n${' '.repeat(14)}`);
  if (has(ret, 'data')) {
    const data = ret.data;
    const dict = asDict(data);
    if (Array.isArray(data)) for (const item of data) comment = `${comment} ${pyStr(item)}`;
    else if (dict) for (const [key, value] of Object.entries(dict)) comment = `${comment}\n\t\t${key}: ${pyStr(value)}`;
    else comment = `${comment} ${pyStr(data)}`;
  }
  return comment;
}

/** The full block of one state; also reports whether it carried warnings (they are counted). */
export function fullBlock(
  tcolor: string,
  comps: TagParts,
  ret: Dict,
  changesText: string,
  ctx: HighstateContext,
): { lines: string[]; warned: boolean } {
  const c = ctx.colors;
  const E = c.ENDC;
  const id = part(comps, 1);
  const lines = [
    `${tcolor}----------${E}`,
    `    ${tcolor}      ID: ${id}${E}`,
    `    ${tcolor}Function: ${part(comps, 0)}.${part(comps, 3)}${E}`,
    `    ${tcolor}  Result: ${pyStr(ret.result)}${E}`,
    `    ${tcolor} Comment: ${commentText(ret)}${E}`,
  ];
  if (ctx.profile && has(ret, 'start_time')) {
    const duration = has(ret, 'duration') && ret.duration !== '' ? `${durationText(ret.duration)} ms` : '';
    lines.push(`    ${tcolor} Started: ${pyStr(ret.start_time)}${E}`, `    ${tcolor}Duration: ${duration}${E}`);
  }
  const name = part(comps, 2);
  if (id !== name) lines.splice(3, 0, `    ${tcolor}    Name: ${name}${E}`);
  lines.push(`${tcolor}     Changes:   ${changesText}${E}`);
  if (!has(ret, 'warnings')) return { lines, warned: false };
  const indent = ' '.repeat(14);
  const wrapped = pyLstrip(textFill(joinWarnings(ret.warnings), 80, indent, indent));
  lines.push(`   ${c.LIGHT_RED} Warnings: ${wrapped}${E}`);
  return { lines, warned: true };
}
