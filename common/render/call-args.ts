/**
 * Python-style calls from templates. Nunjucks passes keyword arguments as one trailing object
 * marked `__keywords`; these helpers split them off and bind arguments to parameter names with
 * Python's errors ("missing 1 required positional argument: 'x'").
 */
import { typeError } from './python-types';

/** Positional and keyword arguments of one call. */
export interface CallArgs {
  args: unknown[];
  kwargs: Record<string, unknown>;
}

/** Whether a value is a keyword-arguments object made by a template call. */
export function isKwargs(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, '__keywords');
}

/** Split a call's arguments into positional ones and keyword ones (without the marker). */
export function splitCallArgs(args: readonly unknown[]): CallArgs {
  const last = args[args.length - 1];
  if (!isKwargs(last)) return { args: [...args], kwargs: {} };
  const kwargs: Record<string, unknown> = {};
  for (const k of Object.keys(last)) if (k !== '__keywords') kwargs[k] = last[k];
  return { args: args.slice(0, -1), kwargs };
}

/** Mark an object as keyword arguments (non-enumerable marker, so it does not show up as a key). */
export function asKwargs(kwargs: Record<string, unknown>): Record<string, unknown> {
  const out = { ...kwargs };
  Object.defineProperty(out, '__keywords', { value: true, enumerable: false });
  return out;
}

/** One parameter: a name (required) or `[name, default]`. */
export type Param = string | readonly [string, unknown];

/** Arguments bound to parameters, plus what `*args` / `**kwargs` would collect. */
export interface Bound {
  values: unknown[];
  rest: unknown[];
  extra: Record<string, unknown>;
}

/**
 * Bind a call's arguments to parameters as Python would. `varargs` / `varkw` allow extra
 * positional / keyword arguments (collected in `rest` / `extra`) instead of raising.
 */
export function bindArgs(fname: string, raw: readonly unknown[], params: readonly Param[], opts: { varargs?: boolean; varkw?: boolean } = {}): Bound {
  const { args, kwargs } = splitCallArgs(raw);
  const names = params.map((p) => (typeof p === 'string' ? p : p[0]));
  if (args.length > params.length && !opts.varargs) {
    const required = params.filter((p) => typeof p === 'string').length;
    const takes = required === params.length ? `${params.length}` : `from ${required} to ${params.length}`;
    typeError(`${fname}() takes ${takes} positional argument${params.length === 1 ? '' : 's'} but ${args.length} ${args.length === 1 ? 'was' : 'were'} given`);
  }
  const values: unknown[] = [];
  const missing: string[] = [];
  params.forEach((p, i) => {
    const name = names[i];
    const hasKw = Object.prototype.hasOwnProperty.call(kwargs, name);
    if (i < args.length) {
      if (hasKw) typeError(`${fname}() got multiple values for argument '${name}'`);
      values.push(args[i]);
    } else if (hasKw) values.push(kwargs[name]);
    else if (typeof p === 'string') {
      missing.push(name);
      values.push(undefined);
    } else values.push(p[1]);
  });
  if (missing.length) {
    const list = missing.map((m) => `'${m}'`);
    const text = list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
    typeError(`${fname}() missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${text}`);
  }
  const extra: Record<string, unknown> = {};
  for (const k of Object.keys(kwargs)) {
    if (names.includes(k)) continue;
    if (!opts.varkw) typeError(`${fname}() got an unexpected keyword argument '${k}'`);
    extra[k] = kwargs[k];
  }
  return { values, rest: args.slice(params.length), extra };
}
