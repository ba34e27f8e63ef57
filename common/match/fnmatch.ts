/**
 * Shell-style wildcards exactly as Python's `fnmatch.fnmatchcase` reads them (Salt's glob
 * matching on POSIX): `*`, `?`, `[seq]`, `[!seq]`, whole-string and case-sensitive, with
 * Python's handling of unclosed `[`, a leading `]` in a set, and reversed (empty) ranges.
 * Matching walks code points directly (no regular expression, so no pathological backtracking).
 */

type CharSet = { kind: 'set'; negated: boolean; chars: Set<number>; ranges: Array<[number, number]> };
type GlobToken = { kind: 'star' } | { kind: 'any' } | { kind: 'never' } | { kind: 'char'; cp: number } | CharSet;

const BANG = 0x21; // !
const DASH = 0x2d; // -
const CLOSE = 0x5d; // ]

/** Compile a glob into a whole-string, case-sensitive matcher. */
export function compileFnmatch(pattern: string): (subject: string) => boolean {
  const tokens = tokenize(Array.from(pattern, (c) => c.codePointAt(0) as number));
  return (subject) => matchTokens(tokens, Array.from(subject, (c) => c.codePointAt(0) as number));
}

/** Whether `subject` matches the glob `pattern` (Python `fnmatch.fnmatchcase`). */
export function fnmatchCase(subject: string, pattern: string): boolean {
  return compileFnmatch(pattern)(subject);
}

function tokenize(pat: number[]): GlobToken[] {
  const tokens: GlobToken[] = [];
  let i = 0;
  while (i < pat.length) {
    const c = pat[i++];
    if (c === 0x2a) {
      if (tokens.length === 0 || tokens[tokens.length - 1].kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === 0x3f) {
      tokens.push({ kind: 'any' });
    } else if (c === 0x5b) {
      let j = i;
      if (j < pat.length && pat[j] === BANG) j++;
      if (j < pat.length && pat[j] === CLOSE) j++;
      while (j < pat.length && pat[j] !== CLOSE) j++;
      if (j >= pat.length) {
        tokens.push({ kind: 'char', cp: c });
      } else {
        tokens.push(bracketToken(pat, i, j));
        i = j + 1;
      }
    } else {
      tokens.push({ kind: 'char', cp: c });
    }
  }
  return tokens;
}

/**
 * The set written between `[` (exclusive, at `start`) and `]` (at `end`). Python first splits
 * the text into chunks at the hyphens that form ranges, drops reversed ranges, then reads the
 * result as a regular-expression set; the same two steps are followed here.
 */
function bracketToken(pat: number[], start: number, end: number): GlobToken {
  const text = pat.slice(start, end);
  // Items of the resulting set: a code point, or the range-forming hyphen between two chunks.
  let items: Array<number | 'range'>;
  if (!text.includes(DASH)) {
    items = [...text];
  } else {
    const chunks: number[][] = [];
    let chunkStart = start;
    let k = pat[start] === BANG ? start + 2 : start + 1;
    for (;;) {
      k = indexOfIn(pat, DASH, k, end);
      if (k < 0) break;
      chunks.push(pat.slice(chunkStart, k));
      chunkStart = k + 1;
      k += 3;
    }
    const last = pat.slice(chunkStart, end);
    if (last.length) chunks.push(last);
    else chunks[chunks.length - 1].push(DASH);
    for (let m = chunks.length - 1; m > 0; m--) {
      const prev = chunks[m - 1];
      const next = chunks[m];
      if (prev.length && next.length && prev[prev.length - 1] > next[0]) {
        chunks[m - 1] = [...prev.slice(0, -1), ...next.slice(1)];
        chunks.splice(m, 1);
      }
    }
    items = [];
    chunks.forEach((chunk, m) => {
      if (m > 0) items.push('range');
      items.push(...chunk);
    });
  }
  if (items.length === 0) return { kind: 'never' };
  if (items.length === 1 && items[0] === BANG) return { kind: 'any' };
  let negated = false;
  if (items[0] === BANG) {
    negated = true;
    items = items.slice(1);
  }
  return readSet(items, negated);
}

/** Read set items as Python's regex parser would: `a`, then `-b` after it makes a range. */
function readSet(items: Array<number | 'range'>, negated: boolean): CharSet {
  const set: CharSet = { kind: 'set', negated, chars: new Set(), ranges: [] };
  let i = 0;
  while (i < items.length) {
    const lo = items[i++];
    if (lo === 'range') {
      // A range hyphen with nothing usable before it: Python sees a literal '-'.
      set.chars.add(DASH);
      continue;
    }
    if (items[i] === 'range' && i + 1 < items.length && items[i + 1] !== 'range') {
      const hi = items[i + 1] as number;
      set.ranges.push([lo, hi]);
      i += 2;
    } else {
      set.chars.add(lo);
    }
  }
  return set;
}

function indexOfIn(pat: number[], value: number, from: number, to: number): number {
  for (let k = from; k < to; k++) if (pat[k] === value) return k;
  return -1;
}

function matchOne(token: GlobToken, cp: number): boolean {
  switch (token.kind) {
    case 'any':
      return true;
    case 'never':
      return false;
    case 'char':
      return token.cp === cp;
    case 'set': {
      const inSet = token.chars.has(cp) || token.ranges.some(([lo, hi]) => cp >= lo && cp <= hi);
      return token.negated ? !inSet : inSet;
    }
    default:
      return false;
  }
}

/** Wildcard matching with backtracking to the last `*` (each other token takes one code point). */
function matchTokens(tokens: GlobToken[], subject: number[]): boolean {
  let ti = 0;
  let si = 0;
  let starTi = -1;
  let starSi = 0;
  while (si < subject.length) {
    const token = tokens[ti];
    if (token !== undefined && token.kind === 'star') {
      starTi = ti++;
      starSi = si;
    } else if (token !== undefined && matchOne(token, subject[si])) {
      ti++;
      si++;
    } else if (starTi >= 0) {
      ti = starTi + 1;
      si = ++starSi;
    } else {
      return false;
    }
  }
  while (ti < tokens.length && tokens[ti].kind === 'star') ti++;
  return ti === tokens.length;
}
