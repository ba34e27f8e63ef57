/**
 * Python's str methods that templates call and JavaScript lacks or does differently:
 * split/rsplit on whitespace runs, title(), capitalize(), the case tests. strip, splitlines
 * and expandtabs are shared with the outputters in common/python/text.
 */
import { isPyWhitespace } from '../python/text';
import { valueError } from './python-types';

/** Python `str.split(sep=None, maxsplit=-1)`. */
export function pySplit(s: string, sep: string | null | undefined, maxsplit: number): string[] {
  if (sep === '') valueError('empty separator');
  const limit = maxsplit < 0 ? Infinity : maxsplit;
  if (sep === null || sep === undefined) {
    const out: string[] = [];
    let i = 0;
    while (i < s.length) {
      while (i < s.length && isPyWhitespace(s[i])) i++;
      if (i >= s.length) break;
      if (out.length >= limit) {
        out.push(s.slice(i));
        return out;
      }
      let j = i;
      while (j < s.length && !isPyWhitespace(s[j])) j++;
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
      while (i > 0 && isPyWhitespace(s[i - 1])) i--;
      if (i <= 0) break;
      if (out.length >= maxsplit) {
        out.unshift(s.slice(0, i));
        return out;
      }
      let j = i;
      while (j > 0 && !isPyWhitespace(s[j - 1])) j--;
      out.unshift(s.slice(j, i));
      i = j;
    }
    return out;
  }
  const parts = s.split(sep);
  if (parts.length - 1 <= maxsplit) return parts;
  return [parts.slice(0, parts.length - maxsplit).join(sep), ...parts.slice(parts.length - maxsplit)];
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
  return s.length > 0 && Array.from(s).every(isPyWhitespace);
}
