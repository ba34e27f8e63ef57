/**
 * The one-matcher target types (all but compound and nodegroup) and the compiler of each,
 * shared by `compileTarget` (`-G`, `-I`, `tgt_type`, top-file `match:`) and the compound
 * prefixes (`G@`, `I@`, ...), so that both read a type the same way.
 */
import { compileGlob } from './glob';
import { compileGrain, compileGrainPcre } from './grain';
import { compileList } from './list';
import { compilePcre } from './pcre';
import { compilePillar, compilePillarExact, compilePillarPcre } from './pillar';
import { compileIpcidr } from './subnet';
import type { MinionPredicate, TargetType } from './types';

/** A target type that one matcher handles on its own. */
export type SimpleTargetType = Exclude<TargetType, 'compound' | 'nodegroup'>;

const COMPILERS: Record<SimpleTargetType, (expr: unknown, delimiter: string) => MinionPredicate> = {
  glob: compileGlob,
  pcre: compilePcre,
  list: compileList,
  grain: compileGrain,
  grain_pcre: compileGrainPcre,
  pillar: compilePillar,
  pillar_pcre: compilePillarPcre,
  pillar_exact: compilePillarExact,
  ipcidr: compileIpcidr,
};

/** Whether a target type is handled by one matcher (not compound, not nodegroup). */
export function isSimpleTargetType(type: string): type is SimpleTargetType {
  return Object.prototype.hasOwnProperty.call(COMPILERS, type);
}

/** Compile a target of a one-matcher type; `delimiter` separates nested grain/pillar keys. */
export function compileSimpleTarget(type: SimpleTargetType, expr: unknown, delimiter: string): MinionPredicate {
  return COMPILERS[type](expr, delimiter);
}
