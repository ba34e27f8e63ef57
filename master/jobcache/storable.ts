/**
 * Turning values that came off the wire into JSON text without losing or inventing anything:
 * only null, booleans, finite numbers, strings, arrays and plain objects are accepted, so a
 * value stored is exactly the value read back.
 */

const MAX_DEPTH = 512;

/** The JSON text of `value`, or the reason it cannot be stored exactly, naming where in it (`data.a[2]`). */
export function toStorableJson(value: unknown, path: string): { json: string } | { error: string } {
  const problem = findUnstorable(value, path, new Set<object>(), 0);
  if (problem) return { error: problem };
  return { json: JSON.stringify(value) };
}

function findUnstorable(value: unknown, path: string, stack: Set<object>, depth: number): string | null {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : `${path} is ${String(value)}, which JSON cannot hold`;
  if (typeof value !== 'object') return `${path} is ${describe(value)}, which JSON cannot hold`;
  if (depth >= MAX_DEPTH) return `${path} is nested deeper than ${MAX_DEPTH} levels`;
  if (stack.has(value)) return `${path} refers back to itself`;
  if (Array.isArray(value)) {
    stack.add(value);
    for (let i = 0; i < value.length; i++) {
      const problem = findUnstorable(value[i], `${path}[${i}]`, stack, depth + 1);
      if (problem) return problem;
    }
    stack.delete(value);
    return null;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return `${path} is ${describe(value)}, which JSON cannot hold`;
  stack.add(value);
  for (const [key, item] of Object.entries(value)) {
    const problem = findUnstorable(item, `${path}[${JSON.stringify(key)}]`, stack, depth + 1);
    if (problem) return problem;
  }
  stack.delete(value);
  return null;
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return 'a bigint';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name ? `a ${name}` : 'an object';
}
