/**
 * The tables of filters and tests every Brine template sees (Jinja's built-ins, then Salt's
 * over them). Filled once by `filters.ts` / `tests.ts`; the compiler checks names against them.
 */

/** A filter: the piped value first, then the filter's arguments (keyword ones in a trailing object). */
export type FilterFn = (value: unknown, ...args: unknown[]) => unknown;

/** A test (`x is name(args)`). */
export type TestFn = (value: unknown, ...args: unknown[]) => boolean;

/** Filters by name. */
export const FILTERS: Record<string, FilterFn> = Object.create(null) as Record<string, FilterFn>;

/** Tests by name. */
export const TESTS: Record<string, TestFn> = Object.create(null) as Record<string, TestFn>;
