/**
 * Nunjucks's code generator, changed to emit Jinja's semantics: every operation goes through
 * the Python runtime (`env.py`, see runtime.ts) for truth, equality, arithmetic, `%`
 * formatting, lookups and output; `for`/`set`/`with` scope variables as Jinja does; unknown
 * filters and tests are compile-time errors; every statement records its line for errors.
 */
import { Compiler, type NjFrame, type NjNode, type NjNodeList } from './nunjucks-internals';
import { PyFloat } from './python-types';
import { FILTERS, TESTS } from './registry';

const js = (value: unknown): string => JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** Nunjucks's compiler emitting Jinja semantics. */
export class SaltCompiler extends Compiler {
  /** Record the current statement's position for error reports. */
  private mark(node: NjNode): void {
    this._emitLine(`lineno = ${node.lineno}; colno = ${node.colno};`);
  }

  override _emitLine(code: string): void {
    // Macros return plain strings (autoescape is off, as in Salt): no SafeString wrapper.
    const m = /^return new runtime\.SafeString\((t_\d+)\);$/.exec(code);
    super._emitLine(m ? `return ${m[1]};` : code);
  }

  /**
   * Render functions report their result only after their own try block: the code of an
   * importing template that runs in the import's callback must not be caught (and located)
   * by the imported template.
   */
  override _emitFuncBegin(node: NjNode, name: string): void {
    this.buffer = 'output';
    (this as unknown as { _scopeClosers: string })._scopeClosers = '';
    this._emitLine(`function ${name}(env, context, frame, runtime, cb) {`);
    this._emitLine(`var lineno = ${node.lineno};`);
    this._emitLine(`var colno = ${node.colno};`);
    this._emitLine(`var ${this.buffer} = "";`);
    this._emitLine('var done = cb, result = null;');
    this._emitLine('cb = function(err, res) { if (!result) { result = [err, res]; } };');
    this._emitLine('try {');
  }

  override _emitFuncEnd(noReturn?: boolean): void {
    if (!noReturn) this._emitLine(`cb(null, ${this.buffer});`);
    this._closeScopeLevels();
    this._emitLine('} catch (e) {');
    this._emitLine(`  if (!result) { result = [env.py.fail(e, ${this._templateName()}, lineno)]; }`);
    this._emitLine('}');
    this._emitLine('if (result) { done(result[0], result[1]); }');
    this._emitLine('}');
    this.buffer = null;
  }

  override _compileExpression(node: NjNode, frame: NjFrame): void {
    this.compile(node, frame);
  }

  override _compileMacro(node: NjNode, frame?: NjFrame): string {
    const id = super._compileMacro(node, frame);
    this._emitLine(`${id} = env.py.guardMacro(${id}, ${this._templateName()}, function() { return lineno; });`);
    return id;
  }

  private binary(node: NjNode, frame: NjFrame, op: string): void {
    this._emit(`env.py.${op}(`);
    this.compile(node.left as NjNode, frame);
    this._emit(', ');
    this.compile(node.right as NjNode, frame);
    this._emit(')');
  }

  compileAdd(node: NjNode, frame: NjFrame): void {
    this.binary(node, frame, 'add');
  }

  compileSub(node: NjNode, frame: NjFrame): void {
    this.binary(node, frame, 'sub');
  }

  compileMul(node: NjNode, frame: NjFrame): void {
    this.binary(node, frame, 'mul');
  }

  compileDiv(node: NjNode, frame: NjFrame): void {
    this.binary(node, frame, 'div');
  }

  compileFloorDiv(node: NjNode, frame: NjFrame): void {
    this.binary(node, frame, 'floordiv');
  }

  compileMod(node: NjNode, frame: NjFrame): void {
    this.binary(node, frame, 'mod');
  }

  compilePow(node: NjNode, frame: NjFrame): void {
    this.binary(node, frame, 'pow');
  }

  compileConcat(node: NjNode, frame: NjFrame): void {
    this.binary(node, frame, 'concat');
  }

  compileNeg(node: NjNode, frame: NjFrame): void {
    this._emit('env.py.neg(');
    this.compile(node.target as NjNode, frame);
    this._emit(')');
  }

  compilePos(node: NjNode, frame: NjFrame): void {
    this._emit('env.py.pos(');
    this.compile(node.target as NjNode, frame);
    this._emit(')');
  }

  compileNot(node: NjNode, frame: NjFrame): void {
    this._emit('!env.py.truth(');
    this.compile(node.target as NjNode, frame);
    this._emit(')');
  }

  compileOr(node: NjNode, frame: NjFrame): void {
    this._emit('env.py.or(');
    this.compile(node.left as NjNode, frame);
    this._emit(', function() { return ');
    this.compile(node.right as NjNode, frame);
    this._emit('; })');
  }

  compileAnd(node: NjNode, frame: NjFrame): void {
    this._emit('env.py.and(');
    this.compile(node.left as NjNode, frame);
    this._emit(', function() { return ');
    this.compile(node.right as NjNode, frame);
    this._emit('; })');
  }

  compileIn(node: NjNode, frame: NjFrame): void {
    this._emit('env.py.contains(');
    this.compile(node.right as NjNode, frame);
    this._emit(', ');
    this.compile(node.left as NjNode, frame);
    this._emit(')');
  }

  compileIs(node: NjNode): void {
    this.fail('unexpected "is" expression', node.lineno, node.colno);
  }

  compileCompare(node: NjNode, frame: NjFrame): void {
    const ops = node.ops as NjNode[];
    if (ops.length === 1) {
      this._emit(`env.py.compare(${js(ops[0].type)}, `);
      this.compile(node.expr as NjNode, frame);
      this._emit(', ');
      this.compile(ops[0].expr as NjNode, frame);
      this._emit(')');
      return;
    }
    this._emit('env.py.chain([');
    this.compile(node.expr as NjNode, frame);
    for (const op of ops) {
      this._emit(', ');
      this.compile(op.expr as NjNode, frame);
    }
    this._emit(`], ${js(ops.map((op) => op.type))})`);
  }

  compileInlineIf(node: NjNode, frame: NjFrame): void {
    this._emit('(env.py.truth(');
    this.compile(node.cond as NjNode, frame);
    this._emit(') ? ');
    this.compile(node.body as NjNode, frame);
    this._emit(' : ');
    if (node.else_) this.compile(node.else_ as NjNode, frame);
    else this._emit(`env.py.undef(${js(`the inline if-expression on line ${node.lineno + 1} evaluated to false and no else section was defined.`)})`);
    this._emit(')');
  }

  compileIf(node: NjNode, frame: NjFrame): void {
    this.mark(node);
    this._emit('if(env.py.truth(');
    this.compile(node.cond as NjNode, frame);
    this._emitLine(')) {');
    this._withScopedSyntax(() => this.compile(node.body as NjNode, frame));
    if (node.else_) {
      this._emitLine('}\nelse {');
      this._withScopedSyntax(() => this.compile(node.else_ as NjNode, frame));
    }
    this._emitLine('}');
  }

  compileSymbol(node: NjNode, frame: NjFrame): void {
    const name = node.value as string;
    const bound = frame.lookup(name);
    if (typeof bound === 'string' && name.startsWith('hole_')) this._emit(bound);
    else this._emit(`env.py.lookup(context, frame, ${js(name)})`);
  }

  compileLiteral(node: NjNode): void {
    const v = node.value;
    if (v instanceof PyFloat) this._emit(`env.py.float(${String(v.value)})`);
    else if (typeof v === 'string') this._emit(js(v));
    else if (v === null || v === undefined) this._emit('null');
    else this._emit(String(v));
  }

  compileGroup(node: NjNode, frame: NjFrame): void {
    const children = (node as NjNodeList).children;
    if (children.length === 1) {
      this._emit('(');
      this.compile(children[0], frame);
      this._emit(')');
    } else this.compileJTuple(node, frame);
  }

  compileJTuple(node: NjNode, frame: NjFrame): void {
    this._emit('env.py.tuple(');
    this._compileAggregate(node, frame, '[', ']');
    this._emit(')');
  }

  compileDict(node: NjNode, frame: NjFrame): void {
    this._emit('env.py.dict([');
    (node as NjNodeList).children.forEach((pair, i) => {
      if (i) this._emit(', ');
      this._emit('[');
      this.compile(pair.key as NjNode, frame);
      this._emit(', ');
      this.compile(pair.value as NjNode, frame);
      this._emit(']');
    });
    this._emit('])');
  }

  compileKeywordArgs(node: NjNode, frame: NjFrame): void {
    this._emit('runtime.makeKeywordArgs({');
    (node as NjNodeList).children.forEach((pair, i) => {
      if (i) this._emit(', ');
      const key = pair.key as NjNode;
      this._emit(`${js(key.value)}: `);
      this.compile(pair.value as NjNode, frame);
    });
    this._emit('})');
  }

  compileJLookup(node: NjNode, frame: NjFrame): void {
    this._emit(node.dot ? 'env.py.getattr(' : 'env.py.getitem(');
    this.compile(node.target as NjNode, frame);
    this._emit(', ');
    this.compile(node.val as NjNode, frame);
    this._emit(')');
  }

  compileLookupVal(node: NjNode, frame: NjFrame): void {
    this._emit('env.py.getitem(');
    this.compile(node.target as NjNode, frame);
    this._emit(', ');
    this.compile(node.val as NjNode, frame);
    this._emit(')');
  }

  compileJSlice(node: NjNode, frame: NjFrame): void {
    this._emit('env.py.slice(');
    this.compile(node.target as NjNode, frame);
    for (const part of ['start', 'stop', 'step']) {
      this._emit(', ');
      if (node[part]) this.compile(node[part] as NjNode, frame);
      else this._emit('null');
    }
    this._emit(')');
  }

  private nodeName(node: NjNode): string {
    switch (node.typename) {
      case 'Symbol':
        return String(node.value);
      case 'Literal':
        return String(node.value);
      case 'JLookup': {
        const val = node.val as NjNode;
        const inner = this.nodeName(node.target as NjNode);
        return val.typename === 'Literal' && node.dot ? `${inner}.${String(val.value)}` : `${inner}[${val.typename === 'Literal' ? JSON.stringify(val.value) : '...'}]`;
      }
      case 'FunCall':
        return `${this.nodeName(node.name as NjNode)}(...)`;
      default:
        return 'expression';
    }
  }

  /** How Jinja names an imported template in messages: `'x/map.jinja'`. */
  private templateLabel(node: NjNode): string {
    return node.typename === 'Literal' && typeof node.value === 'string' ? `'${node.value}'` : this.nodeName(node);
  }

  compileFunCall(node: NjNode, frame: NjFrame): void {
    this._emit(`(lineno = ${node.lineno}, colno = ${node.colno}, env.py.call(`);
    this.compile(node.name as NjNode, frame);
    this._emit(`, ${js(this.nodeName(node.name as NjNode))}, context, `);
    this._compileAggregate(node.args as NjNode, frame, '[', '])');
    this._emit(')');
  }

  compileFilter(node: NjNode, frame: NjFrame): void {
    const name = (node.name as NjNode).value as string;
    if (!Object.prototype.hasOwnProperty.call(FILTERS, name)) this.fail(`No filter named '${name}'.`, node.lineno, node.colno);
    this._emit(`env.py.filters[${js(name)}].call(context, `);
    this._compileAggregate(node.args as NjNode, frame);
    this._emit(')');
  }

  compileJTest(node: NjNode, frame: NjFrame): void {
    const name = node.name as string;
    if (!Object.prototype.hasOwnProperty.call(TESTS, name)) this.fail(`No test named '${name}'.`, node.lineno, node.colno);
    this._emit(`env.py.tests[${js(name)}](`);
    this.compile(node.target as NjNode, frame);
    for (const arg of (node.args as NjNodeList).children) {
      this._emit(', ');
      this.compile(arg, frame);
    }
    this._emit(')');
  }

  compileOutput(node: NjNode, frame: NjFrame): void {
    for (const child of (node as NjNodeList).children) {
      if (child.typename === 'TemplateData') {
        if (child.value) {
          this._emit(`${this.buffer} += `);
          this.compileLiteral(child);
          this._emitLine(';');
        }
      } else {
        this.mark(child);
        this._emit(`${this.buffer} += env.py.out(`);
        this.compile(child, frame);
        this._emitLine(');');
      }
    }
  }

  /** Assign `value` (JavaScript expression) to a name as Jinja does: local in loops, exported at top level. */
  private assign(name: string, value: string): void {
    this._emitLine(`frame.set(${js(name)}, ${value}, true);`);
    this._emitLine(`if(frame.topLevel) { context.setVariable(${js(name)}, ${value});${name.startsWith('_') ? '' : ` context.addExport(${js(name)});`} }`);
  }

  private bindTargets(targets: string[], value: string): void {
    if (targets.length === 1) {
      this.assign(targets[0], value);
      return;
    }
    const parts = this._tmpid();
    this._emitLine(`var ${parts} = env.py.unpack(${value}, ${targets.length});`);
    targets.forEach((t, i) => this.assign(t, `${parts}[${i}]`));
  }

  compileJSet(node: NjNode, frame: NjFrame): void {
    this.mark(node);
    const id = this._tmpid();
    this._emit(`var ${id} = `);
    if (node.value) this.compile(node.value as NjNode, frame);
    else this.compile(node.body as NjNode, frame);
    this._emitLine(';');
    const attr = node.attr as NjNode | null;
    if (attr) {
      this._emit('env.py.setattr(');
      this.compile(attr.target as NjNode, frame);
      this._emitLine(`, ${js((attr.val as NjNode).value)}, ${id});`);
      return;
    }
    this.bindTargets(node.targets as string[], id);
  }

  private bindLoopTargets(targets: string[], item: string): void {
    if (targets.length === 1) {
      this._emitLine(`frame.set(${js(targets[0])}, ${item});`);
      return;
    }
    const parts = this._tmpid();
    this._emitLine(`var ${parts} = env.py.unpack(${item}, ${targets.length});`);
    targets.forEach((t, i) => this._emitLine(`frame.set(${js(t)}, ${parts}[${i}]);`));
  }

  /** Jinja's for: each iteration runs in a fresh scope over the enclosing one (sets do not leak or carry over). */
  compileJFor(node: NjNode, frame: NjFrame): void {
    this.mark(node);
    const arr = this._tmpid();
    const i = this._tmpid();
    const len = this._tmpid();
    const loop = this._tmpid();
    const outer = this._tmpid();
    const targets = node.targets as string[];
    this._emit(`var ${arr} = env.py.iter(`);
    this.compile(node.arr as NjNode, frame);
    this._emitLine(');');
    this._emitLine(`var ${outer} = frame;`);
    const inner = frame.push(true);
    if (node.cond) {
      const src = this._tmpid();
      const j = this._tmpid();
      this._emitLine(`var ${src} = ${arr}; ${arr} = [];`);
      this._emitLine(`for (var ${j} = 0; ${j} < ${src}.length; ${j}++) {`);
      this._emitLine(`frame = ${outer}.push(true);`);
      this.bindLoopTargets(targets, `${src}[${j}]`);
      this._emit('if (env.py.truth(');
      this.compile(node.cond as NjNode, inner);
      this._emitLine(`)) { ${arr}.push(${src}[${j}]); }`);
      this._emitLine('}');
      this._emitLine(`frame = ${outer};`);
    }
    this._emitLine(`var ${len} = ${arr}.length;`);
    this._emitLine(`var ${loop} = env.py.loop(${arr});`);
    this._emitLine(`for (var ${i} = 0; ${i} < ${len}; ${i}++) {`);
    this._emitLine(`frame = ${outer}.push(true);`);
    this._emitLine(`${loop}.index0 = ${i};`);
    this._emitLine(`frame.set("loop", ${loop});`);
    this.bindLoopTargets(targets, `${arr}[${i}]`);
    this._withScopedSyntax(() => this.compile(node.body as NjNode, inner));
    this._emitLine('}');
    this._emitLine(`frame = ${outer};`);
    if (node.else_) {
      this._emitLine(`if (!${len}) {`);
      this._withScopedSyntax(() => this.compile(node.else_ as NjNode, frame));
      this._emitLine('}');
    }
  }

  compileJDo(node: NjNode, frame: NjFrame): void {
    this.mark(node);
    this.compile(node.expr as NjNode, frame);
    this._emitLine(';');
  }

  compileJWith(node: NjNode, frame: NjFrame): void {
    this.mark(node);
    const names = node.names as string[];
    const ids = names.map(() => this._tmpid());
    (node.values as NjNodeList).children.forEach((value, k) => {
      this._emit(`var ${ids[k]} = `);
      this.compile(value, frame);
      this._emitLine(';');
    });
    this._emitLine('frame = frame.push(true);');
    names.forEach((name, k) => this._emitLine(`frame.set(${js(name)}, ${ids[k]});`));
    this._withScopedSyntax(() => this.compile(node.body as NjNode, frame.push(true)));
    this._emitLine('frame = frame.pop();');
  }

  compileJBreak(): void {
    this._emitLine('break;');
  }

  compileJContinue(): void {
    this._emitLine('continue;');
  }

  compileJImportData(node: NjNode, frame: NjFrame): void {
    this.mark(node);
    const id = this._tmpid();
    this._emit(`var ${id} = env.py.importData(${js(node.kind)}, `);
    this.compile(node.template as NjNode, frame);
    this._emitLine(`, ${this._templateName()}, ${node.withContext ? 'context' : 'null'}, frame);`);
    this.assign(node.target as string, id);
  }

  compileJLoadData(node: NjNode, frame: NjFrame): void {
    this.mark(node);
    const id = this._tmpid();
    this._emitLine(`var ${id} = env.py.loadData(${js(node.kind)}, (function() {`);
    this._emitLine('var output = "";');
    this._emitLine('frame = frame.push(true);');
    const buffer = this.buffer;
    this.buffer = 'output';
    this._withScopedSyntax(() => this.compile(node.body as NjNode, frame.push(true)));
    this.buffer = buffer;
    this._emitLine('frame = frame.pop();');
    this._emitLine('return output;');
    this._emitLine(`})(), ${this._templateName()});`);
    this.assign(node.target as string, id);
  }

  compileInclude(node: NjNode, frame: NjFrame): void {
    this.mark(node);
    (Compiler.prototype as unknown as Record<string, (n: NjNode, f: NjFrame) => void>).compileInclude.call(this, node, frame);
  }

  /** Nunjucks's import, binding a module object (exported names as attributes). */
  compileImport(node: NjNode, frame: NjFrame): void {
    this.mark(node);
    const id = this._tmpid();
    const target = (node.target as NjNode).value as string;
    this._emit('env.getTemplate(');
    this.compile(node.template as NjNode, frame);
    this._emitLine(`, false, ${this._templateName()}, false, ${this._makeCallback(id)}`);
    this._addScopeLevel();
    this._emitLine(`${id}.getExported(${node.withContext ? 'context.getVariables(), frame, ' : ''}${this._makeCallback(id)}`);
    this._addScopeLevel();
    this._emitLine(`${id} = env.py.module(${id});`);
    frame.set(target, id);
    if (frame.parent) this._emitLine(`frame.set(${js(target)}, ${id});`);
    else this._emitLine(`context.setVariable(${js(target)}, ${id});`);
  }

  /** Nunjucks's from-import, reporting a missing name as an error thrown at this line. */
  compileFromImport(node: NjNode, frame: NjFrame): void {
    this.mark(node);
    const importedId = this._tmpid();
    this._emit('env.getTemplate(');
    this.compile(node.template as NjNode, frame);
    this._emitLine(`, false, ${this._templateName()}, false, ${this._makeCallback(importedId)}`);
    this._addScopeLevel();
    this._emitLine(`${importedId}.getExported(${node.withContext ? 'context.getVariables(), frame, ' : ''}${this._makeCallback(importedId)}`);
    this._addScopeLevel();
    for (const nameNode of (node.names as NjNodeList).children) {
      const isPair = nameNode.typename === 'Pair';
      const name = (isPair ? (nameNode.key as NjNode).value : nameNode.value) as string;
      const alias = (isPair ? (nameNode.value as NjNode).value : nameNode.value) as string;
      const id = this._tmpid();
      this._emitLine(`var ${id} = env.py.imported(${importedId}, ${js(name)}, ${js(this.templateLabel(node.template as NjNode))});`);
      frame.set(alias, id);
      if (frame.parent) this._emitLine(`frame.set(${js(alias)}, ${id});`);
      else this._emitLine(`context.setVariable(${js(alias)}, ${id});`);
    }
  }
}
