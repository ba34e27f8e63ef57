/** Salt's data helpers used across modules. */
import { traverseDictAndList } from './match/traverse';

/** Look up `a:b:0:c` in nested dicts/lists (Salt's traverse_dict_and_list); `dflt` when absent. */
export function traverse(data: unknown, key: string, dflt: unknown = undefined, delimiter = ':'): unknown {
  return traverseDictAndList(data, key, dflt, delimiter);
}
