/**
 * A memo of a pure function of a string, holding at most `capacity` results (the oldest are
 * forgotten first). Failures are not remembered: the function runs again and throws again.
 */
export class BoundedMemo<T> {
  private readonly results = new Map<string, T>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`memo capacity must be a positive integer, got ${capacity}`);
  }

  /** The remembered result for `key`, or `compute()`'s, remembered from now on. */
  get(key: string, compute: () => T): T {
    const known = this.results.get(key);
    if (known !== undefined) return known;
    const value = compute();
    if (this.results.size >= this.capacity) this.results.delete(this.results.keys().next().value as string);
    this.results.set(key, value);
    return value;
  }

  /** How many results are remembered. */
  get size(): number {
    return this.results.size;
  }
}
