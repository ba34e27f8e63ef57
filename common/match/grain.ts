/** Grain targets: `-G os:Debian` / `G@os:Debian` (glob) and `-P` / `P@` (Python regex). */
import { compileKeyValue } from './keyvalue';
import type { MinionPredicate } from './types';

/** Compile a grain glob target (`os:Debian`, `roles:web*`, `ipv4:10.0.*`). */
export function compileGrain(expr: unknown, delimiter = ':'): MinionPredicate {
  return compileKeyValue(expr, 'grains', 'glob', delimiter, 'grain');
}

/** Compile a grain PCRE target (`os:(Debian|Ubuntu)`). */
export function compileGrainPcre(expr: unknown, delimiter = ':'): MinionPredicate {
  return compileKeyValue(expr, 'grains', 'pcre', delimiter, 'grain_pcre');
}
