/**
 * What compiled templates call at run time (`env.py.*`): name lookup with StrictUndefined,
 * printing, Python operators, lookups, calls, loops, imports of data files, and error tagging.
 */
import { pyFloatRepr, pyNumberRepr } from '../python/number';
import { loadSaltYaml } from '../yaml/load';
import { failAt, type RenderFailure } from './errors';
import { FILTERS, TESTS } from './filters';
import { JINJA_GLOBALS, LoopContext } from './globals';
import type { NjContext, NjFrame } from './nunjucks-internals';
import { MISSING, getattr, getitem, setattr } from './python-methods';
import * as ops from './python-ops';
import { pyStr } from './python-repr';
import { PyError, PyFloat, isStr, pyTypeName, strValue, tuple, typeError } from './python-types';
import { JinjaUndefined, undefinedName } from './undefined';

/** What the runtime needs from its environment. */
export interface RuntimeHost {
  /** The render globals of the render in progress (Salt puts the whole render context there). */
  globals(): Record<string, unknown>;
  /** Render the template `name` (resolved against `parentName`) with `ctx`; returns its text and URL. */
  renderImport(name: unknown, parentName: string, ctx: Record<string, unknown> | null, frame: NjFrame | null): { text: string; url: string };
}

/** A template imported with `{% import ... as m %}`: its exported names as attributes. */
export class TemplateModule {
  readonly pyTypeName = 'TemplateModule';

  constructor(private readonly exports: Record<string, unknown>) {}

  pyGetAttr(name: string): unknown {
    return Object.prototype.hasOwnProperty.call(this.exports, name) ? this.exports[name] : MISSING;
  }

  pyGetItem(key: unknown): unknown {
    return typeof key === 'string' ? this.pyGetAttr(key) : MISSING;
  }
}

function dictKey(key: unknown): string {
  if (key instanceof JinjaUndefined) key.fail();
  if (isStr(key)) return strValue(key);
  if (typeof key === 'number') return pyNumberRepr(key);
  if (key instanceof PyFloat) return pyFloatRepr(key.value);
  if (typeof key === 'boolean') return key ? 'True' : 'False';
  if (key === null || key === undefined) return 'None';
  return typeError(`unhashable type: '${pyTypeName(key)}'`);
}

/** The `env.py` object of compiled templates. */
export class TemplateRuntime {
  readonly filters = FILTERS;
  readonly tests = TESTS;
  readonly truth = ops.truth;
  readonly compare = ops.compare;
  readonly contains = ops.contains;
  readonly add = ops.add;
  readonly sub = ops.sub;
  readonly mul = ops.mul;
  readonly div = ops.div;
  readonly floordiv = ops.floordiv;
  readonly mod = ops.mod;
  readonly pow = ops.pow;
  readonly neg = ops.neg;
  readonly pos = ops.pos;
  readonly slice = ops.slice;
  readonly iter = ops.iterate;
  readonly unpack = ops.unpack;
  readonly getattr = getattr;
  readonly getitem = getitem;
  readonly setattr = setattr;

  constructor(private readonly host: RuntimeHost) {}

  /** A variable: loop/macro scope, then the template context, then the render globals, then Jinja's. */
  lookup(context: NjContext, frame: NjFrame, name: string): unknown {
    const v = frame.lookup(name);
    if (v !== undefined) return v;
    const ctx = context.ctx;
    if (Object.prototype.hasOwnProperty.call(ctx, name) && ctx[name] !== undefined) return ctx[name];
    const globals = this.host.globals();
    if (Object.prototype.hasOwnProperty.call(globals, name) && globals[name] !== undefined) return globals[name];
    if (Object.prototype.hasOwnProperty.call(JINJA_GLOBALS, name)) return JINJA_GLOBALS[name];
    return undefinedName(name);
  }

  /** `{{ value }}`: Python's str(); Undefined raises. */
  out(value: unknown): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isSafeInteger(value)) return Object.is(value, -0) ? '0' : String(value);
    return pyStr(value);
  }

  concat(a: unknown, b: unknown): string {
    return pyStr(a) + pyStr(b);
  }

  or(a: unknown, b: () => unknown): unknown {
    return ops.truth(a) ? a : b();
  }

  and(a: unknown, b: () => unknown): unknown {
    return ops.truth(a) ? b() : a;
  }

  chain(values: unknown[], operators: string[]): boolean {
    for (let i = 0; i < operators.length; i++) if (!ops.compare(operators[i], values[i], values[i + 1])) return false;
    return true;
  }

  /** Jinja's plain (non-strict) Undefined, as an inline `if` without `else` yields it. */
  undef(hint: string): JinjaUndefined {
    return new JinjaUndefined(hint, true);
  }

  float(value: number): PyFloat {
    return new PyFloat(value);
  }

  tuple(items: unknown[]): unknown[] {
    return tuple(items);
  }

  dict(pairs: [unknown, unknown][]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of pairs) {
      const key = dictKey(k);
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
    }
    return out;
  }

  loop(items: unknown[]): LoopContext {
    return new LoopContext(items);
  }

  call(fn: unknown, name: string, context: unknown, args: unknown[]): unknown {
    if (typeof fn === 'function') return (fn as (...a: unknown[]) => unknown).apply(context, args);
    if (fn instanceof JinjaUndefined) fn.fail();
    return typeError(`'${pyTypeName(fn)}' object is not callable (${name})`);
  }

  /** `{% from 'x' import name %}`: the exported name, or (as Jinja) an Undefined saying it is not exported. */
  imported(exports: Record<string, unknown>, name: string, template: string): unknown {
    if (Object.prototype.hasOwnProperty.call(exports, name)) return exports[name];
    return new JinjaUndefined(`the template ${template} does not export the requested name '${name}'`);
  }

  /** `{% import 'x' as m %}`: the module object. */
  module(exports: Record<string, unknown>): TemplateModule {
    return new TemplateModule(exports);
  }

  /** `{% import_yaml 'x' as v %}` (and json, text): render the file, then load it. */
  importData(kind: string, name: unknown, parentName: string, context: NjContext | null, frame: NjFrame): unknown {
    const { text, url } = this.host.renderImport(name, parentName, context ? context.getVariables() : null, context ? frame : null);
    if (kind === 'yaml') return loadSaltYaml(text, url);
    if (kind === 'json') {
      try {
        return JSON.parse(text) as unknown;
      } catch (e) {
        throw new PyError('TemplateRuntimeError', `Unable to load json from ${url}: ${(e as Error).message}`);
      }
    }
    return text;
  }

  /** `{% load_yaml as v %}...{% endload %}` (and json, text). */
  loadData(kind: string, text: string): unknown {
    return FILTERS[`load_${kind}`](text);
  }

  /** Tag an error with the template and (0-based) line it passed. */
  fail(e: unknown, template: string, lineno: number): RenderFailure {
    return failAt(e, template, lineno);
  }

  /** Wrap a macro so errors inside it are located in the template that defines it. */
  guardMacro(fn: (...args: unknown[]) => unknown, template: string, line: () => number): (...args: unknown[]) => unknown {
    return function guarded(this: unknown, ...args: unknown[]): unknown {
      try {
        return fn.apply(this, args);
      } catch (e) {
        throw failAt(e, template, line());
      }
    };
  }
}
