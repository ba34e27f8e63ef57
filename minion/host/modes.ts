/**
 * File modes as Salt writes them: four octal digits as a string ('0644', '2775').
 * YAML hands us ints (`mode: 0400` loads as 400) or strings; both normalise the same way.
 */
import type * as fs from 'node:fs';

/**
 * Normalise a mode as Salt's normalize_mode does: `400`, `'0400'`, `'0o400'` and `"'400'"`
 * all become `'0400'`; undefined/null stays undefined.
 */
export function normalizeMode(mode: unknown): string | undefined {
  if (mode === undefined || mode === null) return undefined;
  let s = typeof mode === 'string' ? mode : typeof mode === 'boolean' ? (mode ? 'True' : 'False') : String(mode);
  s = s.split('0o').join('0');
  s = stripChar(stripChar(s, '"'), "'");
  s = s.replace(/^0+/, '');
  return s.length >= 4 ? s : s.padStart(4, '0');
}

function stripChar(s: string, c: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s[start] === c) start++;
  while (end > start && s[end - 1] === c) end--;
  return s.slice(start, end);
}

/** The permission bits of a stat as Salt reports them ('0644'). */
export function modeOf(st: fs.Stats): string {
  return (st.mode & 0o7777).toString(8).padStart(4, '0');
}

/** The numeric value of a normalised mode string, or undefined when it is not octal. */
export function modeBits(mode: string): number | undefined {
  if (!/^[0-7]+$/.test(mode)) return undefined;
  const n = parseInt(mode, 8);
  return n <= 0o7777 ? n : undefined;
}

/** The mode new files get from this process' umask when none is given: (0777 ^ umask) & 0666. */
export function defaultFileMode(): string {
  return ((0o777 ^ currentUmask()) & 0o666).toString(8).padStart(4, '0');
}

/** The mode `mkdir` gives a new directory under this process' umask. */
export function defaultDirBits(): number {
  return 0o777 & ~currentUmask();
}

/** This process' umask. */
export function currentUmask(): number {
  const old = process.umask(0o022);
  process.umask(old);
  return old;
}
