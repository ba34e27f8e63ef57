/**
 * Targets of the form `key:value` on a minion's grains or pillar (`-G`, `-P`, `-I`, `-J`,
 * `pillar_exact`), checked up front and matched with Salt's subdict_match.
 */
import { ValidationError } from '../errors';
import { stringTarget } from './check';
import { compilePyMatch } from './pyregex';
import { subdictMatch, type ValueMatchMode } from './subdict';
import type { MinionFacts, MinionPredicate } from './types';

/** Which data of the minion a key:value target reads. */
export type FactSource = 'grains' | 'pillar';

/** Compile a key:value target; `what` names the target type in error messages. */
export function compileKeyValue(
  expr: unknown,
  source: FactSource,
  mode: ValueMatchMode,
  delimiter: string,
  what: string,
): MinionPredicate {
  const text = stringTarget(expr, what);
  if (delimiter === '') throw new ValidationError(`empty delimiter for ${what} target ${JSON.stringify(text)}`);
  const cut = text.indexOf(delimiter);
  if (cut < 0) {
    throw new ValidationError(
      `${what} target ${JSON.stringify(text)} needs a key and a value separated by ${JSON.stringify(delimiter)}`,
    );
  }
  if (cut === 0) throw new ValidationError(`${what} target ${JSON.stringify(text)} has an empty key`);
  if (mode === 'pcre') {
    try {
      compilePyMatch(text.slice(cut + delimiter.length), { ignoreCase: true });
    } catch (err) {
      throw new ValidationError(`${what} target ${JSON.stringify(text)}: ${(err as Error).message}`);
    }
  }
  return (minion: MinionFacts) => subdictMatch(minion[source], text, delimiter, mode);
}
