/** Reading pkgrepo arguments as Salt does: truthiness, comma lists, and the wanted source entry. */
import type { Dict } from '../../../common/types';
import { pyStr } from '../../../common/python/repr';
import { combineComments, formatSourceLine, HOST_APT_PATHS, parseSourceLine, withOption, type AptPaths, type SourceEntry } from '../../backends/apt-sources';

/** What the pkgrepo states run against; tests point these at temp directories. */
export interface PkgrepoOptions {
  /** apt's lists, keyrings and apt-get options (default: this host's). */
  paths?: AptPaths;
  /** How long a keyserver may take to accept a connection (default 5000 ms). */
  keyserverTimeoutMs?: number;
  /** How long an http(s) key_url may take (default 30000 ms). */
  keyUrlTimeoutMs?: number;
}

/** The options with their defaults filled in. */
export interface ResolvedOptions {
  paths: AptPaths;
  keyserverTimeoutMs: number;
  keyUrlTimeoutMs: number;
}

/** Fill in the defaults. */
export function resolveOptions(o: PkgrepoOptions): ResolvedOptions {
  return { paths: o.paths ?? HOST_APT_PATHS, keyserverTimeoutMs: o.keyserverTimeoutMs ?? 5000, keyUrlTimeoutMs: o.keyUrlTimeoutMs ?? 30000 };
}

/** Salt's salt.utils.data.is_true: numbers above zero, the string "true" (any case), other truthy values. */
export function isTrue(v: unknown): boolean {
  if (typeof v === 'number') return v > 0;
  if (typeof v === 'string') {
    const n = Number(v.trim());
    if (v.trim() !== '' && !Number.isNaN(n)) return n > 0;
    return v.toLowerCase() === 'true';
  }
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

/** Python truthiness (`if refresh:`). */
export function pyTruthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object' && !Buffer.isBuffer(v)) return Object.keys(v).length > 0;
  if (typeof v === 'string' || Buffer.isBuffer(v)) return v.length > 0;
  return Boolean(v);
}

/** Whether an argument was given (Salt tests `'key' in kwargs`). */
export function given(args: Dict, key: string): boolean {
  return args[key] !== undefined;
}

/** A comma-separated argument (`comps: main,contrib`) or a list, trimmed. */
export function commaList(v: unknown): string[] {
  const items = Array.isArray(v) ? v.map(pyStr) : pyStr(v).split(',');
  return items.map((s) => s.trim()).filter(Boolean);
}

/** The `refresh` argument (or the deprecated `refresh_db`), True by default. */
export function refreshWanted(args: Dict): boolean {
  if (given(args, 'refresh_db')) return pyTruthy(args.refresh_db);
  return given(args, 'refresh') ? pyTruthy(args.refresh) : true;
}

/**
 * Whether the repo is to be disabled, from `enabled` or `disabled` (Salt normalizes these for
 * Ubuntu only in 3006, so `disabled: True` is ignored on Debian there; Brine honours it, as 3007 does).
 */
export function disabledWanted(args: Dict): boolean {
  if (given(args, 'enabled') && args.enabled !== null) return !isTrue(args.enabled);
  return given(args, 'disabled') && args.disabled !== null ? isTrue(args.disabled) : false;
}

/** Salt's refusal for a name that is not a source line. */
export function invalidNameComment(name: string): string {
  return `Failed to configure repo '${name}': Name ${name} is not valid. This must be the complete repo entry as seen in the sources file`;
}

/**
 * The entry a pkgrepo.managed wants (Salt's _expand_repo_def): the `name` line with `dist`,
 * `comps`, `architectures`, `uri` and `disabled` applied. Undefined when `name` is not a
 * source line.
 */
export function wantedEntry(name: string, args: Dict): SourceEntry | undefined {
  const parsed = parseSourceLine(name);
  if (parsed.invalid) return undefined;
  const e: SourceEntry = { ...parsed, disabled: disabledWanted(args), comment: '' };
  if (given(args, 'architectures')) {
    e.architectures = commaList(args.architectures);
    e.options = withOption(e.options, 'arch', e.architectures.join(','));
  }
  if (given(args, 'comps')) e.comps = commaList(args.comps);
  if (given(args, 'dist')) e.dist = pyStr(args.dist);
  if (given(args, 'uri')) e.uri = pyStr(args.uri);
  e.line = formatSourceLine(e);
  return e;
}

/** The entry with a `signed-by` key file set (and its line rewritten). */
export function withSignedBy(e: SourceEntry, keyFile: string): SourceEntry {
  const next = { ...e, signedby: keyFile, options: withOption(e.options, 'signed-by', keyFile) };
  return { ...next, line: formatSourceLine(next) };
}

/** The `comments` argument as one line, or undefined when not given. */
export function commentsArg(args: Dict): string | undefined {
  return given(args, 'comments') && args.comments !== null ? combineComments(args.comments, pyStr) : undefined;
}
