/**
 * SLS and pillar loading for many minions at once: the master renders the same file for every
 * minion, and the rendered text is mostly the same (the same pillar, the same states), so the
 * YAML of a given text from a given file is parsed once and each caller gets its own copy (the
 * state compiler writes into the data it loads). A text that fails to parse is not remembered.
 */
import { BoundedMemo } from '../bounded-memo';
import { loadSaltYaml } from './load';

/** Distinct (file, rendered text) pairs remembered. */
const MEMO_ENTRIES = 256;

const parsed = new BoundedMemo<{ value: unknown }>(MEMO_ENTRIES);

/** loadSaltYaml(text, source), parsed once per distinct text and source; the result is a fresh copy. */
export function loadSaltYamlCopy(text: string, source: string): unknown {
  const hit = parsed.get(`${source}\0${text}`, () => ({ value: loadSaltYaml(text, source) }));
  return structuredClone(hit.value);
}
