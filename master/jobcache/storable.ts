/**
 * Turning values that came off the wire into JSON text without losing or inventing anything:
 * only null, booleans, finite numbers, strings, arrays and plain objects are accepted, so a
 * value stored is exactly the value read back.
 */

const MAX_DEPTH = 512;

/** The JSON text of `value`, or the reason it cannot be stored exactly, naming where in it (`data.a[2]`). */
export function toStorableJson(value: unknown, path: string): { json: string } | { error: string } {
  // the usual case, a storable value, is checked without naming every place in it
  if (!isStorable(value, new Set<object>(), 0)) return { error: findUnstorable(value, path, new Set<object>(), 0) ?? `${path} cannot be stored` };
  return { json: JSON.stringify(value) };
}

/** Whether findUnstorable would find nothing (the same rules, no paths built). */
function isStorable(value: unknown, stack: Set<object>, depth: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth >= MAX_DEPTH || stack.has(value)) return false;
  if (!Array.isArray(value)) {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return false;
  }
  stack.add(value);
  const items = Array.isArray(value) ? value : Object.values(value);
  for (const item of items) if (!isStorable(item, stack, depth + 1)) return false;
  stack.delete(value);
  return true;
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
