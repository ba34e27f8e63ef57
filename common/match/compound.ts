/**
 * Compound targets (`salt -C`, `match: compound`, the default matcher of top files), read as
 * Salt 3006 reads them: the target is split on whitespace (a list gives the words directly);
 * `and`, `or`, `not`, `(` and `)` are operators only as whole words; other words are
 * `G@` grain, `P@` grain regex, `I@` pillar, `J@` pillar regex, `L@` list, `S@` IP/CIDR,
 * `E@` id regex, `N@` nodegroup (expanded in place), or an id glob. `G`, `P`, `I` and `J`
 * take a one-character delimiter before the `@` (`G|@os|Debian`). A `not` that follows a
 * target or `)` means `and not`. The words then evaluate as a Python boolean expression:
 * `not` binds tighter than `and`, which binds tighter than `or`.
 *
 * Where Salt logs an error and matches nothing (leading `and`/`or`, unbalanced parentheses,
 * two targets without an operator, `not not`, unknown `X@` prefix, bad regex or CIDR), this
 * throws a ValidationError naming the target and the problem.
 */
import { ValidationError } from '../errors';
import { describe } from './check';
import { compileGlob } from './glob';
import { COMPOUND_OPERATORS, expandNodegroup } from './nodegroup';
import { compileSimpleTarget, type SimpleTargetType } from './simple';
import type { MinionPredicate } from './types';

type Token = { kind: 'op'; op: string } | { kind: 'term'; text: string; test: MinionPredicate };

/** Salt's TARGET_REX: engine letter, optional delimiter (G, P, I, J only), `@`, pattern. */
const TARGET_WORD = /^(?:([GPIJLNSER])((?<=[GPIJ])[^\n])?@)?([^\n]+)\n?$/;
const ENGINES = new Set(['G', 'P', 'I', 'J', 'L', 'N', 'S', 'E', 'R']);

/** Compile a compound target. */
export function compileCompound(expr: unknown, nodegroups?: Record<string, unknown>): MinionPredicate {
  const shown = Array.isArray(expr) ? expr.join(' ') : String(expr);
  const fail = (reason: string): never => {
    throw new ValidationError(`invalid compound target ${JSON.stringify(shown)}: ${reason}`);
  };
  const words = initialWords(expr, fail);
  const tokens: Token[] = [];
  while (words.length) {
    const word = words.shift() as string;
    if (COMPOUND_OPERATORS.has(word)) {
      pushOperator(tokens, word, fail);
      continue;
    }
    const parsed = TARGET_WORD.exec(word);
    const engine = parsed?.[1];
    const delimiter = parsed?.[2];
    const pattern = parsed ? parsed[3] : word;
    if (engine === 'N') {
      try {
        words.unshift(...expandNodegroup(pattern, nodegroups));
      } catch (err) {
        fail((err as Error).message);
      }
      continue;
    }
    if (!engine) {
      const prefix = /^([A-Z])@/.exec(word);
      if (prefix && ENGINES.has(prefix[1])) fail(`nothing after ${JSON.stringify(prefix[0])} in ${JSON.stringify(word)}`);
      if (prefix) fail(`unknown target type prefix ${JSON.stringify(prefix[0])} in ${JSON.stringify(word)}`);
    }
    if (engine === 'R') fail(`range targets (R@) are not supported: ${JSON.stringify(word)}`);
    let test: MinionPredicate;
    try {
      test = compileTerm(engine, pattern, delimiter ?? ':', word);
    } catch (err) {
      return fail((err as Error).message);
    }
    tokens.push({ kind: 'term', text: word, test });
  }
  return new Parser(tokens, fail).parse();
}

function initialWords(expr: unknown, fail: (reason: string) => never): string[] {
  let words: string[];
  if (typeof expr === 'string') {
    words = expr.trim() === '' ? [] : expr.trim().split(/\s+/);
  } else if (Array.isArray(expr)) {
    words = expr.map((w) => (typeof w === 'string' ? w : fail(`words must be strings, got ${describe(w)}`)));
  } else {
    return fail(`a compound target must be a string or a list of words, got ${describe(expr)}`);
  }
  if (words.length === 0) fail('empty target');
  return words;
}

/** Salt's rules while reading operators, including the implicit `and` before `not`. */
function pushOperator(tokens: Token[], word: string, fail: (reason: string) => never): void {
  const last = tokens[tokens.length - 1];
  const lastOp = last?.kind === 'op' ? last.op : null;
  if (!last) {
    if (word !== '(' && word !== 'not') fail(`it cannot begin with ${JSON.stringify(word)}`);
  } else if (lastOp === '(' && (word === 'and' || word === 'or')) {
    fail(`${JSON.stringify(word)} cannot follow "("`);
  } else if (word === 'not' && lastOp === 'not') {
    fail('"not" cannot follow "not"');
  } else if (word === 'not' && lastOp !== 'and' && lastOp !== 'or' && lastOp !== '(') {
    tokens.push({ kind: 'op', op: 'and' });
  }
  tokens.push({ kind: 'op', op: word });
}

/** The target type each compound prefix stands for (N@ and R@ are handled before). */
const ENGINE_TYPES: Record<string, SimpleTargetType> = {
  G: 'grain',
  P: 'grain_pcre',
  I: 'pillar',
  J: 'pillar_pcre',
  L: 'list',
  S: 'ipcidr',
  E: 'pcre',
};

function compileTerm(engine: string | undefined, pattern: string, delimiter: string, word: string): MinionPredicate {
  const type = engine === undefined ? undefined : ENGINE_TYPES[engine];
  return type === undefined ? compileGlob(word) : compileSimpleTarget(type, pattern, delimiter);
}

/** Python's grammar for the evaluated words: or < and < not < ( ) / target. */
class Parser {
  private pos = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly fail: (reason: string) => never,
  ) {}

  parse(): MinionPredicate {
    const result = this.parseOr();
    const extra = this.tokens[this.pos];
    if (extra) {
      if (extra.kind === 'op' && extra.op === ')') this.fail('unbalanced ")"');
      this.fail(`missing "and"/"or" before ${JSON.stringify(this.text(extra))}`);
    }
    return result;
  }

  private text(token: Token): string {
    return token.kind === 'op' ? token.op : token.text;
  }

  private isOp(op: string): boolean {
    const token = this.tokens[this.pos];
    return token !== undefined && token.kind === 'op' && token.op === op;
  }

  private parseOr(): MinionPredicate {
    const parts = [this.parseAnd()];
    while (this.isOp('or')) {
      this.pos++;
      parts.push(this.parseAnd());
    }
    return parts.length === 1 ? parts[0] : (m) => parts.some((p) => p(m));
  }

  private parseAnd(): MinionPredicate {
    const parts = [this.parseNot()];
    while (this.isOp('and')) {
      this.pos++;
      parts.push(this.parseNot());
    }
    return parts.length === 1 ? parts[0] : (m) => parts.every((p) => p(m));
  }

  private parseNot(): MinionPredicate {
    if (this.isOp('not')) {
      this.pos++;
      const inner = this.parseNot();
      return (m) => !inner(m);
    }
    return this.parseAtom();
  }

  private parseAtom(): MinionPredicate {
    const token = this.tokens[this.pos];
    if (token === undefined) return this.fail('it ends with an operator');
    if (token.kind === 'term') {
      this.pos++;
      return token.test;
    }
    if (token.op === '(') {
      this.pos++;
      if (this.isOp(')')) this.fail('empty parentheses');
      const inner = this.parseOr();
      if (!this.isOp(')')) {
        const next = this.tokens[this.pos];
        if (next === undefined) this.fail('missing ")"');
        this.fail(`missing "and"/"or" before ${JSON.stringify(this.text(next))}`);
      }
      this.pos++;
      return inner;
    }
    return this.fail(`unexpected ${JSON.stringify(token.op)}`);
  }
}
