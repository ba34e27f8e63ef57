/**
 * Python `re` patterns, as Salt's PCRE targets (`-E`, `E@`, `P@`, `J@`) are written, run on
 * JavaScript's RegExp with Python's meaning: `re.match` (anchored at the start only), `$` also
 * before a final newline, `.` not matching `\n`, `(?P<name>...)`, `(?P=name)`, `\A`, `\Z`,
 * `{,n}`, leading `(?imsx)` flags, verbose mode, and Python's errors for bad patterns
 * (bad escapes, unbalanced parentheses, nothing to repeat, bad group references).
 *
 * `\d`, `\w`, `\s` and `\b` are Unicode-aware as in Python (ASCII-only with `(?a)`).
 * Known differences: scoped flags `(?i:...)`, conditionals `(?(1)...)` and `\N{...}` are refused
 * as unsupported, variable-width look-behinds are accepted, and possessive quantifiers are
 * refused as in Python 3.10 (Salt 3006's Python).
 */
import { ValidationError } from '../errors';

/** Options of a Python-compatible regex. */
export interface PyRegexOptions {
  /** Match case-insensitively, as if the pattern started with `(?i)`. */
  ignoreCase?: boolean;
}

/** A Python pattern rewritten for JavaScript (`v` flag); `ignoreCase` is set by `(?i)`. */
export interface TranslatedRegex {
  source: string;
  ignoreCase: boolean;
}

/** Compile a Python pattern into a `re.match` test (anchored at the start, not at the end). */
export function compilePyMatch(pattern: string, opts: PyRegexOptions = {}): (subject: string) => boolean {
  const { source, ignoreCase } = translatePyRegex(pattern);
  let re: RegExp;
  try {
    re = new RegExp(source, `vy${ignoreCase || opts.ignoreCase ? 'i' : ''}`);
  } catch (err) {
    throw new ValidationError(`invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
  return (subject) => {
    re.lastIndex = 0;
    return re.test(subject);
  };
}

/** Rewrite a Python pattern for JavaScript; throws ValidationError where Python's `re` would. */
export function translatePyRegex(pattern: string): TranslatedRegex {
  return new Translator(pattern).run();
}

const SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));
const PY_WHITESPACE = new Set([' ', '\t', '\n', '\r', '\v', '\f']);
const SIMPLE_ESCAPES: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
const CATEGORY_ESCAPES = new Set(['d', 'D', 's', 'S', 'w', 'W']);
const PY_ASCII_SPACE = '\\u{20}\\t\\n\\r\\f\\v';
/** Python's str.isspace() characters (JavaScript's \s lacks \x1c-\x1f and \x85, adds \ufeff). */
const PY_UNICODE_SPACE =
  '\\t\\n\\v\\f\\r\\u{1c}-\\u{1f}\\u{20}\\u{85}\\u{a0}\\u{1680}\\u{2000}-\\u{200a}\\u{2028}\\u{2029}\\u{202f}\\u{205f}\\u{3000}';
const FLAG_LETTERS = new Set(['a', 'i', 'L', 'm', 's', 'u', 'x']);

type Last = 'none' | 'atom' | 'anchor' | 'quantifier';
type ClassItem = { kind: 'literal'; cp: number } | { kind: 'category'; text: string };

interface OpenGroup {
  capture: number | null;
  /** Where the group starts in the output, and whether it is a look-ahead or look-behind. */
  start: number;
  lookaround: boolean;
}

class Translator {
  private readonly src: string[];
  private pos = 0;
  private out = '';
  private last: Last = 'none';
  private sawItem = false;
  private readonly flags = { i: false, m: false, s: false, x: false, a: false, u: false };
  private groups = 0;
  private readonly closed = new Set<number>();
  private readonly names = new Map<string, number>();
  private readonly stack: OpenGroup[] = [];
  /** Output index of the look-around group just closed, which JavaScript cannot quantify bare. */
  private lookaroundStart: number | null = null;

  constructor(private readonly pattern: string) {
    this.src = Array.from(pattern);
  }

  run(): TranslatedRegex {
    while (this.pos < this.src.length) this.step();
    if (this.stack.length) this.fail('missing ), unterminated subpattern');
    return { source: this.out, ignoreCase: this.flags.i };
  }

  private fail(reason: string): never {
    throw new ValidationError(`invalid regular expression ${JSON.stringify(this.pattern)}: ${reason}`);
  }

  private peek(offset = 0): string | undefined {
    return this.src[this.pos + offset];
  }

  private step(): void {
    const c = this.src[this.pos++];
    if (this.flags.x && PY_WHITESPACE.has(c)) return;
    if (this.flags.x && c === '#') {
      this.skipComment();
      return;
    }
    switch (c) {
      case '\\':
        this.escape();
        return;
      case '[':
        this.emit(this.charClass(), 'atom');
        return;
      case '(':
        this.openGroup();
        return;
      case ')':
        this.closeGroup();
        return;
      case '|':
        this.emit('|', 'none');
        return;
      case '^':
        this.emit(this.flags.m ? '(?:^|(?<=\\n))' : '^', 'anchor');
        return;
      case '$':
        this.emit(this.flags.m ? '(?=\\n|$)' : '(?=\\n?$)', 'anchor');
        return;
      case '.':
        this.emit(this.flags.s ? '[\\s\\S]' : '[^\\n]', 'atom');
        return;
      case '*':
      case '+':
      case '?':
        this.quantifier(c);
        return;
      case '{': {
        const braces = this.braceQuantifier();
        if (braces === null) this.emit('\\{', 'atom');
        else this.quantifier(braces);
        return;
      }
      default:
        this.emit(literal(c.codePointAt(0) as number), 'atom');
    }
  }

  /** A verbose-mode comment, to the end of the line; Python still reads escapes pairwise in it. */
  private skipComment(): void {
    while (this.pos < this.src.length && this.src[this.pos] !== '\n') {
      if (this.src[this.pos] === '\\') {
        if (this.pos + 1 >= this.src.length) this.fail('bad escape (end of pattern)');
        this.pos++;
      }
      this.pos++;
    }
  }

  private emit(text: string, last: Last): void {
    this.lookaroundStart = null;
    this.out += text;
    this.last = last;
    this.sawItem = true;
  }

  private quantifier(text: string): void {
    if (this.last === 'none' || this.last === 'anchor') this.fail('nothing to repeat');
    if (this.last === 'quantifier') this.fail('multiple repeat');
    if (this.lookaroundStart !== null) {
      this.out = `${this.out.slice(0, this.lookaroundStart)}(?:${this.out.slice(this.lookaroundStart)})`;
      this.lookaroundStart = null;
    }
    this.out += text;
    if (this.peek() === '?') {
      this.pos++;
      this.out += '?';
    }
    this.last = 'quantifier';
  }

  /** `{m}`, `{m,}`, `{,n}`, `{m,n}` after the `{` just read, or null when it is a literal `{`. */
  private braceQuantifier(): string | null {
    const start = this.pos;
    if (this.peek() === '}') return null;
    let lo = '';
    let hi = '';
    while (isDigit(this.peek())) lo += this.src[this.pos++];
    let comma = false;
    if (this.peek() === ',') {
      comma = true;
      this.pos++;
      while (isDigit(this.peek())) hi += this.src[this.pos++];
    } else {
      hi = lo;
    }
    if (this.peek() !== '}') {
      this.pos = start;
      return null;
    }
    this.pos++;
    const min = lo ? Number(lo) : 0;
    if (hi && Number(hi) < min) this.fail('min repeat greater than max repeat');
    if (!comma) return `{${min}}`;
    return hi ? `{${min},${hi}}` : `{${min},}`;
  }

  private escape(): void {
    const c = this.src[this.pos++];
    if (c === undefined) this.fail('bad escape (end of pattern)');
    if (CATEGORY_ESCAPES.has(c)) return this.emit(this.category(c), 'atom');
    const word = `[${this.categorySet('w')}]`;
    if (c === 'b') return this.emit(`(?:(?<=${word})(?!${word})|(?<!${word})(?=${word}))`, 'anchor');
    // Python's \B never matches in an empty string.
    if (c === 'B') {
      return this.emit(`(?:(?<=${word})(?=${word})|(?<!${word})(?!${word})(?:(?<=[\\s\\S])|(?=[\\s\\S])))`, 'anchor');
    }
    if (c === 'A') return this.emit('(?<![\\s\\S])', 'anchor');
    if (c === 'Z') return this.emit('(?![\\s\\S])', 'anchor');
    if (c >= '1' && c <= '9') return this.backReference(c);
    const cp = this.codeEscape(c, false);
    this.emit(literal(cp), 'atom');
  }

  /** `\d`, `\D`, `\w`, `\W`, `\s`, `\S` as a (nestable) set with Python's meaning. */
  private category(letter: string): string {
    const lower = letter.toLowerCase();
    return `[${letter === lower ? '' : '^'}${this.categorySet(lower)}]`;
  }

  private categorySet(lower: string): string {
    if (lower === 'd') return this.flags.a ? '0-9' : '\\p{Nd}';
    if (lower === 'w') return this.flags.a ? 'a-zA-Z0-9_' : '\\p{L}\\p{N}_';
    return this.flags.a ? PY_ASCII_SPACE : PY_UNICODE_SPACE;
  }

  /** Escapes that stand for one character, shared by patterns and sets. */
  private codeEscape(c: string, inClass: boolean): number {
    if (c in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[c];
    if (inClass && c === 'b') return 8;
    if (c === 'x') return this.hexDigits(2, 'x');
    if (c === 'u') return this.hexDigits(4, 'u');
    if (c === 'U') {
      const cp = this.hexDigits(8, 'U');
      if (cp > 0x10ffff) this.fail(`bad escape \\U`);
      return cp;
    }
    if (c === 'N') this.fail('named Unicode escapes (\\N{...}) are not supported');
    if (c >= '0' && c <= '7' && (c === '0' || inClass)) {
      let digits = c;
      while (digits.length < 3 && isOctal(this.peek())) digits += this.src[this.pos++];
      const cp = parseInt(digits, 8);
      if (cp > 0o377) this.fail(`octal escape value \\${digits} outside of range 0-0o377`);
      return cp;
    }
    if (c >= '0' && c <= '9') this.fail(`bad escape \\${c}`);
    if (/^[A-Za-z]$/.test(c)) this.fail(`bad escape \\${c}`);
    return c.codePointAt(0) as number;
  }

  private hexDigits(count: number, letter: string): number {
    let digits = '';
    while (digits.length < count && /^[0-9A-Fa-f]$/.test(this.peek() ?? '')) digits += this.src[this.pos++];
    if (digits.length !== count) this.fail(`incomplete escape \\${letter}${digits}`);
    return parseInt(digits, 16);
  }

  /** `\1`..`\99` (a group reference) or a three-digit octal escape such as `\101`. */
  private backReference(first: string): void {
    let digits = first;
    if (isDigit(this.peek())) {
      digits += this.src[this.pos++];
      if (isOctal(digits[0]) && isOctal(digits[1]) && isOctal(this.peek())) {
        digits += this.src[this.pos++];
        const cp = parseInt(digits, 8);
        if (cp > 0o377) this.fail(`octal escape value \\${digits} outside of range 0-0o377`);
        return this.emit(literal(cp), 'atom');
      }
    }
    const group = Number(digits);
    if (group > this.groups) this.fail(`invalid group reference ${group}`);
    if (!this.closed.has(group)) this.fail('cannot refer to an open group');
    this.emit(`(?:\\${group})`, 'atom');
  }

  private charClass(): string {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.pos++;
    }
    const parts: string[] = [];
    for (;;) {
      const c = this.src[this.pos++];
      if (c === undefined) this.fail('unterminated character set');
      if (c === ']' && parts.length) break;
      const item = this.classItem(c);
      if (this.peek() === '-') {
        this.pos++;
        const next = this.src[this.pos++];
        if (next === undefined) this.fail('unterminated character set');
        if (next === ']') {
          parts.push(classText(item), literalInClass(0x2d));
          break;
        }
        const hi = this.classItem(next);
        if (item.kind !== 'literal' || hi.kind !== 'literal' || hi.cp < item.cp) {
          this.fail('bad character range');
        }
        parts.push(`${literalInClass(item.cp)}-${literalInClass(hi.cp)}`);
      } else {
        parts.push(classText(item));
      }
    }
    return `[${negated ? '^' : ''}${parts.join('')}]`;
  }

  private classItem(c: string): ClassItem {
    if (c !== '\\') return { kind: 'literal', cp: c.codePointAt(0) as number };
    const e = this.src[this.pos++];
    if (e === undefined) this.fail('unterminated character set');
    if (CATEGORY_ESCAPES.has(e)) return { kind: 'category', text: this.category(e) };
    return { kind: 'literal', cp: this.codeEscape(e, true) };
  }

  private openGroup(): void {
    if (this.peek() !== '?') {
      this.groups++;
      this.push('(', this.groups);
      return;
    }
    this.pos++;
    const c = this.src[this.pos++];
    if (c === ':') return this.push('(?:', null);
    if (c === '=' || c === '!') return this.push(`(?${c}`, null, true);
    if (c === '<') {
      const d = this.src[this.pos++];
      if (d === '=' || d === '!') return this.push(`(?<${d}`, null, true);
      this.fail(`unknown extension ?<${d ?? ''}`);
    }
    if (c === 'P') return this.namedGroup();
    if (c === '#') {
      while (this.pos < this.src.length && this.src[this.pos] !== ')') this.pos++;
      if (this.pos >= this.src.length) this.fail('missing ), unterminated comment');
      this.pos++;
      return;
    }
    if (c === '(') this.fail('conditional groups (?(...)...) are not supported');
    if (c !== undefined && (FLAG_LETTERS.has(c) || c === '-')) return this.inlineFlags(c);
    this.fail(`unknown extension ?${c ?? ''}`);
  }

  private push(text: string, capture: number | null, lookaround = false): void {
    this.stack.push({ capture, start: this.out.length, lookaround });
    this.emit(text, 'none');
  }

  private namedGroup(): void {
    const kind = this.src[this.pos++];
    if (kind === '<') {
      const name = this.readUntil('>', 'missing >, unterminated name');
      if (!isIdentifier(name)) this.fail(`bad character in group name ${JSON.stringify(name)}`);
      if (this.names.has(name)) this.fail(`redefinition of group name ${JSON.stringify(name)}`);
      this.groups++;
      this.names.set(name, this.groups);
      return this.push(`(?<${name}>`, this.groups);
    }
    if (kind === '=') {
      const name = this.readUntil(')', 'missing ), unterminated name');
      const group = this.names.get(name);
      if (group === undefined) this.fail(`unknown group name ${JSON.stringify(name)}`);
      if (!this.closed.has(group)) this.fail('cannot refer to an open group');
      return this.emit(`(?:\\k<${name}>)`, 'atom');
    }
    this.fail(`unknown extension ?P${kind ?? ''}`);
  }

  private readUntil(end: string, error: string): string {
    let text = '';
    while (this.pos < this.src.length && this.src[this.pos] !== end) text += this.src[this.pos++];
    if (this.pos >= this.src.length) this.fail(error);
    this.pos++;
    return text;
  }

  /** `(?imsx)` at the very start sets global flags; `(?i:...)` scoped flags are unsupported. */
  private inlineFlags(first: string): void {
    let letters = first;
    while (this.pos < this.src.length && FLAG_LETTERS.has(this.src[this.pos])) letters += this.src[this.pos++];
    const end = this.src[this.pos++];
    if (letters.includes('-') || end === ':') this.fail('scoped inline flags such as (?i:...) are not supported');
    if (end !== ')') this.fail('missing -, : or )');
    if (this.sawItem || this.stack.length) this.fail('global flags not at the start of the expression');
    if (letters.includes('L')) this.fail("bad inline flags: cannot use 'L' flag with a str pattern");
    if (letters.includes('a') && letters.includes('u')) this.fail("bad inline flags: flags 'a', 'u' and 'L' are incompatible");
    for (const letter of letters) (this.flags as Record<string, boolean>)[letter] = true;
  }

  private closeGroup(): void {
    const group = this.stack.pop();
    if (!group) this.fail('unbalanced parenthesis');
    if (group.capture !== null) this.closed.add(group.capture);
    this.emit(')', 'atom');
    if (group.lookaround) this.lookaroundStart = group.start;
  }
}

function literal(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (SYNTAX.has(ch)) return `\\${ch}`;
  if (cp >= 0x20 && cp < 0x7f) return ch;
  return `\\u{${cp.toString(16)}}`;
}

function literalInClass(cp: number): string {
  if (/^[A-Za-z0-9]$/.test(String.fromCodePoint(cp))) return String.fromCodePoint(cp);
  return `\\u{${cp.toString(16)}}`;
}

function classText(item: ClassItem): string {
  return item.kind === 'category' ? item.text : literalInClass(item.cp);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isOctal(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '7';
}

function isIdentifier(name: string): boolean {
  return /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(name);
}
