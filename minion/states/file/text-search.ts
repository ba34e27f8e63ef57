/**
 * How file.append decides that text is already in a file: Salt's
 * build_whitespace_split_regex (words split like Python's non-POSIX shlex, whitespace
 * between and around them optional) searched line-wise over the whole file.
 */
import { splitLines } from './text';

const WHITESPACE = ' \t\r\n';

/** Python's shlex.shlex(text) with whitespace_split=True, no commenters, in non-POSIX mode. */
export function shlexWords(text: string, quotes: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (true) {
    let token = '';
    let state: string | null = ' ';
    while (true) {
      const c = i < text.length ? text[i++] : '';
      if (state === ' ') {
        if (!c) {
          state = null;
          break;
        }
        if (WHITESPACE.includes(c)) {
          if (token) break;
          continue;
        }
        token = c;
        state = quotes.includes(c) ? c : 'a';
      } else if (state !== 'a') {
        if (!c) throw new Error('No closing quotation');
        token += c;
        if (c === state) break;
      } else {
        if (!c) {
          state = null;
          break;
        }
        if (WHITESPACE.includes(c)) {
          if (token) break;
          state = ' ';
          continue;
        }
        token += c;
      }
    }
    if (!token) return out;
    out.push(token);
  }
}

function quotesFor(line: string): string {
  if (line.includes('\'"')) return '';
  if (line.includes("'")) return '"';
  if (line.includes('"')) return "'";
  return '\'"';
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Salt's build_whitespace_split_regex, as a JavaScript multiline RegExp. */
export function whitespaceSplitRegex(text: string): RegExp {
  let body = '';
  for (const line of splitLines(text)) {
    const parts = shlexWords(line, quotesFor(line)).map(escapeRegExp);
    body += `(?:[\\s]+)?${parts.join('(?:[\\s]+)?')}(?:[\\s]+)?`;
  }
  return new RegExp(`^${body}$`, 'm');
}

/** Whether `chunk` already appears in `content` (file.search with multiline=True). */
export function containsChunk(content: string, chunk: string, ignoreWhitespace: boolean): boolean {
  const re = ignoreWhitespace ? whitespaceSplitRegex(chunk) : new RegExp(chunk, 'm');
  return re.test(content);
}
