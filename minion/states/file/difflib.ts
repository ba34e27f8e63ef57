/**
 * Unified diffs exactly as Python's difflib.unified_diff produces them, which is what Salt
 * shows in `changes.diff`. Operators compare these against what Salt printed before, so the
 * hunks must match byte for byte: this follows difflib's matching (longest matching block
 * first, recursively, with its "popular element" heuristic) rather than a Myers diff, whose
 * hunks can differ.
 */

/** One run of equal lines: a[a..a+size] == b[b..b+size]. */
interface Block {
  a: number;
  b: number;
  size: number;
}

type Tag = 'equal' | 'replace' | 'delete' | 'insert';

/** One edit: a[i1..i2] becomes b[j1..j2]. */
interface Opcode {
  tag: Tag;
  i1: number;
  i2: number;
  j1: number;
  j2: number;
}

/** Line matcher with difflib.SequenceMatcher's results (no junk function, autojunk on). */
class LineMatcher {
  private readonly where = new Map<string, number[]>();

  constructor(
    private readonly a: readonly string[],
    private readonly b: readonly string[],
  ) {
    b.forEach((line, j) => {
      const list = this.where.get(line);
      if (list) list.push(j);
      else this.where.set(line, [j]);
    });
    // Lines that occur in more than 1% of a long `b` are not used to anchor matches.
    if (b.length >= 200) {
      const limit = Math.floor(b.length / 100) + 1;
      for (const [line, list] of this.where) if (list.length > limit) this.where.delete(line);
    }
  }

  /** The longest block of equal lines in a[alo..ahi] x b[blo..bhi]; earliest on ties. */
  private longest(alo: number, ahi: number, blo: number, bhi: number): Block {
    const { a, b } = this;
    let bi = alo;
    let bj = blo;
    let size = 0;
    let runs = new Map<number, number>();
    for (let i = alo; i < ahi; i++) {
      const next = new Map<number, number>();
      for (const j of this.where.get(a[i]) ?? []) {
        if (j < blo) continue;
        if (j >= bhi) break;
        const k = (runs.get(j - 1) ?? 0) + 1;
        next.set(j, k);
        if (k > size) {
          bi = i - k + 1;
          bj = j - k + 1;
          size = k;
        }
      }
      runs = next;
    }
    // Grow the block over equal lines the index left out (popular lines).
    while (bi > alo && bj > blo && a[bi - 1] === b[bj - 1]) {
      bi--;
      bj--;
      size++;
    }
    while (bi + size < ahi && bj + size < bhi && a[bi + size] === b[bj + size]) size++;
    return { a: bi, b: bj, size };
  }

  /** All matching blocks in order, adjacent ones merged, ending with the (len a, len b, 0) sentinel. */
  matchingBlocks(): Block[] {
    const found: Block[] = [];
    const queue: Array<[number, number, number, number]> = [[0, this.a.length, 0, this.b.length]];
    while (queue.length) {
      const [alo, ahi, blo, bhi] = queue.pop()!;
      const m = this.longest(alo, ahi, blo, bhi);
      if (!m.size) continue;
      found.push(m);
      if (alo < m.a && blo < m.b) queue.push([alo, m.a, blo, m.b]);
      if (m.a + m.size < ahi && m.b + m.size < bhi) queue.push([m.a + m.size, ahi, m.b + m.size, bhi]);
    }
    found.sort((x, y) => x.a - y.a || x.b - y.b || x.size - y.size);
    const merged: Block[] = [];
    let cur: Block = { a: 0, b: 0, size: 0 };
    for (const m of found) {
      if (cur.a + cur.size === m.a && cur.b + cur.size === m.b) cur = { ...cur, size: cur.size + m.size };
      else {
        if (cur.size) merged.push(cur);
        cur = m;
      }
    }
    if (cur.size) merged.push(cur);
    merged.push({ a: this.a.length, b: this.b.length, size: 0 });
    return merged;
  }

  /** The edits turning a into b. */
  opcodes(): Opcode[] {
    const out: Opcode[] = [];
    let i = 0;
    let j = 0;
    for (const m of this.matchingBlocks()) {
      const tag: Tag | undefined = i < m.a && j < m.b ? 'replace' : i < m.a ? 'delete' : j < m.b ? 'insert' : undefined;
      if (tag) out.push({ tag, i1: i, i2: m.a, j1: j, j2: m.b });
      i = m.a + m.size;
      j = m.b + m.size;
      if (m.size) out.push({ tag: 'equal', i1: m.a, i2: i, j1: m.b, j2: j });
    }
    return out;
  }

  /** The edits grouped into hunks with `n` lines of context. */
  groupedOpcodes(n: number): Opcode[][] {
    let codes = this.opcodes();
    if (!codes.length) codes = [{ tag: 'equal', i1: 0, i2: 1, j1: 0, j2: 1 }];
    const first = codes[0];
    if (first.tag === 'equal') {
      codes[0] = { ...first, i1: Math.max(first.i1, first.i2 - n), j1: Math.max(first.j1, first.j2 - n) };
    }
    const last = codes[codes.length - 1];
    if (last.tag === 'equal') {
      codes[codes.length - 1] = { ...last, i2: Math.min(last.i2, last.i1 + n), j2: Math.min(last.j2, last.j1 + n) };
    }
    const groups: Opcode[][] = [];
    let group: Opcode[] = [];
    for (const c of codes) {
      let { i1, j1 } = c;
      if (c.tag === 'equal' && c.i2 - c.i1 > 2 * n) {
        group.push({ tag: 'equal', i1, i2: Math.min(c.i2, i1 + n), j1, j2: Math.min(c.j2, j1 + n) });
        groups.push(group);
        group = [];
        i1 = Math.max(i1, c.i2 - n);
        j1 = Math.max(j1, c.j2 - n);
      }
      group.push({ tag: c.tag, i1, i2: c.i2, j1, j2: c.j2 });
    }
    if (group.length && !(group.length === 1 && group[0].tag === 'equal')) groups.push(group);
    return groups;
  }
}

function hunkRange(start: number, stop: number): string {
  let beginning = start + 1;
  const length = stop - start;
  if (length === 1) return `${beginning}`;
  if (!length) beginning -= 1;
  return `${beginning},${length}`;
}

/** Options of unifiedDiff, named as difflib's. */
export interface UnifiedDiffOptions {
  fromfile?: string;
  tofile?: string;
  /** Lines of context around each change (default 3). */
  n?: number;
  /** Appended to the `---`, `+++` and `@@` lines (default '\n'); content lines are emitted as given. */
  lineterm?: string;
}

/**
 * The pieces difflib.unified_diff yields for two line lists (joined by the caller, as Salt
 * does with '' or '\n'). Empty when the lists are equal.
 */
export function unifiedDiff(a: readonly string[], b: readonly string[], opts: UnifiedDiffOptions = {}): string[] {
  const n = opts.n ?? 3;
  const lineterm = opts.lineterm ?? '\n';
  const out: string[] = [];
  const groups = new LineMatcher(a, b).groupedOpcodes(n);
  for (const group of groups) {
    if (!out.length) {
      out.push(`--- ${opts.fromfile ?? ''}${lineterm}`);
      out.push(`+++ ${opts.tofile ?? ''}${lineterm}`);
    }
    const first = group[0];
    const last = group[group.length - 1];
    out.push(`@@ -${hunkRange(first.i1, last.i2)} +${hunkRange(first.j1, last.j2)} @@${lineterm}`);
    for (const c of group) {
      if (c.tag === 'equal') {
        for (let i = c.i1; i < c.i2; i++) out.push(' ' + a[i]);
        continue;
      }
      if (c.tag === 'replace' || c.tag === 'delete') for (let i = c.i1; i < c.i2; i++) out.push('-' + a[i]);
      if (c.tag === 'replace' || c.tag === 'insert') for (let j = c.j1; j < c.j2; j++) out.push('+' + b[j]);
    }
  }
  return out;
}
