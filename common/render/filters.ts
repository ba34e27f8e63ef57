/**
 * Installs the filter and test tables: Jinja's built-ins, then Salt's over them (as Salt's
 * environment does). Filters refuse an Undefined input as StrictUndefined would, except
 * those Jinja lets through (`default`, and `int`/`float`/`to_bool`, which fall back).
 */
import { JINJA_FILTERS } from './filters-jinja';
import { SALT_FILTERS } from './filters-salt';
import { FILTERS, TESTS, type FilterFn } from './registry';
import { JINJA_TESTS } from './tests';
import { JinjaUndefined } from './undefined';

const ACCEPT_UNDEFINED = new Set(['default', 'd', 'int', 'float', 'to_bool', 'items']);

function guard(name: string, f: FilterFn): FilterFn {
  if (ACCEPT_UNDEFINED.has(name)) return f;
  return (value: unknown, ...args: unknown[]) => {
    if (value instanceof JinjaUndefined && !value.lenient) value.fail();
    return f(value, ...args);
  };
}

let installed = false;

/** Fill FILTERS and TESTS once (idempotent). */
export function installFiltersAndTests(): void {
  if (installed) return;
  installed = true;
  for (const [name, f] of Object.entries(JINJA_FILTERS)) FILTERS[name] = guard(name, f);
  for (const [name, f] of Object.entries(SALT_FILTERS)) FILTERS[name] = guard(name, f);
  for (const [name, t] of Object.entries(JINJA_TESTS)) TESTS[name] = t;
}

installFiltersAndTests();

/** The installed tables (the same objects as in registry.ts). */
export { FILTERS, TESTS };
