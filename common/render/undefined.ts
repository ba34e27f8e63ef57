/**
 * Jinja's StrictUndefined, as Salt configures it: looking up a missing variable, key or
 * attribute yields an Undefined value; printing, iterating, comparing, testing its truth or
 * looking anything up on it raises an UndefinedError. `is defined` and `default` still work.
 */

/** Raised when a template uses an undefined value (Salt: "Jinja variable ..."). */
export class UndefinedError extends Error {
  override readonly name = 'UndefinedError';
}

/**
 * A value that is not defined; carries Jinja's explanation of why. A `lenient` one is Jinja's
 * plain Undefined (what an inline `if` without `else` yields): it prints as '', is false and
 * empty; only looking things up on it raises.
 */
export class JinjaUndefined {
  constructor(
    readonly hint: string,
    readonly lenient = false,
  ) {}

  /** Raise the error Jinja raises when this value is used. */
  fail(): never {
    throw new UndefinedError(this.hint);
  }

  toString(): string {
    return this.fail();
  }
}

/** Whether a value is Jinja's Undefined. */
export function isUndefined(value: unknown): value is JinjaUndefined {
  return value instanceof JinjaUndefined;
}

/** Undefined for a variable name that is not in scope: `'foo' is undefined`. */
export function undefinedName(name: string): JinjaUndefined {
  return new JinjaUndefined(`'${name}' is undefined`);
}

/** Jinja's `object_type_repr`: how error messages name the type of a value. */
export function objectTypeRepr(obj: unknown, typeName: string): string {
  if (obj === null || obj === undefined) return 'None';
  return `${typeName} object`;
}

/**
 * Undefined for a missing attribute or item, worded as Jinja words it:
 * `'dict object' has no attribute 'nope'`, `list object has no element 5`.
 */
export function undefinedMember(obj: unknown, typeName: string, name: unknown): JinjaUndefined {
  const owner = objectTypeRepr(obj, typeName);
  if (typeof name !== 'string') return new JinjaUndefined(`${owner} has no element ${String(name)}`);
  return new JinjaUndefined(`'${owner}' has no attribute '${name}'`);
}

/** Throw if the value is Undefined; otherwise return it unchanged. */
export function defined<T>(value: T): T {
  if (value instanceof JinjaUndefined) value.fail();
  return value;
}
