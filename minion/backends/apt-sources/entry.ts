/**
 * One-line apt source entries (`deb [arch=amd64 signed-by=/k.gpg] URI DIST COMP...`), parsed
 * and written the way Salt's aptpkg reads sources.list files: a leading `#` marks a disabled
 * entry, text after a later `#` is the entry's comment, anything else that is not a
 * deb/deb-src line is kept as it is and ignored.
 */

/** A parsed source line. `invalid` lines (comments, blanks, junk) carry only `line`. */
export interface SourceEntry {
  invalid: boolean;
  disabled: boolean;
  type: string;
  /** Bracket options in their order, as [name, value] (`['arch', 'amd64']`, `['signed-by', '/k.gpg']`). */
  options: Array<[string, string]>;
  architectures: string[];
  signedby: string;
  uri: string;
  dist: string;
  comps: string[];
  /** The text after the entry's `#` comment marker (without the marker). */
  comment: string;
  /** The line as read, without its line break. */
  line: string;
}

const TYPES = new Set(['deb', 'deb-src', 'rpm', 'rpm-src']);

function invalidEntry(line: string): SourceEntry {
  return { invalid: true, disabled: false, type: '', options: [], architectures: [], signedby: '', uri: '', dist: '', comps: [], comment: '', line };
}

/** Split `[a=b c=d]` option text into [name, value] pairs; undefined when one has no `=`. */
function parseOptions(text: string): Array<[string, string]> | undefined {
  const out: Array<[string, string]> = [];
  for (const opt of text.split(/\s+/).filter(Boolean)) {
    const eq = opt.indexOf('=');
    if (eq <= 0) return undefined;
    out.push([opt.slice(0, eq), opt.slice(eq + 1)]);
  }
  return out;
}

/**
 * Parse one sources.list line.
 *
 * Example: `parseSourceLine('# deb [arch=amd64] http://x/debian bookworm main #old')` is a
 * disabled entry with architectures ['amd64'], comps ['main'] and comment 'old'.
 */
export function parseSourceLine(rawLine: string): SourceEntry {
  const line = rawLine.replace(/\r?\n$/, '');
  let rest = line.trim();
  if (!rest) return invalidEntry(line);
  let disabled = false;
  if (rest.startsWith('#')) {
    disabled = true;
    rest = rest.slice(1);
  }
  let comment = '';
  const hash = rest.indexOf('#');
  if (hash > 0) {
    comment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  rest = rest.trim();
  const typeMatch = /^(\S+)\s*/.exec(rest);
  if (!typeMatch || !TYPES.has(typeMatch[1])) return invalidEntry(line);
  const type = typeMatch[1];
  rest = rest.slice(typeMatch[0].length);
  let options: Array<[string, string]> = [];
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return invalidEntry(line);
    const parsed = parseOptions(rest.slice(1, close));
    if (!parsed) return invalidEntry(line);
    options = parsed;
    rest = rest.slice(close + 1);
  }
  const words = rest.split(/\s+/).filter(Boolean);
  if (words.length < 2) return invalidEntry(line);
  const [uri, dist, ...comps] = words;
  const arch = options.find(([k]) => k === 'arch');
  const signed = options.find(([k]) => k === 'signed-by');
  return {
    invalid: false,
    disabled,
    type,
    options,
    architectures: arch ? arch[1].split(',').filter(Boolean) : [],
    signedby: signed ? signed[1] : '',
    uri,
    dist,
    comps,
    comment,
    line,
  };
}

/** What formatSourceLine needs. */
export type EntryFields = Pick<SourceEntry, 'disabled' | 'type' | 'options' | 'uri' | 'dist' | 'comps' | 'comment'>;

/**
 * The sources.list line of an entry (no line break): `# ` first when disabled, options in
 * brackets, the comment last after ` #`.
 *
 * Example: `deb [arch=amd64 signed-by=/etc/apt/keyrings/x.asc] http://x/debian bookworm main`.
 */
export function formatSourceLine(e: EntryFields): string {
  const opts = e.options.map(([k, v]) => `${k}=${v}`).join(' ');
  const parts = [e.disabled ? '#' : '', e.type, opts ? `[${opts}]` : '', e.uri, e.dist, ...e.comps, e.comment ? `#${e.comment}` : ''];
  return parts.filter((p) => p !== '').join(' ');
}

/** Set (or add at the end) one bracket option; an empty value removes it. */
export function withOption(options: ReadonlyArray<[string, string]>, name: string, value: string): Array<[string, string]> {
  const out = options.filter(([k]) => k !== name || value !== '').map(([k, v]): [string, string] => [k, k === name ? value : v]);
  if (value !== '' && !out.some(([k]) => k === name)) out.push([name, value]);
  return out;
}

/**
 * Salt's strip_uri: the trailing slash of http(s)/ftp URIs in a repo definition removed.
 *
 * Example: `stripUri('deb http://x/debian/ bookworm main')` is `deb http://x/debian bookworm main`.
 */
export function stripUri(repo: string): string {
  return repo
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => (/^(https?|ftp):\/\//.test(w) ? w.replace(/\/+$/, '') : w))
    .join(' ');
}

/**
 * Salt's combine_comments: a list of comments (or one) as a single line.
 *
 * Example: `combineComments(['managed', 'by brine'])` is `managed by brine`.
 */
export function combineComments(comments: unknown, str: (v: unknown) => string): string {
  const list = Array.isArray(comments) ? comments : [comments];
  return list.map(str).join(' ').trim();
}

/** Whether two URIs name the same place (trailing slashes ignored, as Salt compares them). */
export function sameUri(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}
