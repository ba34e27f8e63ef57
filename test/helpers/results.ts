/** Test helpers over state run results. */
import assert from 'node:assert/strict';
import type { StateResult, StateRunResult } from '../../common/types';

/** The result of the state with ID `id` (fails the test when there is none). */
export function byId(res: StateRunResult, id: string): StateResult {
  const hit = Object.values(res).find((r) => r.__id__ === id);
  assert.ok(hit, `no result for ${id}: ${Object.keys(res).join(', ')}`);
  return hit;
}

/** State IDs in the order they ran. */
export function runOrder(res: StateRunResult): string[] {
  return Object.values(res)
    .sort((a, b) => a.__run_num__ - b.__run_num__)
    .map((r) => r.__id__);
}
