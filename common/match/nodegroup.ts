/**
 * Nodegroups (`nodegroups:` in the master or minion config), expanded into compound words the
 * way Salt's `nodegroup_comp` does: a string is split on whitespace, a list gives one word per
 * item, `N@other` expands recursively, and a definition without operators, `*` or `X@` words
 * is a plain list of ids (`L@a,b`), or a regex (`E@...`) when it holds regex characters.
 *
 * Differences from Salt, on purpose: every expansion is wrapped in parentheses (Salt leaves a
 * top-level group bare, so `N@g and c` with `g: 'a or b'` becomes `a or b and c`), and unknown
 * groups, loops and malformed definitions are errors instead of silently dropped words.
 */
import { ValidationError } from '../errors';
import { pyStr } from '../python/repr';

/** The words Salt's compound matcher treats as operators. */
export const COMPOUND_OPERATORS: ReadonlySet<string> = new Set(['and', 'or', 'not', '(', ')']);

const REGEX_CHARS = ['(', '[', '{', '\\', '?', '}', ']', ')'];

/** Expand nodegroup `name` into compound words, wrapped in `(` ... `)`. */
export function expandNodegroup(
  name: string,
  nodegroups: Record<string, unknown> | undefined,
  chain: readonly string[] = [],
): string[] {
  if (chain.includes(name)) {
    throw new ValidationError(`nodegroup loop: ${[...chain, name].join(' -> ')}`);
  }
  if (!nodegroups || !Object.prototype.hasOwnProperty.call(nodegroups, name)) {
    const none = !nodegroups || Object.keys(nodegroups).length === 0;
    throw new ValidationError(`unknown nodegroup ${JSON.stringify(name)}${none ? ' (no nodegroups are configured)' : ''}`);
  }
  const words = definitionWords(name, nodegroups[name]);
  const asList = listOrRegex(words);
  if (asList) return ['(', asList, ')'];
  const out: string[] = ['('];
  for (const word of words) {
    if (!COMPOUND_OPERATORS.has(word) && word.length >= 3 && word.startsWith('N@')) {
      out.push(...expandNodegroup(word.slice(2), nodegroups, [...chain, name]));
    } else {
      out.push(word);
    }
  }
  out.push(')');
  return out;
}

function definitionWords(name: string, definition: unknown): string[] {
  let words: string[];
  if (typeof definition === 'string') {
    words = definition.trim() === '' ? [] : definition.trim().split(/\s+/);
  } else if (Array.isArray(definition)) {
    words = definition.map((item) => pyStr(item));
  } else {
    throw new ValidationError(`nodegroup ${JSON.stringify(name)} must be a string or a list of strings`);
  }
  if (words.length === 0) throw new ValidationError(`nodegroup ${JSON.stringify(name)} is empty`);
  return words;
}

/** Salt's reading of a definition with no operators, no `*` and no `X@` words: a list or a regex. */
function listOrRegex(words: string[]): string | null {
  if (words.some((w) => COMPOUND_OPERATORS.has(w))) return null;
  if (words.some((w) => w.includes('*') || /^[A-Z]@/.test(w))) return null;
  const joined = words.join(',');
  return words.some((w) => REGEX_CHARS.some((c) => w.includes(c))) ? `E@${joined}` : `L@${joined}`;
}
