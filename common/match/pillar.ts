/** Pillar targets: `-I`/`I@` (glob), `-J`/`J@` (Python regex) and `pillar_exact` (equality). */
import { compileKeyValue } from './keyvalue';
import type { MinionPredicate } from './types';

/** Compile a pillar glob target (`role:db*`). */
export function compilePillar(expr: unknown, delimiter = ':'): MinionPredicate {
  return compileKeyValue(expr, 'pillar', 'glob', delimiter, 'pillar');
}

/** Compile a pillar PCRE target (`role:(db|web)`). */
export function compilePillarPcre(expr: unknown, delimiter = ':'): MinionPredicate {
  return compileKeyValue(expr, 'pillar', 'pcre', delimiter, 'pillar_pcre');
}

/** Compile an exact pillar target: no glob, no regex, still case-insensitive as in Salt. */
export function compilePillarExact(expr: unknown, delimiter = ':'): MinionPredicate {
  return compileKeyValue(expr, 'pillar', 'exact', delimiter, 'pillar_exact');
}
