/**
 * The highstate outputter proper (Salt's `output` and `_format_host`): unwrapping job envelopes,
 * then per host either the state blocks and summary, the "Data failed to compile" list, or a
 * plain value printed under the host name.
 */
import { compareCodePoints } from '../../common/yaml/dump-represent';
import { stripEscSequence } from './colors';
import { formatChanges } from './highstate-changes';
import { type Dict, type HighstateContext, OutputterFallback, asDict, has, need, pyTruthy } from './highstate-context';
import { fullBlock, terseLine } from './highstate-state';
import { type ResultCounts, summaryLines } from './highstate-summary';
import { pformat } from './pformat';
import { PyValueError, pyFloat } from './python-number';
import { pySplitlines, pyStr } from './python-text';

const MISSING_RUN_NUM =
  'The State execution failed to record the order in which all states were executed. The state return missing data is:';

const NESTED_STATE_FUNCTIONS = ['state.orch', 'state.orchestrate', 'state.sls'];

/** Salt's `output()`: the text, or (like Salt) a bare int/str value passed straight through. */
export function highstateOutput(data: unknown, ctx: HighstateContext, indentLevel = 1): string | number | boolean | bigint {
  let current = data;
  let dict = asDict(current);
  if (dict && has(dict, 'return')) current = dict.return;
  dict = asDict(current);
  if (dict && has(dict, 'data')) current = dict.data;
  dict = asDict(current);
  if (dict && Object.keys(dict).length === 1) {
    const only = asDict(Object.values(dict)[0]);
    if (only && has(only, 'jid') && has(only, 'fun')) {
      const ret = has(only, 'return') ? asDict(only.return) : {};
      if (!ret) throw new OutputterFallback("AttributeError: 'return' has no get()");
      if (has(ret, 'data')) current = ret.data;
    }
  }
  if (typeof current === 'string' || typeof current === 'boolean' || typeof current === 'bigint') return current;
  if (typeof current === 'number' && Number.isInteger(current)) return current;
  if (current === null || current === undefined) return 'None';
  let hosts = asDict(current);
  if (!hosts) throw new OutputterFallback("AttributeError: no keys()");
  const masters = Object.keys(hosts).filter((k) => k.endsWith('_master'));
  if (has(hosts, 'retcode') && masters.length === 1) {
    const { retcode: _dropped, ...rest } = hosts;
    hosts = rest;
  }
  const texts = Object.entries(hosts).map(([host, hostData]) => formatHost(host, hostData, indentLevel, ctx).text);
  return texts.join('\n');
}

function resultKey(result: unknown): string {
  return pyStr(result === undefined ? null : result);
}

function collectDuration(value: unknown, into: number[]): void {
  try {
    into.push(pyFloat(value));
  } catch (e) {
    if (!(e instanceof PyValueError)) throw new OutputterFallback(String(e));
    try {
      into.push(pyFloat(String(value).split(' ms')[0]));
    } catch (e2) {
      if (!(e2 instanceof PyValueError)) throw new OutputterFallback(String(e2));
      // Salt logs "Cannot parse a float from duration" and goes on.
    }
  }
}

/** States in `__run_num__` order (stable); Python cannot sort mixed types and raises. */
function inRunOrder(states: Array<[string, Dict]>): Array<[string, Dict]> {
  const key = (d: Dict): unknown => (has(d, '__run_num__') ? d.__run_num__ : 0);
  const keys = states.map(([, d]) => key(d));
  const numeric = keys.every((k) => typeof k === 'number' || typeof k === 'boolean');
  const textual = keys.every((k) => typeof k === 'string');
  if (states.length > 1 && !numeric && !textual) throw new OutputterFallback("TypeError: '<' not supported");
  const order = states.map((s, i) => ({ s, k: keys[i] }));
  order.sort((a, b) => (numeric ? Number(a.k) - Number(b.k) : compareCodePoints(String(a.k), String(b.k))));
  return order.map((o) => o.s);
}

/** Salt's `_format_host`: one host's text, and whether anything changed. */
export function formatHost(host: string, data: unknown, indentLevel: number, ctx: HighstateContext): { text: string; changed: boolean } {
  const c = ctx.colors;
  let hcolor = c.GREEN;
  const hstrs: string[] = [];
  let nchanges = 0;
  const dict = asDict(data);

  if (typeof data === 'boolean' || typeof data === 'bigint' || (typeof data === 'number' && Number.isInteger(data))) {
    nchanges = 1;
    hstrs.push(`${hcolor}    ${pyStr(data)}${c.ENDC}`);
    hcolor = c.CYAN;
  } else if (typeof data === 'string') {
    nchanges = 1;
    for (const line of pySplitlines(data)) hstrs.push(`${hcolor}    ${line}${c.ENDC}`);
    hcolor = c.CYAN;
  } else if (Array.isArray(data)) {
    hcolor = c.LIGHT_RED;
    hstrs.push(`    ${hcolor}Data failed to compile:${c.ENDC}`);
    for (const err of data) {
      const text = typeof err === 'string' ? stripEscSequence(err) : pyStr(err);
      hstrs.push(`${hcolor}----------\n    ${text}${c.ENDC}`);
    }
  } else if (dict) {
    const states: Array<[string, Dict]> = [];
    for (const [tname, info] of Object.entries(dict)) {
      const infoDict = asDict(info);
      if (infoDict && tname !== 'changes' && Object.keys(infoDict).length > 0 && !has(infoDict, '__run_num__')) {
        hstrs.unshift(MISSING_RUN_NUM, pformat(info));
      }
      if (infoDict && has(infoDict, 'result')) states.push([tname, infoDict]);
    }
    const counts: ResultCounts = { byResult: new Map(), warnings: 0 };
    const durations: number[] = [];
    const parallelDurations: number[] = [];

    for (const [tname, ret] of inRunOrder(states)) {
      const result = ret.result;
      const key = resultKey(result);
      if (result !== null && result !== undefined && typeof result === 'object') throw new OutputterFallback('TypeError: unhashable type');
      counts.byResult.set(key, (counts.byResult.get(key) ?? 0) + 1);
      collectDuration(has(ret, 'duration') ? ret.duration : 0, has(ret, '__parallel__') ? parallelDurations : durations);

      let schanged: boolean;
      let changesText: string;
      if (NESTED_STATE_FUNCTIONS.some((name) => ret.name === name)) {
        const nested = highstateOutput(need(ret, 'changes'), ctx, indentLevel + 1);
        if (typeof nested !== 'string') throw new OutputterFallback('TypeError: can only concatenate str');
        const pad = ' '.repeat(14 * indentLevel);
        changesText = `\n${nested}`.split('\n').map((line) => pad + line).join('\n');
        schanged = true;
        nchanges += 1;
      } else {
        const formatted = formatChanges(need(ret, 'changes'), ctx, formatHost);
        schanged = formatted.changed;
        changesText = formatted.text;
        if (schanged) nchanges += 1;
      }

      if (ctx.diffOnly && pyTruthy(result) && !schanged) continue;
      if (!ctx.verbose && pyTruthy(result) && !schanged) continue;

      let tcolor = c.GREEN;
      if (schanged) tcolor = c.CYAN;
      if (result === false) {
        hcolor = c.RED;
        tcolor = c.RED;
      }
      if (result === null) {
        hcolor = c.LIGHT_YELLOW;
        tcolor = c.LIGHT_YELLOW;
      }

      const comps = tname.split('_|-');
      if (ctx.mode.endsWith('_id')) {
        if (comps.length < 3) throw new OutputterFallback('IndexError: list index out of range');
        comps[2] = comps[1];
      }
      if (ctx.mode.startsWith('filter')) {
        if (ctx.terse.includes(pyStr(result))) {
          hstrs.push(terseLine(tcolor, comps, ret, ctx));
          continue;
        }
        if (ctx.exclude.includes(pyStr(result))) continue;
      } else if (
        ctx.mode.startsWith('terse') ||
        (ctx.mode.startsWith('mixed') && result !== false) ||
        (ctx.mode.startsWith('changes') && pyTruthy(result) && !schanged)
      ) {
        hstrs.push(terseLine(tcolor, comps, ret, ctx));
        continue;
      }
      const block = fullBlock(tcolor, comps, ret, changesText, ctx);
      hstrs.push(...block.lines);
      if (block.warned) counts.warnings += 1;
    }
    hstrs.push(...summaryLines({ host, counts, changed: nchanges, durations, parallelDurations }, ctx));
  }

  hstrs.unshift(`${hcolor}${stripEscSequence(host)}:${c.ENDC}`);
  return { text: hstrs.join('\n'), changed: nchanges > 0 };
}

