/**
 * Salt's `json` outputter: `salt.utils.json.dumps(data, default=repr, indent=4)`, i.e. Python's
 * json with `ensure_ascii=False` (non-ASCII printed as is), keys in the given order, `,` at line
 * ends and `": "` after keys, floats as Python's repr, NaN/Infinity bare.
 */
import { BrineError } from '../../common/errors';
import { pyJsonNumber, pyJsonString } from '../../common/python/json';
import type { OutputIndent } from './options';
import { isMapping, mappingEntries, pyRepr, pyStr, sortedKeys } from './python-text';

/** A JSON string literal as Python writes it with ensure_ascii=False. */
function jsonString(s: string): string {
  return pyJsonString(s, false);
}

/** Python's json key coercion: str as is, numbers/bools/None to their JSON text. */
function jsonKey(key: unknown): string {
  if (typeof key === 'string') return key;
  if (key === null || key === undefined) return 'null';
  if (typeof key === 'boolean') return key ? 'true' : 'false';
  if (typeof key === 'number') return pyJsonNumber(key);
  return pyStr(key);
}

interface Layout {
  /** Spaces per level, or null for everything on one line. */
  indent: number | null;
  sortKeys: boolean;
}

function entriesOf(value: Record<string, unknown> | Map<unknown, unknown>, sortKeys: boolean): Array<[unknown, unknown]> {
  const entries = mappingEntries(value);
  if (!sortKeys) return entries;
  const byKey = new Map(entries);
  return sortedKeys([...byKey.keys()]).map((k) => [k, byKey.get(k)]);
}

function encode(value: unknown, level: number, stack: Set<object>, layout: Layout): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') return pyJsonNumber(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return jsonString(value);
  if (value instanceof Date) return jsonString(value.toISOString());
  if (typeof value !== 'object' || ArrayBuffer.isView(value)) return jsonString(pyRepr(value)); // default=repr
  if (stack.has(value)) throw new BrineError('Circular reference detected');
  const items: string[] = [];
  stack.add(value);
  if (Array.isArray(value)) for (const item of value) items.push(encode(item, level + 1, stack, layout));
  else if (isMapping(value))
    for (const [k, v] of entriesOf(value, layout.sortKeys)) items.push(`${jsonString(jsonKey(k))}: ${encode(v, level + 1, stack, layout)}`);
  stack.delete(value);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (items.length === 0) return open + close;
  if (layout.indent === null) return `${open}${items.join(', ')}${close}`;
  const inner = `\n${' '.repeat(layout.indent * (level + 1))}`;
  return `${open}${inner}${items.join(`,${inner}`)}\n${' '.repeat(layout.indent * level)}${close}`;
}

function layoutFor(outputIndent: OutputIndent | undefined): Layout {
  if (outputIndent === undefined) return { indent: 4, sortKeys: false };
  if (outputIndent === 'pretty') return { indent: 4, sortKeys: true };
  if (outputIndent === null || outputIndent < 0) return { indent: null, sortKeys: false };
  return { indent: outputIndent, sortKeys: false };
}

/**
 * Salt's json outputter (`--out json`): indent 4, key order as given, non-ASCII unescaped;
 * `outputIndent` as Salt's `output_indent` (see OutputOptions).
 */
export function formatJson(data: unknown, outputIndent?: OutputIndent): string {
  return encode(data, 0, new Set(), layoutFor(outputIndent));
}
