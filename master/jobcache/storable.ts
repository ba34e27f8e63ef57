/**
 * Turning values that came off the wire into JSON text without losing or inventing anything:
 * only null, booleans, finite numbers, strings, arrays and plain objects are accepted, so a
 * value stored is exactly the value read back.
 */

const MAX_DEPTH = 512;

/** Why a value cannot be stored: where in it (index and key steps, innermost first, as gathered on the way back), and what is wrong there. */
interface Unstorable {
  where: string[];
  what: string;
}

/** The JSON text of `value`, or the reason it cannot be stored exactly, naming where in it (`data.a[2]`). */
export function toStorableJson(value: unknown, path: string): { json: string } | { error: string } {
  const problem = findUnstorable(value, new Set<object>(), 0);
  if (problem) return { error: `${path}${problem.where.reverse().join('')} ${problem.what}` };
  return { json: JSON.stringify(value) };
}

/** The first problem in `value`; its place is built only then, step by step on the way back (a storable value costs no text). */
function findUnstorable(value: unknown, stack: Set<object>, depth: number): Unstorable | null {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : { where: [], what: `is ${String(value)}, which JSON cannot hold` };
  if (typeof value !== 'object') return { where: [], what: `is ${describe(value)}, which JSON cannot hold` };
  if (depth >= MAX_DEPTH) return { where: [], what: `is nested deeper than ${MAX_DEPTH} levels` };
  if (stack.has(value)) return { where: [], what: 'refers back to itself' };
  if (Array.isArray(value)) {
    stack.add(value);
    for (let i = 0; i < value.length; i++) {
      const problem = findUnstorable(value[i], stack, depth + 1);
      if (problem) {
        problem.where.push(`[${i}]`);
        return problem;
      }
    }
    stack.delete(value);
    return null;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return { where: [], what: `is ${describe(value)}, which JSON cannot hold` };
  stack.add(value);
  for (const key of Object.keys(value)) {
    const problem = findUnstorable((value as Record<string, unknown>)[key], stack, depth + 1);
    if (problem) {
      problem.where.push(`[${JSON.stringify(key)}]`);
      return problem;
    }
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
