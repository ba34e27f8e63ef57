/**
 * What the highstate outputter's parts share: the options with Salt's defaults applied, the
 * colour table, and the signal that Salt's outputter would have raised (then the nested
 * outputter prints the data instead, as `salt.output.try_printout` does).
 */
import { type Colors, getColors } from './colors';
import type { OutputOptions } from './options';
import { isMapping, mappingEntries } from './python-text';

/** Options with defaults applied, plus colours. */
export interface HighstateContext {
  colors: Colors;
  verbose: boolean;
  /** `state_output`, lower-cased. */
  mode: string;
  profile: boolean;
  diffOnly: boolean;
  pct: boolean;
  tabular: boolean;
  exclude: string[];
  terse: string[];
  opts: OutputOptions;
}

/** Build the context for one outputter call. */
export function highstateContext(opts: OutputOptions): HighstateContext {
  return {
    colors: getColors(opts.color),
    verbose: opts.stateVerbose ?? true,
    mode: String(opts.stateOutput ?? 'full').toLowerCase(),
    profile: opts.stateOutputProfile ?? true,
    diffOnly: opts.stateOutputDiff ?? false,
    pct: opts.stateOutputPct ?? false,
    tabular: opts.stateTabular ?? false,
    exclude: opts.stateOutputExclude ?? [],
    terse: opts.stateOutputTerse ?? [],
    opts,
  };
}

/** Raised where Salt's highstate outputter raises (KeyError, TypeError, AttributeError, IndexError). */
export class OutputterFallback extends Error {}

/** A plain record view of a mapping value (Maps are converted). */
export type Dict = Record<string, unknown>;

/** The value as a record when it is a mapping. */
export function asDict(value: unknown): Dict | undefined {
  if (!isMapping(value)) return undefined;
  return value instanceof Map ? Object.fromEntries(mappingEntries(value).map(([k, v]) => [String(k), v])) : value;
}

/** `key in dict`. */
export function has(dict: Dict, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(dict, key);
}

/** `dict[key]`, raising like Python when the key is missing. */
export function need(dict: Dict, key: string): unknown {
  if (!has(dict, key)) throw new OutputterFallback(`KeyError: '${key}'`);
  return dict[key];
}

/** Python truthiness of a data value. */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '' || value === 0n) return false;
  if (typeof value === 'number' && Number.isNaN(value)) return true;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Map) return value.size > 0;
  if (isMapping(value)) return Object.keys(value).length > 0;
  return true;
}
