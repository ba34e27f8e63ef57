/**
 * Python's str methods that JavaScript lacks or does differently: split/rsplit on whitespace
 * runs, strip with a character set, splitlines on every Python line boundary, title().
 */
import { valueError } from './python-types';

/** The characters Python's `str.isspace()` accepts. */
export const PY_WHITESPACE = ' \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

function isWs(ch: string): boolean {
  return PY_WHITESPACE.includes(ch);
}

/** Python `str.strip(chars)`, `lstrip`, `rstrip` (chars=None strips whitespace). */
export function pyStrip(s: string, chars: string | null | undefined, left: boolean, right: boolean): string {
  const strip = (ch: string): boolean => (chars === null || chars === undefined ? isWs(ch) : chars.includes(ch));
  let start = 0;
  let end = s.length;
  if (left) while (start < end && strip(s[start])) start++;
  if (right) while (end > start && strip(s[end - 1])) end--;
  return s.slice(start, end);
}

/** Python `str.split(sep=None, maxsplit=-1)`. */
export function pySplit(s: string, sep: string | null | undefined, maxsplit: number): string[] {
  if (sep === '') valueError('empty separator');
  const limit = maxsplit < 0 ? Infinity : maxsplit;
  if (sep === null || sep === undefined) {
    const out: string[] = [];
    let i = 0;
    while (i < s.length) {
      while (i < s.length && isWs(s[i])) i++;
      if (i >= s.length) break;
      if (out.length >= limit) {
        out.push(s.slice(i));
        return out;
      }
      let j = i;
      while (j < s.length && !isWs(s[j])) j++;
      out.push(s.slice(i, j));
      i = j;
    }
    return out;
  }
  const parts = s.split(sep);
  if (parts.length - 1 <= limit) return parts;
  return [...parts.slice(0, limit), parts.slice(limit).join(sep)];
}

/** Python `str.rsplit(sep=None, maxsplit=-1)`. */
export function pyRsplit(s: string, sep: string | null | undefined, maxsplit: number): string[] {
  if (maxsplit < 0) return pySplit(s, sep, -1);
  if (sep === '') valueError('empty separator');
  if (sep === null || sep === undefined) {
    const out: string[] = [];
    let i = s.length;
    while (i > 0) {
      while (i > 0 && isWs(s[i - 1])) i--;
      if (i <= 0) break;
      if (out.length >= maxsplit) {
        out.unshift(s.slice(0, i));
        return out;
      }
      let j = i;
      while (j > 0 && !isWs(s[j - 1])) j--;
      out.unshift(s.slice(j, i));
      i = j;
    }
    return out;
  }
  const parts = s.split(sep);
  if (parts.length - 1 <= maxsplit) return parts;
  return [parts.slice(0, parts.length - maxsplit).join(sep), ...parts.slice(parts.length - maxsplit)];
}

const LINE_BREAK = /\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/g;

/** Python `str.splitlines(keepends=False)`. */
export function pySplitlines(s: string, keepends = false): string[] {
  const out: string[] = [];
  let last = 0;
  for (const m of s.matchAll(LINE_BREAK)) {
    const end = m.index + m[0].length;
    out.push(keepends ? s.slice(last, end) : s.slice(last, m.index));
    last = end;
  }
  if (last < s.length) out.push(s.slice(last));
  return out;
}

const CASED = /[\p{Lu}\p{Ll}\p{Lt}]/u;

/** Python `str.title()`: upper-case the first cased character after an uncased one. */
export function pyTitle(s: string): string {
  let out = '';
  let prevCased = false;
  for (const ch of s) {
    const cased = CASED.test(ch);
    out += cased ? (prevCased ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    prevCased = cased;
  }
  return out;
}

/** Python `str.capitalize()`. */
export function pyCapitalize(s: string): string {
  const chars = Array.from(s);
  if (!chars.length) return s;
  return chars[0].toUpperCase() + chars.slice(1).join('').toLowerCase();
}

/** Python `str.islower()` / `isupper()`: at least one cased character, all in that case. */
export function pyIsCase(s: string, lower: boolean): boolean {
  if (!CASED.test(s)) return false;
  return lower ? !/[\p{Lu}\p{Lt}]/u.test(s) : !/[\p{Ll}\p{Lt}]/u.test(s);
}

/** Python `str.isspace()`. */
export function pyIsSpace(s: string): boolean {
  return s.length > 0 && Array.from(s).every(isWs);
}
