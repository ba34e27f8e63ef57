/**
 * Jinja's template globals and helper objects: the `loop` variable, `range`, `dict`,
 * `namespace`, `cycler`, `joiner`, plus Salt's `raise` and `odict`.
 */
import { bindArgs, splitCallArgs } from './call-args';
import { MISSING } from './python-methods';
import { eq, iterate } from './python-ops';
import { pyRepr } from './python-repr';
import { PyError, isDict, num, typeError, valueError } from './python-types';
import { JinjaUndefined } from './undefined';

/** Jinja's `loop` variable for one `for` loop; `index0` is advanced by the compiled loop. */
export class LoopContext {
  readonly pyTypeName = 'LoopContext';
  index0 = 0;
  private lastChanged: unknown[] | typeof MISSING = MISSING;

  constructor(private readonly items: unknown[]) {}

  pyGetAttr(name: string): unknown {
    const i = this.index0;
    const n = this.items.length;
    switch (name) {
      case 'index':
        return i + 1;
      case 'index0':
        return i;
      case 'revindex':
        return n - i;
      case 'revindex0':
        return n - i - 1;
      case 'first':
        return i === 0;
      case 'last':
        return i === n - 1;
      case 'length':
        return n;
      case 'depth':
        return 1;
      case 'depth0':
        return 0;
      case 'previtem':
        return i > 0 ? this.items[i - 1] : new JinjaUndefined('there is no previous item');
      case 'nextitem':
        return i < n - 1 ? this.items[i + 1] : new JinjaUndefined('there is no next item');
      case 'cycle':
        return (...args: unknown[]) => {
          const values = splitCallArgs(args).args;
          if (!values.length) throw new PyError('TypeError', 'no items for cycling given');
          return values[i % values.length];
        };
      case 'changed':
        return (...args: unknown[]) => {
          const values = splitCallArgs(args).args;
          if (this.lastChanged !== MISSING && eq(values, this.lastChanged)) return false;
          this.lastChanged = values;
          return true;
        };
      default:
        return MISSING;
    }
  }
}

/** Jinja's `namespace(...)`: an object whose attributes `{% set ns.x = ... %}` may assign. */
export class Namespace {
  readonly pyTypeName = 'Namespace';
  private readonly attrs: Record<string, unknown> = Object.create(null) as Record<string, unknown>;

  constructor(initial: Record<string, unknown>) {
    for (const k of Object.keys(initial)) this.attrs[k] = initial[k];
  }

  pyGetAttr(name: string): unknown {
    return name in this.attrs ? this.attrs[name] : MISSING;
  }

  pyGetItem(key: unknown): unknown {
    return typeof key === 'string' && key in this.attrs ? this.attrs[key] : MISSING;
  }

  pySetAttr(name: string, value: unknown): void {
    this.attrs[name] = value;
  }

  pyRepr(): string {
    return `<Namespace ${pyRepr(Object.assign({}, this.attrs))}>`;
  }
}

/** Jinja's `cycler(...)`. */
export class Cycler {
  readonly pyTypeName = 'Cycler';
  private pos = 0;

  constructor(private readonly items: unknown[]) {
    if (!items.length) throw new PyError('RuntimeError', 'at least one item has to be provided');
  }

  pyGetAttr(name: string): unknown {
    switch (name) {
      case 'current':
        return this.items[this.pos];
      case 'next':
        return () => {
          const v = this.items[this.pos];
          this.pos = (this.pos + 1) % this.items.length;
          return v;
        };
      case 'reset':
        return () => {
          this.pos = 0;
          return null;
        };
      default:
        return MISSING;
    }
  }
}

function range(...raw: unknown[]): number[] {
  const args = splitCallArgs(raw).args.map((a) => {
    if (typeof a !== 'number' && typeof a !== 'boolean') typeError(`'${typeof a === 'string' ? 'str' : 'float'}' object cannot be interpreted as an integer`);
    return num(a);
  });
  if (args.length === 0 || args.length > 3) typeError(`range expected at most 3 arguments, got ${args.length}`);
  const [start, stop, step] = args.length === 1 ? [0, args[0], 1] : [args[0], args[1], args[2] ?? 1];
  if (step === 0) valueError('range() arg 3 must not be zero');
  const count = Math.max(0, Math.ceil((stop - start) / step));
  if (!Number.isFinite(count) || count > 100000) throw new PyError('OverflowError', 'Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).');
  const out: number[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) out.push(i);
  else for (let i = start; i > stop; i += step) out.push(i);
  return out;
}

function dict(...raw: unknown[]): Record<string, unknown> {
  const { args, kwargs } = splitCallArgs(raw);
  const out: Record<string, unknown> = {};
  if (args.length > 1) typeError(`dict expected at most 1 argument, got ${args.length}`);
  if (args.length === 1) {
    const src = args[0];
    if (isDict(src)) Object.assign(out, src);
    else for (const pair of iterate(src)) {
      const [k, v] = iterate(pair);
      out[String(k)] = v;
    }
  }
  return Object.assign(out, kwargs);
}

/** The global names every template sees (after its context and Salt's render globals). */
export const JINJA_GLOBALS: Record<string, unknown> = {
  range,
  dict,
  odict: dict,
  namespace: (...raw: unknown[]) => {
    const { args, kwargs } = splitCallArgs(raw);
    return new Namespace(Object.assign({}, ...args.map((a) => (isDict(a) ? a : dict(a))), kwargs) as Record<string, unknown>);
  },
  cycler: (...raw: unknown[]) => new Cycler(splitCallArgs(raw).args),
  joiner: (...raw: unknown[]) => {
    const [sep] = bindArgs('joiner', raw, [['sep', ', ']]).values;
    let used = false;
    return () => {
      if (!used) {
        used = true;
        return '';
      }
      return sep;
    };
  },
  raise: (...raw: unknown[]) => {
    const [msg] = bindArgs('raise', raw, ['msg']).values;
    throw new PyError('TemplateError', String(msg));
  },
};
