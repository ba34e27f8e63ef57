/**
 * Python's str primitives that JavaScript lacks or does differently, shared by the renderer, the
 * outputters, the matchers and the state modules: `repr(str)`, `strip()` with Python's
 * whitespace, `splitlines()` on every Python line boundary, `expandtabs()`.
 */

/** The characters for which Python's `str.isspace()` is true. */
export const PY_WHITESPACE =
  ' \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

/** Whether one character is whitespace to Python (`ch.isspace()`). */
export function isPyWhitespace(ch: string): boolean {
  return PY_WHITESPACE.includes(ch);
}

/** Python `s.strip(chars)` (or only its left / right half); chars=null strips Python whitespace. */
export function pyStrip(s: string, chars: string | null = null, left = true, right = true): string {
  const strip = (ch: string): boolean => (chars === null ? isPyWhitespace(ch) : chars.includes(ch));
  let start = 0;
  let end = s.length;
  if (left) while (start < end && strip(s[start])) start++;
  if (right) while (end > start && strip(s[end - 1])) end--;
  return s.slice(start, end);
}

/** Python `s.lstrip(chars)`. */
export function pyLstrip(s: string, chars: string | null = null): string {
  return pyStrip(s, chars, true, false);
}

/** Python `s.rstrip(chars)`. */
export function pyRstrip(s: string, chars: string | null = null): string {
  return pyStrip(s, chars, false, true);
}

/** Python's line boundaries for `str.splitlines()`: CR LF counts as one. */
const LINE_BREAK = /\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/g;

/** Python `s.splitlines(keepends)`: no trailing empty line, `[]` for the empty string. */
export function pySplitlines(s: string, keepends = false): string[] {
  const out: string[] = [];
  let last = 0;
  for (const m of s.matchAll(LINE_BREAK)) {
    const end = m.index + m[0].length;
    out.push(s.slice(last, keepends ? end : m.index));
    last = end;
  }
  if (last < s.length) out.push(s.slice(last));
  return out;
}

/** Python `s.expandtabs(tabsize)`: tabs to the next multiple of tabsize (removed when it is <= 0). */
export function pyExpandTabs(s: string, tabsize = 8): string {
  let out = '';
  let column = 0;
  for (const ch of s) {
    if (ch === '\t') {
      const spaces = tabsize > 0 ? tabsize - (column % tabsize) : 0;
      out += ' '.repeat(spaces);
      column += spaces;
    } else {
      out += ch;
      column = ch === '\n' || ch === '\r' ? 0 : column + 1;
    }
  }
  return out;
}

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python `repr(s)` of a str: single quotes unless it holds `'` and no `"`, non-printables escaped. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (ch === '\\' || ch === quote) out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x7f || !NOT_PRINTABLE.test(ch)) out += ch;
    else if (cp <= 0xff) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return out + quote;
}
