/**
 * Python `re` patterns and replacement templates, translated to JavaScript RegExp, for
 * Salt's regex_match / regex_search / regex_replace filters and the `match` test.
 */
import { PyError, tuple, type PyTuple } from './python-types';

/** Flags Salt's filters accept. */
export interface RegexFlags {
  ignorecase?: boolean;
  multiline?: boolean;
}

const cache = new Map<string, RegExp>();

/** Translate a Python pattern to a JavaScript RegExp (global, so it can be reused for sub). */
export function pyRegExp(pattern: string, flags: RegexFlags = {}): RegExp {
  const key = `${flags.ignorecase ? 'i' : ''}${flags.multiline ? 'm' : ''}:${pattern}`;
  const hit = cache.get(key);
  if (hit) {
    hit.lastIndex = 0;
    return hit;
  }
  let src = pattern;
  let jsFlags = 'g';
  let ignorecase = Boolean(flags.ignorecase);
  let multiline = Boolean(flags.multiline);
  let dotall = false;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (inline) {
    src = src.slice(inline[0].length);
    ignorecase ||= inline[1].includes('i');
    multiline ||= inline[1].includes('m');
    dotall = inline[1].includes('s');
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const n = src[i + 1];
      if (n === 'A' && !inClass) out += multiline ? '(?<![\\s\\S])' : '^';
      else if (n === 'Z' && !inClass) out += '(?![\\s\\S])';
      else out += c + (n ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') out += `\\${src[++i]}`;
      continue;
    }
    if (c === '(' && src.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    if (c === '(' && src.startsWith('(?P=', i)) {
      const end = src.indexOf(')', i);
      out += `\\k<${src.slice(i + 4, end)}>`;
      i = end;
      continue;
    }
    if (c === '$' && !multiline) {
      out += '(?=\\n?(?![\\s\\S]))';
      continue;
    }
    out += c;
  }
  if (ignorecase) jsFlags += 'i';
  if (multiline) jsFlags += 'm';
  if (dotall) jsFlags += 's';
  let re: RegExp;
  try {
    re = new RegExp(out, jsFlags);
  } catch (e) {
    throw new PyError('re.error', (e as Error).message);
  }
  if (cache.size > 500) cache.clear();
  cache.set(key, re);
  return re;
}

/** A match's `groups()`: every group, None where it did not participate. */
export function groupsOf(m: RegExpExecArray): PyTuple {
  return tuple(m.slice(1).map((g) => (g === undefined ? null : g)));
}

/** Python `re.search(pattern, text)`: the first match anywhere. */
export function pySearch(pattern: string, text: string, flags: RegexFlags = {}): RegExpExecArray | null {
  const re = pyRegExp(pattern, flags);
  re.lastIndex = 0;
  return re.exec(text);
}

/** Python `re.match(pattern, text)`: a match at the start of the text. */
export function pyMatch(pattern: string, text: string, flags: RegexFlags = {}): RegExpExecArray | null {
  const base = pyRegExp(pattern, flags);
  const sticky = new RegExp(base.source, base.flags.replace('g', '') + 'y');
  sticky.lastIndex = 0;
  return sticky.exec(text);
}

type TemplatePart = string | { group: number | string };

function parseTemplate(repl: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let lit = '';
  const flush = (): void => {
    if (lit) parts.push(lit);
    lit = '';
  };
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i];
    if (c !== '\\') {
      lit += c;
      continue;
    }
    const n = repl[i + 1];
    if (n === undefined) throw new PyError('re.error', 'bad escape (end of pattern)');
    if (/[0-9]/.test(n)) {
      const m = /^[0-9]{1,2}/.exec(repl.slice(i + 1))!;
      flush();
      parts.push({ group: parseInt(m[0], 10) });
      i += m[0].length;
    } else if (n === 'g') {
      const m = /^g<([^>]+)>/.exec(repl.slice(i + 1));
      if (!m) throw new PyError('re.error', 'missing <');
      flush();
      parts.push({ group: /^\d+$/.test(m[1]) ? parseInt(m[1], 10) : m[1] });
      i += m[0].length;
    } else {
      const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };
      if (n in esc) lit += esc[n];
      else if (/[A-Za-z]/.test(n)) throw new PyError('re.error', `bad escape \\${n}`);
      else lit += `\\${n}`;
      i++;
    }
  }
  flush();
  return parts;
}

/** Python `re.sub(pattern, repl, text)` with Python's replacement template syntax (`\1`, `\g<name>`). */
export function pySub(pattern: string, repl: string, text: string, flags: RegexFlags = {}): string {
  const re = pyRegExp(pattern, flags);
  re.lastIndex = 0;
  const parts = parseTemplate(repl);
  return text.replace(re, (...args: unknown[]) => {
    const hasNamed = typeof args[args.length - 1] === 'object' && args[args.length - 1] !== null;
    const named = hasNamed ? (args[args.length - 1] as Record<string, string | undefined>) : {};
    const groups = args.slice(0, hasNamed ? -3 : -2) as (string | undefined)[];
    return parts
      .map((p) => {
        if (typeof p === 'string') return p;
        if (typeof p.group === 'number') {
          if (p.group >= groups.length) throw new PyError('re.error', `invalid group reference ${p.group}`);
          return groups[p.group] ?? '';
        }
        if (!(p.group in named)) throw new PyError('IndexError', `unknown group name '${p.group}'`);
        return named[p.group] ?? '';
      })
      .join('');
  });
}

/** Python `re.escape`. */
export function pyReEscape(text: string): string {
  return text.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (c) => `\\${c}`);
}
