/**
 * YAML text exactly as Salt 3006 writes it: `salt.utils.yaml.safe_dump(value,
 * default_flow_style=...)`, i.e. PyYAML's `yaml.dump(..., Dumper=SafeOrderedDumper,
 * allow_unicode=True)` where SafeOrderedDumper is built on libyaml's emitter (CSafeDumper).
 *
 * What that means for the text:
 * - mapping keys sorted by code point (PyYAML's `sort_keys=True`; Salt keeps insertion order only
 *   for OrderedDicts — pass `sortKeys: false` for data that was an OrderedDict in Salt, e.g. SLS
 *   data straight from its YAML renderer);
 * - strings stay plain unless a plain scalar would read back as another YAML 1.1 type (`'yes'`,
 *   `'on'`, `'1'`, `'1.0'`, `''`, `'~'`, `'null'`, `'0400'`, `'12:30'`, `'2024-01-01'`) or holds
 *   indicators (`': '`, `' #'`, a leading `- `, `[`, `{`, `&`, `*`, `!`, `|`, `>`, `'`, `"`, `%`,
 *   `@`, backquote) or leading/trailing spaces: then `'single quoted'`;
 * - characters libyaml does not print (controls, tab, DEL, U+0080-U+009F, BOM, anything beyond
 *   U+FFFF such as emoji), or a space before a line break, force `"double quoted"` with escapes;
 * - multi-line strings are single quoted with each line break written as a blank line;
 * - long plain/quoted scalars and flow collections are folded at spaces once past `width`
 *   (default 80), continuation lines indented;
 * - `- ` items of a block sequence under a mapping key sit at the key's indentation;
 * - `{}` and `[]` for empty collections, `null`, `true`/`false`, floats as Python's repr;
 * - a value reached twice becomes `&id001` ... `*id001`.
 *
 * Salt's Jinja `yaml` filter calls this with `flowStyle: true` and then strips surrounding
 * whitespace and a trailing `"\n..."`: that post-processing belongs to the renderer, not here.
 * Because JavaScript has one number type, integral floats (`1.0` in Python) are written as ints.
 */
import { DocumentEmitter } from './dump-emit';
import { assignAnchors, type FlowStyle, Representer } from './dump-represent';
import { YamlWriter } from './dump-writer';

/** Options of {@link dumpYaml}, named after PyYAML's. */
export interface DumpYamlOptions {
  /** `default_flow_style`: true = flow everywhere, false = block, null = PyYAML's default (flow for collections of scalars only). */
  flowStyle: FlowStyle;
  /** Spaces per level, 2..9 (libyaml falls back to 2 outside that range). */
  indent?: number;
  /** Preferred line width (default 80; a negative width means unlimited). */
  width?: number;
  /** Sort mapping keys as PyYAML's `sort_keys=True` (default true). */
  sortKeys?: boolean;
}

/** What `salt.utils.yaml.safe_dump(value, default_flow_style=flowStyle)` returns, byte for byte. */
export function dumpYaml(value: unknown, opts: DumpYamlOptions): string {
  let indent = opts.indent ?? 2;
  if (indent < 2 || indent > 9) indent = 2;
  let width = opts.width ?? 80;
  if (width >= 0 && width <= indent * 2) width = 80;
  if (width < 0) width = Number.MAX_SAFE_INTEGER;
  const root = new Representer(opts.flowStyle, opts.sortKeys ?? true).represent(value);
  const emitter = new DocumentEmitter(new YamlWriter(indent, width), assignAnchors(root));
  return emitter.emitDocument(root);
}
