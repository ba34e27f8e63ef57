/**
 * Jinja's grammar on top of Nunjucks's parser: Jinja operator precedence (`~` between `+`
 * and `*`, `is` binding tightly), Python literals (`True`, `None`, `2.0`) and string escapes,
 * `x.0`, slices, tests with bare arguments (`is divisibleby 3`), tuples, `for ... if ...`,
 * Jinja-scoped `set` (with unpacking and `ns.attr`), `do`, `with`, `break`/`continue`,
 * `include ... with context`, and Salt's `import_yaml`/`load_yaml` tag family.
 */
import { JBreak, JContinue, JDo, JFor, JImportData, JLoadData, JLookup, JSet, JSlice, JTest, JWith } from './nodes';
import { NunjucksTemplateError, Parser, TOKEN, nodes, type NjNode, type NjNodeList, type NjToken, type NjTokenizer } from './nunjucks-internals';
import { PyFloat } from './python-types';

/** The statement tags Jinja (with Salt's extensions) knows; anything else is an unknown tag. */
const JINJA_TAGS = new Set(['raw', 'if', 'for', 'block', 'extends', 'include', 'set', 'macro', 'call', 'import', 'from', 'filter']);

const TUPLE = (nodes.Group as unknown as { extend(name: string): typeof nodes.Group }).extend('JTuple');
nodes.JTuple = TUPLE;

/** A tuple literal node (`a, b` or `(a, b)`). */
export const JTuple = TUPLE;

/** Parse Python's string escapes (`\n`, `\x41`, `\u00e9`; unknown escapes keep their backslash). */
function parsePythonString(this: NjTokenizer, delimiter: string): string {
  const startLine = this.lineno;
  const startCol = this.colno;
  this.forward();
  let out = '';
  while (!this.isFinished() && this.current() !== delimiter) {
    const c = this.current();
    if (c !== '\\') {
      out += c;
      this.forward();
      continue;
    }
    this.forward();
    const n = this.current();
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '\n': '' };
    if (n in simple) {
      out += simple[n];
      this.forward();
    } else if (/[0-7]/.test(n)) {
      let digits = '';
      while (digits.length < 3 && /[0-7]/.test(this.current())) {
        digits += this.current();
        this.forward();
      }
      out += String.fromCharCode(parseInt(digits, 8));
    } else if (n === 'x' || n === 'u' || n === 'U') {
      const width = n === 'x' ? 2 : n === 'u' ? 4 : 8;
      this.forward();
      let hex = '';
      while (hex.length < width && /[0-9a-fA-F]/.test(this.current())) {
        hex += this.current();
        this.forward();
      }
      if (hex.length < width) throw new NunjucksTemplateError(`truncated \\${n} escape in string`, startLine + 1, startCol + 1);
      out += String.fromCodePoint(parseInt(hex, 16));
    } else {
      out += `\\${n}`;
      this.forward();
    }
  }
  if (this.isFinished()) throw new NunjucksTemplateError('unexpected end of string', startLine + 1, startCol + 1);
  this.forward();
  return out;
}

/**
 * Install Jinja's lexing rules on one tokenizer: Python string literals, and end tags (`}}`,
 * `%}`) that only close the tag when brackets are balanced (`{{ f({'a': {'b': 1}}) }}`).
 */
export function useJinjaLexing(tokens: NjTokenizer): void {
  tokens._parseString = parsePythonString;
  const next = tokens.nextToken.bind(tokens);
  let depth = 0;
  tokens.nextToken = function balancedNextToken(this: NjTokenizer): NjToken | null {
    if (this.in_code && depth > 0) {
      const rest = this.str.slice(this.index, this.index + 3);
      let single: [string, string] | undefined;
      if (rest.startsWith('}}')) single = [TOKEN.RIGHT_CURLY, '}'];
      else if (rest.startsWith('-}}') || rest.startsWith('-%}')) single = [TOKEN.OPERATOR, '-'];
      else if (rest.startsWith('%}')) single = [TOKEN.OPERATOR, '%'];
      if (single) {
        const tok = { type: single[0], value: single[1], lineno: this.lineno, colno: this.colno };
        this.forward();
        if (single[0] === TOKEN.RIGHT_CURLY) depth--;
        return tok;
      }
    }
    const tok = next();
    if (tok) {
      if (tok.type === TOKEN.LEFT_PAREN || tok.type === TOKEN.LEFT_BRACKET || tok.type === TOKEN.LEFT_CURLY) depth++;
      else if (tok.type === TOKEN.RIGHT_PAREN || tok.type === TOKEN.RIGHT_BRACKET || tok.type === TOKEN.RIGHT_CURLY) depth = Math.max(0, depth - 1);
      else if (tok.type === TOKEN.VARIABLE_END || tok.type === TOKEN.BLOCK_END || tok.type === TOKEN.VARIABLE_START || tok.type === TOKEN.BLOCK_START) depth = 0;
    }
    return tok;
  };
}

const NUMBER_SYMBOL = /^(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|\d[\d_]*(?:[eE][+-]?\d+)?)$/;

/** Whether token `b` starts right where token `a` ends. */
function adjacent(a: NjToken, b: NjToken): boolean {
  return a.lineno === b.lineno && b.colno === a.colno + a.value.length;
}

/** A Jinja number literal (`1_000`, `0x1f`, `1e3`, `2.0`) as a template value. */
function numberLiteral(text: string, float = false): number | PyFloat {
  const t = text.replace(/_/g, '');
  let v: number;
  if (/^0[xX]/.test(t)) v = parseInt(t.slice(2), 16);
  else if (/^0[oO]/.test(t)) v = parseInt(t.slice(2), 8);
  else if (/^0[bB]/.test(t)) v = parseInt(t.slice(2), 2);
  else v = Number(t);
  const isFloat = float || /[eE]/.test(t);
  return isFloat && Number.isInteger(v) ? new PyFloat(v) : v;
}

/** Nunjucks's parser taught Jinja's grammar. */
export class SaltParser extends Parser {
  private loopDepth = 0;

  override parseStatement(): NjNode | null {
    const tok = this.peekToken();
    if (!tok) this.fail('unexpected end of template');
    if (tok.type !== TOKEN.SYMBOL) this.fail('tag name expected', tok.lineno, tok.colno);
    if (this.breakOnBlocks && this.breakOnBlocks.includes(tok.value)) return null;
    switch (tok.value) {
      case 'for':
        return this.parseJFor();
      case 'set':
        return this.parseJSet();
      case 'include':
        return this.parseJInclude();
      case 'do':
        return this.parseDo();
      case 'with':
        return this.parseWith();
      case 'break':
      case 'continue':
        return this.parseLoopControl(tok);
      case 'import_yaml':
      case 'import_json':
      case 'import_text':
        return this.parseImportData(tok);
      case 'load_yaml':
      case 'load_json':
      case 'load_text':
        return this.parseLoadData(tok);
      case 'macro':
      case 'call': {
        const saved = this.loopDepth;
        this.loopDepth = 0;
        try {
          return super.parseStatement();
        } finally {
          this.loopDepth = saved;
        }
      }
      default:
        if (JINJA_TAGS.has(tok.value)) return super.parseStatement();
        this.fail(this.unknownTag(tok.value), tok.lineno, tok.colno);
    }
  }

  private unknownTag(name: string): string {
    const expected = this.breakOnBlocks?.filter((b) => b !== 'elseif');
    if (expected?.length) return `Encountered unknown tag '${name}'. Jinja was looking for the following tags: ${expected.map((b) => `'${b}'`).join(' or ')}.`;
    return `Encountered unknown tag '${name}'.`;
  }

  private expectName(): string {
    const tok = this.nextToken();
    if (!tok || tok.type !== TOKEN.SYMBOL) this.fail(`expected a name, got ${tok ? tok.value : 'end of template'}`, tok?.lineno, tok?.colno);
    return tok.value;
  }

  private parseJFor(): NjNode {
    const forTok = this.nextToken()!;
    const targets: string[] = [];
    const paren = this.skip(TOKEN.LEFT_PAREN);
    do targets.push(this.expectName());
    while (this.skip(TOKEN.COMMA));
    if (paren && !this.skip(TOKEN.RIGHT_PAREN)) this.fail('expected )', forTok.lineno, forTok.colno);
    if (!this.skipSymbol('in')) this.fail('expected "in" in for loop', forTok.lineno, forTok.colno);
    const arr = this.parseOr();
    const cond = this.skipSymbol('if') ? this.parseExpression() : null;
    if (this.skipSymbol('recursive')) this.fail('recursive for loops are not supported', forTok.lineno, forTok.colno);
    this.advanceAfterBlockEnd(forTok.value);
    this.loopDepth++;
    const body = this.parseUntilBlocks('endfor', 'else');
    this.loopDepth--;
    let else_: NjNode | null = null;
    if (this.skipSymbol('else')) {
      this.advanceAfterBlockEnd('else');
      else_ = this.parseUntilBlocks('endfor');
    }
    this.advanceAfterBlockEnd();
    return new JFor(forTok.lineno, forTok.colno, arr, targets, body, else_, cond);
  }

  /** An expression, or several separated by commas (a tuple without parentheses). */
  private parseTupleExpression(): NjNode {
    const first = this.parseExpression();
    if (this.peekToken()?.type !== TOKEN.COMMA) return first;
    const tuple = new JTuple(first.lineno, first.colno, [first]) as NjNodeList;
    while (this.skip(TOKEN.COMMA)) {
      const next = this.peekToken();
      if (!next || next.type === TOKEN.BLOCK_END || next.type === TOKEN.VARIABLE_END) break;
      tuple.addChild(this.parseExpression());
    }
    return tuple;
  }

  private parseJSet(): NjNode {
    const tag = this.nextToken()!;
    const first = this.parsePrimary();
    if (first instanceof JLookup && first.dot) {
      if (!this.skipValue(TOKEN.OPERATOR, '=')) this.fail('expected = in set tag', tag.lineno, tag.colno);
      const value = this.parseTupleExpression();
      this.advanceAfterBlockEnd(tag.value);
      return new JSet(tag.lineno, tag.colno, [], value, null, first);
    }
    if (first.typename !== 'Symbol') this.fail('can only assign to names or namespace attributes', tag.lineno, tag.colno);
    const targets = [first.value as string];
    while (this.skip(TOKEN.COMMA)) targets.push(this.expectName());
    if (this.skipValue(TOKEN.OPERATOR, '=')) {
      const value = this.parseTupleExpression();
      this.advanceAfterBlockEnd(tag.value);
      return new JSet(tag.lineno, tag.colno, targets, value, null, null);
    }
    if (targets.length > 1) this.fail('expected = in set tag', tag.lineno, tag.colno);
    this.advanceAfterBlockEnd(tag.value);
    const body = new nodes.Capture(tag.lineno, tag.colno, this.parseUntilBlocks('endset'));
    this.advanceAfterBlockEnd();
    return new JSet(tag.lineno, tag.colno, targets, null, body, null);
  }

  private parseJInclude(): NjNode {
    const tag = this.nextToken()!;
    const node = new nodes.Include(tag.lineno, tag.colno);
    node.template = this.parseExpression();
    node.ignoreMissing = false;
    if (this.skipSymbol('ignore')) {
      if (!this.skipSymbol('missing')) this.fail('expected "missing" after "ignore"', tag.lineno, tag.colno);
      node.ignoreMissing = true;
    }
    this.parseWithContext();
    this.advanceAfterBlockEnd(tag.value);
    return node;
  }

  private parseDo(): NjNode {
    const tag = this.nextToken()!;
    const expr = this.parseTupleExpression();
    this.advanceAfterBlockEnd(tag.value);
    return new JDo(tag.lineno, tag.colno, expr);
  }

  private parseWith(): NjNode {
    const tag = this.nextToken()!;
    const names: string[] = [];
    const values = new nodes.NodeList(tag.lineno, tag.colno) as NjNodeList;
    while (this.peekToken()?.type !== TOKEN.BLOCK_END) {
      if (names.length && !this.skip(TOKEN.COMMA)) this.fail('expected comma in with tag', tag.lineno, tag.colno);
      names.push(this.expectName());
      if (!this.skipValue(TOKEN.OPERATOR, '=')) this.fail('expected = in with tag', tag.lineno, tag.colno);
      values.addChild(this.parseExpression());
    }
    this.advanceAfterBlockEnd(tag.value);
    const body = this.parseUntilBlocks('endwith');
    this.advanceAfterBlockEnd();
    return new JWith(tag.lineno, tag.colno, names, values, body);
  }

  private parseLoopControl(tok: NjToken): NjNode {
    this.nextToken();
    if (this.loopDepth === 0) this.fail(`'${tok.value}' outside of a loop`, tok.lineno, tok.colno);
    this.advanceAfterBlockEnd(tok.value);
    return tok.value === 'break' ? new JBreak(tok.lineno, tok.colno) : new JContinue(tok.lineno, tok.colno);
  }

  private parseImportData(tok: NjToken): NjNode {
    this.nextToken();
    const template = this.parseExpression();
    if (!this.skipSymbol('as')) this.fail(`expected "as" in ${tok.value} tag`, tok.lineno, tok.colno);
    const target = this.expectName();
    const withContext = this.parseWithContext();
    this.advanceAfterBlockEnd(tok.value);
    return new JImportData(tok.lineno, tok.colno, tok.value.slice('import_'.length), template, target, Boolean(withContext));
  }

  private parseLoadData(tok: NjToken): NjNode {
    this.nextToken();
    if (!this.skipSymbol('as')) this.fail(`expected "as" in ${tok.value} tag`, tok.lineno, tok.colno);
    const target = this.expectName();
    this.advanceAfterBlockEnd(tok.value);
    const body = this.parseUntilBlocks('endload');
    this.advanceAfterBlockEnd();
    return new JLoadData(tok.lineno, tok.colno, tok.value.slice('load_'.length), target, body);
  }

  /** `{% raw %}...{% endraw %}`: verbatim up to the first endraw, with `-` whitespace control on both tags. */
  override parseRaw(): NjNode {
    const begun = this.advanceAfterBlockEnd();
    const m = this.tokens._extractRegex(/^([\s\S]*?)\{%(-?)\s*endraw\s*(-?)%\}/);
    if (!m) this.fail('Missing end of raw directive', begun.lineno, begun.colno);
    let data = m[1];
    if (this.dropLeadingWhitespace) data = data.replace(/^\s*/, '');
    if (m[2] === '-') data = data.replace(/\s*$/, '');
    this.dropLeadingWhitespace = m[3] === '-';
    return new nodes.Output(begun.lineno, begun.colno, [new nodes.TemplateData(begun.lineno, begun.colno, data)]);
  }

  /** Jinja's message for a block left open at the end of the template. */
  override parseUntilBlocks(...names: string[]): NjNodeList {
    const body = super.parseUntilBlocks(...names);
    if (!this.peekToken()) {
      const expected = names.filter((n) => n !== 'elseif');
      const open = expected.find((n) => n.startsWith('end'))?.slice(3);
      this.fail(
        `Unexpected end of template. Jinja was looking for the following tags: ${expected.map((n) => `'${n}'`).join(' or ')}.${open ? ` The innermost block that needs to be closed is '${open}'.` : ''}`,
        this.tokens.lineno,
        this.tokens.colno,
      );
    }
    return body;
  }

  override parseInlineIf(): NjNode {
    const node = this.parseOr();
    if (!this.skipSymbol('if')) return node;
    const cond = this.parseOr();
    const out = new nodes.InlineIf(node.lineno, node.colno);
    out.body = node;
    out.cond = cond;
    out.else_ = this.skipSymbol('else') ? this.parseInlineIf() : null;
    return out;
  }

  override parseIs(): NjNode {
    return this.parseCompare();
  }

  /** Jinja's math1 level: `+` and `-` over `~` (Nunjucks calls it from parseCompare). */
  override parseConcat(): NjNode {
    let node = this.parseTilde();
    for (;;) {
      const tok = this.peekToken();
      if (tok?.type === TOKEN.OPERATOR && (tok.value === '+' || tok.value === '-')) {
        this.nextToken();
        const right = this.parseTilde();
        node = tok.value === '+' ? new nodes.Add(node.lineno, node.colno, node, right) : new nodes.Sub(node.lineno, node.colno, node, right);
      } else return node;
    }
  }

  private parseTilde(): NjNode {
    let node = this.parseMath2();
    while (this.skip(TOKEN.TILDE)) {
      const right = this.parseMath2();
      node = new nodes.Concat(node.lineno, node.colno, node, right);
    }
    return node;
  }

  private parseMath2(): NjNode {
    let node = this.parsePow();
    for (;;) {
      const tok = this.peekToken();
      if (tok?.type !== TOKEN.OPERATOR || !['*', '/', '//', '%'].includes(tok.value)) return node;
      this.nextToken();
      const right = this.parsePow();
      const cls = { '*': nodes.Mul, '/': nodes.Div, '//': nodes.FloorDiv, '%': nodes.Mod }[tok.value as '*' | '/' | '//' | '%'];
      node = new cls(node.lineno, node.colno, node, right);
    }
  }

  override parsePrimary(noPostfix?: boolean): NjNode {
    const tok = this.nextToken();
    if (!tok) this.fail('unexpected end of template');
    let node: NjNode | undefined;
    if (tok.type === TOKEN.STRING) {
      let text = tok.value;
      while (this.peekToken()?.type === TOKEN.STRING) text += this.nextToken()!.value;
      node = new nodes.Literal(tok.lineno, tok.colno, text);
    } else if (tok.type === TOKEN.SYMBOL && (tok.value === 'True' || tok.value === 'False' || tok.value === 'None')) {
      node = new nodes.Literal(tok.lineno, tok.colno, tok.value === 'None' ? null : tok.value === 'True');
    } else if (tok.type === TOKEN.SYMBOL && NUMBER_SYMBOL.test(tok.value)) {
      node = new nodes.Literal(tok.lineno, tok.colno, numberLiteral(tok.value));
    } else if (tok.type === TOKEN.SYMBOL && /^\d[\d_]*[eE]$/.test(tok.value)) {
      node = new nodes.Literal(tok.lineno, tok.colno, numberLiteral(this.signedExponent(tok, tok.value), true));
    } else if (tok.type === TOKEN.FLOAT) {
      let text = tok.value;
      const next = this.peekToken();
      if (next?.type === TOKEN.SYMBOL && adjacent(tok, next) && /^[eE]\d*$/.test(next.value)) {
        this.nextToken();
        text += next.value;
        if (/^[eE]$/.test(next.value)) text = this.signedExponent(next, text);
      }
      node = new nodes.Literal(tok.lineno, tok.colno, numberLiteral(text, true));
    }
    if (!node) {
      this.pushToken(tok);
      return super.parsePrimary(noPostfix);
    }
    return noPostfix ? node : this.parsePostfix(node);
  }

  override parsePostfix(start: NjNode): NjNode {
    let node = start;
    for (;;) {
      const tok = this.peekToken();
      if (!tok) return node;
      if (tok.type === TOKEN.LEFT_PAREN) {
        node = new nodes.FunCall(tok.lineno, tok.colno, node, this.parseSignature());
      } else if (tok.type === TOKEN.LEFT_BRACKET) {
        node = this.parseSubscript(node);
      } else if (tok.type === TOKEN.OPERATOR && tok.value === '.') {
        this.nextToken();
        const val = this.nextToken();
        if (!val) this.fail('unexpected end of template');
        if (val.type === TOKEN.SYMBOL || val.type === TOKEN.BOOLEAN || val.type === TOKEN.NONE) {
          node = new JLookup(tok.lineno, tok.colno, node, new nodes.Literal(val.lineno, val.colno, val.value), true);
        } else if (val.type === TOKEN.INT) {
          node = new JLookup(tok.lineno, tok.colno, node, new nodes.Literal(val.lineno, val.colno, parseInt(val.value, 10)), false);
        } else if (val.type === TOKEN.FLOAT) {
          // `x.0.1` or `x.0.name`: the lexer read "0.1" / "0." as one number.
          const [a, b] = val.value.split('.');
          node = new JLookup(tok.lineno, tok.colno, node, new nodes.Literal(val.lineno, val.colno, parseInt(a, 10)), false);
          if (b) node = new JLookup(tok.lineno, tok.colno, node, new nodes.Literal(val.lineno, val.colno, parseInt(b, 10)), false);
          else {
            const name = this.nextToken();
            if (!name || (name.type !== TOKEN.SYMBOL && name.type !== TOKEN.INT)) this.fail('expected name as lookup value', val.lineno, val.colno);
            node =
              name.type === TOKEN.INT
                ? new JLookup(tok.lineno, tok.colno, node, new nodes.Literal(name.lineno, name.colno, parseInt(name.value, 10)), false)
                : new JLookup(tok.lineno, tok.colno, node, new nodes.Literal(name.lineno, name.colno, name.value), true);
          }
        } else this.fail(`expected name as lookup value, got ${val.value}`, val.lineno, val.colno);
      } else return node;
    }
  }

  /** `(...)`, `[...]`, `{...}` with Jinja's trailing commas; a parenthesized comma list is a tuple. */
  override parseAggregate(): NjNode | null {
    const tok = this.nextToken();
    if (!tok) return null;
    const closing = { [TOKEN.LEFT_PAREN]: TOKEN.RIGHT_PAREN, [TOKEN.LEFT_BRACKET]: TOKEN.RIGHT_BRACKET, [TOKEN.LEFT_CURLY]: TOKEN.RIGHT_CURLY }[tok.type];
    if (!closing) return null;
    const isDict = tok.type === TOKEN.LEFT_CURLY;
    const items: NjNode[] = [];
    let sawComma = false;
    for (;;) {
      const next = this.peekToken();
      if (!next) this.fail('unexpected end of template', tok.lineno, tok.colno);
      if (next.type === closing) {
        this.nextToken();
        break;
      }
      if (items.length) {
        if (!this.skip(TOKEN.COMMA)) this.fail(`expected ',' or '${{ [TOKEN.RIGHT_PAREN]: ')', [TOKEN.RIGHT_BRACKET]: ']', [TOKEN.RIGHT_CURLY]: '}' }[closing]}'`, next.lineno, next.colno);
        sawComma = true;
        if (this.peekToken()?.type === closing) {
          this.nextToken();
          break;
        }
      }
      if (isDict) {
        const key = this.parseExpression();
        if (!this.skip(TOKEN.COLON)) this.fail("expected ':' after dict key", tok.lineno, tok.colno);
        const value = this.parseExpression();
        items.push(new nodes.Pair(key.lineno, key.colno, key, value));
      } else items.push(this.parseExpression());
    }
    if (isDict) return new nodes.Dict(tok.lineno, tok.colno, items);
    if (tok.type === TOKEN.LEFT_BRACKET) return new nodes.Array(tok.lineno, tok.colno, items);
    if (items.length === 1 && !sawComma) return new nodes.Group(tok.lineno, tok.colno, items);
    return new JTuple(tok.lineno, tok.colno, items);
  }

  /** The `+3` / `-7` after a number ending in `e` (the lexer splits `1e-7` into three tokens). */
  private signedExponent(before: NjToken, text: string): string {
    const sign = this.nextToken();
    const digits = sign && this.nextToken();
    if (!sign || !digits || sign.type !== TOKEN.OPERATOR || !['+', '-'].includes(sign.value) || digits.type !== TOKEN.INT || !adjacent(before, sign) || !adjacent(sign, digits)) {
      this.fail(`invalid number literal ${text}`, before.lineno, before.colno);
    }
    return text + sign.value + digits.value;
  }

  private parseSubscript(target: NjNode): NjNode {
    const open = this.nextToken()!;
    const isEnd = (): boolean => this.peekToken()?.type === TOKEN.RIGHT_BRACKET;
    const isColon = (): boolean => this.peekToken()?.type === TOKEN.COLON;
    let start: NjNode | null = null;
    let stop: NjNode | null = null;
    let step: NjNode | null = null;
    let isSlice = false;
    if (!isColon()) start = this.parseExpression();
    if (this.skip(TOKEN.COLON)) {
      isSlice = true;
      if (!isEnd() && !isColon()) stop = this.parseExpression();
      if (this.skip(TOKEN.COLON) && !isEnd()) step = this.parseExpression();
    }
    if (!this.skip(TOKEN.RIGHT_BRACKET)) this.fail('expected ] in subscript', open.lineno, open.colno);
    if (isSlice) return new JSlice(open.lineno, open.colno, target, start, stop, step);
    if (!start) this.fail('expected an expression in subscript', open.lineno, open.colno);
    return new JLookup(open.lineno, open.colno, target, start, false);
  }

  /** Jinja's parse_filter_expr: `|filter(args)`, `is test args`, and calls, left to right. */
  override parseFilter(start: NjNode): NjNode {
    let node = start;
    for (;;) {
      const tok = this.peekToken();
      if (!tok) return node;
      if (tok.type === TOKEN.PIPE) {
        this.nextToken();
        const name = this.parseFilterName();
        const args = this.peekToken()?.type === TOKEN.LEFT_PAREN ? this.parseSignature()!.children : [];
        node = new nodes.Filter(name.lineno, name.colno, name, new nodes.NodeList(name.lineno, name.colno, [node, ...args]));
      } else if (tok.type === TOKEN.SYMBOL && tok.value === 'is') {
        node = this.parseTest(node);
      } else if (tok.type === TOKEN.LEFT_PAREN) {
        node = new nodes.FunCall(tok.lineno, tok.colno, node, this.parseSignature());
      } else return node;
    }
  }

  private parseTest(target: NjNode): NjNode {
    const isTok = this.nextToken()!;
    const negated = this.skipSymbol('not');
    const nameTok = this.nextToken();
    if (!nameTok || ![TOKEN.SYMBOL, TOKEN.NONE, TOKEN.BOOLEAN].includes(nameTok.type)) this.fail('expected a test name after "is"', isTok.lineno, isTok.colno);
    let name = nameTok.value;
    while (this.skipValue(TOKEN.OPERATOR, '.')) name += `.${this.expectName()}`;
    let args = new nodes.NodeList(isTok.lineno, isTok.colno) as NjNodeList;
    const next = this.peekToken();
    if (next?.type === TOKEN.LEFT_PAREN) args = this.parseSignature()!;
    else if (
      next &&
      [TOKEN.SYMBOL, TOKEN.STRING, TOKEN.INT, TOKEN.FLOAT, TOKEN.LEFT_BRACKET, TOKEN.LEFT_CURLY, TOKEN.BOOLEAN, TOKEN.NONE].includes(next.type) &&
      !(next.type === TOKEN.SYMBOL && ['else', 'or', 'and', 'if', 'in', 'not'].includes(next.value))
    ) {
      if (next.type === TOKEN.SYMBOL && next.value === 'is') this.fail('You cannot chain multiple tests with is', next.lineno, next.colno);
      args.addChild(this.parsePrimary());
    }
    const test = new JTest(isTok.lineno, isTok.colno, target, name, args);
    return negated ? new nodes.Not(isTok.lineno, isTok.colno, test) : test;
  }
}
