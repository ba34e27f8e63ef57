/** Small type guards for data loaded from YAML. */

/** Whether a value is a plain mapping (not null, not an array). */
export function isDict(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

/** The single key of a one-key mapping, or undefined. */
export function soleKey(v: unknown): string | undefined {
  if (!isDict(v)) return undefined;
  const keys = Object.keys(v);
  return keys.length === 1 ? keys[0] : undefined;
}
