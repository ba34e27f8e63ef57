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
/** Longer texts are parsed every time: the memo stays within a few tens of megabytes. */
const MEMO_MAX_TEXT = 64 * 1024;

const parsed = new BoundedMemo<{ value: unknown }>(MEMO_ENTRIES);

/** loadSaltYaml(text, source), parsed once per distinct text and source (up to MEMO_MAX_TEXT); the result is the caller's own. */
export function loadSaltYamlCopy(text: string, source: string): unknown {
  if (text.length > MEMO_MAX_TEXT) return loadSaltYaml(text, source);
  const hit = parsed.get(`${source}\0${text}`, () => ({ value: loadSaltYaml(text, source) }));
  return structuredClone(hit.value);
}
