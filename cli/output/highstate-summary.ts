/**
 * The `Summary for <host>` block that ends a host's highstate output: succeeded (with
 * `unchanged=`/`changed=`), failed, optional percentages and warnings, total states run and the
 * total run time (ms, or s from 1000 ms on), all right-aligned to one column.
 */
import { pyFixed, pyFloatRepr, pyRound } from '../../common/python/number';
import type { HighstateContext } from './highstate-context';

/** Counts per result (`True`, `False`, `None`, other results by their `str()`) and of warnings. */
export interface ResultCounts {
  byResult: Map<string, number>;
  warnings: number;
}

/** What the summary needs from the state loop. */
export interface SummaryInput {
  host: string;
  counts: ResultCounts;
  changed: number;
  durations: number[];
  parallelDurations: number[];
}

/** The summary lines (the first starts with a blank line, as Salt prints it). */
export function summaryLines(input: SummaryInput, ctx: HighstateContext): string[] {
  const c = ctx.colors;
  const { byResult, warnings } = input.counts;
  const count = (key: string): number => byResult.get(key) ?? 0;
  const values = warnings > 0 ? [...byResult.values(), warnings] : [...byResult.values()];
  const countMaxLen = Math.max(0, ...values.map((n) => String(n).length));
  const lineMaxLen = 'Succeeded'.length + countMaxLen + 2;
  const counts = (label: string, value: string): string => `${label}: ${value.padStart(lineMaxLen - (label.length + 2))}`;
  const colored = (color: string, text: string): string => `${color}${text}${c.ENDC}`;

  const lines = [colored(c.CYAN, `\nSummary for ${input.host}\n${'-'.repeat(lineMaxLen)}`)];
  const stats: string[] = [];
  if (count('None') > 0) stats.push(colored(c.LIGHT_YELLOW, `unchanged=${count('None')}`));
  if (input.changed > 0) stats.push(colored(c.GREEN, `changed=${input.changed}`));
  const changeStats = stats.length > 0 ? ` (${stats.join(', ')})` : '';
  lines.push(colored(c.GREEN, counts('Succeeded', String(count('True') + count('None')))) + changeStats);
  const failed = count('False');
  lines.push(colored(failed ? c.RED : c.CYAN, counts('Failed', String(failed))));

  const total = [...byResult.values()].reduce((a, b) => a + b, 0);
  if (ctx.pct && total !== 0) {
    const success = pyRound(((count('True') + count('None')) / total) * 100, 2);
    lines.push(colored(c.GREEN, counts('Success %', pyFloatRepr(success))));
    const failure = pyRound((failed / total) * 100, 2);
    lines.push(colored(failed ? c.RED : c.CYAN, counts('Failure %', pyFloatRepr(failure))));
  }
  if (warnings > 0) lines.push(colored(c.LIGHT_RED, counts('Warnings', String(warnings))));
  lines.push(colored(c.CYAN, `${'-'.repeat(lineMaxLen)}\nTotal states run: ${String(total).padStart(lineMaxLen - 7)}`));

  if (ctx.profile) {
    let sum = input.durations.reduce((a, b) => a + b, 0);
    if (input.parallelDurations.length > 0) sum += Math.max(...input.parallelDurations);
    let unit = 'ms';
    if (sum > 999) {
      sum /= 1000;
      unit = 's';
    }
    lines.push(colored(c.CYAN, `Total run time: ${pyFixed(sum, 3).padStart(lineMaxLen - 5)} ${unit}`));
  }
  return lines;
}
