/**
 * Turning JavaScript values into the node graph PyYAML's SafeRepresenter (as extended by Salt's
 * SafeOrderedDumper) would build: scalars as text, mappings with sorted keys, one shared node
 * per shared object so that repeats become anchors and aliases.
 */
import { pyIntRepr } from '../python/number';
import { resolvesAsNonString } from './dump-resolve';
import { yamlFloatText } from './float-text';

/** A scalar node: its text, and whether a plain scalar of that text resolves to the node's own type. */
export interface ScalarNode {
  kind: 'scalar';
  text: string;
  plainImplicit: boolean;
}

/** A sequence node. */
export interface SequenceNode {
  kind: 'sequence';
  items: YamlNode[];
  flow: boolean;
}

/** A mapping node, pairs in emission order. */
export interface MappingNode {
  kind: 'mapping';
  pairs: Array<[YamlNode, YamlNode]>;
  flow: boolean;
}

/** Any node. */
export type YamlNode = ScalarNode | SequenceNode | MappingNode;

/** How collections are laid out: `true` flow, `false` block, `null` PyYAML's default (flow only for collections of scalars). */
export type FlowStyle = boolean | null;

function typed(text: string): ScalarNode {
  return { kind: 'scalar', text, plainImplicit: true };
}

function stringNode(text: string): ScalarNode {
  return { kind: 'scalar', text, plainImplicit: !resolvesAsNonString(text) };
}

function dateText(d: Date): string {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ, in UTC
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  const millis = iso.slice(20, 23);
  const base = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  return millis === '000' ? base : `${base}.${millis}000`;
}

/** Python's ordering of two keys, or `undefined` when Python could not compare them. */
function compareKeys(a: unknown, b: unknown): number | undefined {
  const num = (v: unknown): number | undefined =>
    typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : typeof v === 'bigint' ? Number(v) : undefined;
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  const na = num(a);
  const nb = num(b);
  if (na !== undefined && nb !== undefined) return na - nb;
  return undefined;
}

/** Compare strings by code point, as Python does (not by UTF-16 unit). */
export function compareCodePoints(a: string, b: string): number {
  const ai = a[Symbol.iterator]();
  const bi = b[Symbol.iterator]();
  for (;;) {
    const x = ai.next();
    const y = bi.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const d = (x.value.codePointAt(0) as number) - (y.value.codePointAt(0) as number);
    if (d !== 0) return d;
  }
}

/** Sort entries by key as Python's `sorted()` would; entries keep their order when Python would raise TypeError. */
function sortEntries(entries: Array<[unknown, unknown]>): Array<[unknown, unknown]> {
  let comparable = true;
  const sorted = [...entries].sort((x, y) => {
    const c = compareKeys(x[0], y[0]);
    if (c === undefined) {
      comparable = false;
      return 0;
    }
    return c;
  });
  return comparable ? sorted : entries;
}

/** Builds nodes for one dump. */
export class Representer {
  private readonly cache = new Map<object, YamlNode>();

  constructor(
    private readonly flowStyle: FlowStyle,
    private readonly sortKeys: boolean,
  ) {}

  /** The node for `value`; the same object always yields the same node. */
  represent(value: unknown): YamlNode {
    if (value === null) return typed('null');
    if (value === undefined) return typed('NULL'); // Salt's representer for undefined values
    if (typeof value === 'boolean') return typed(value ? 'true' : 'false');
    if (typeof value === 'number') return typed(Number.isInteger(value) ? pyIntRepr(value) : yamlFloatText(value));
    if (typeof value === 'bigint') return typed(value.toString());
    if (typeof value === 'string') return stringNode(value);
    if (value instanceof Date) return typed(dateText(value));
    if (typeof value !== 'object') return typed('NULL');
    const cached = this.cache.get(value);
    if (cached) return cached;
    if (Array.isArray(value)) {
      const node: SequenceNode = { kind: 'sequence', items: [], flow: false };
      this.cache.set(value, node);
      node.items = value.map((item) => this.represent(item));
      node.flow = this.flowStyle ?? node.items.every((n) => n.kind === 'scalar');
      return node;
    }
    const node: MappingNode = { kind: 'mapping', pairs: [], flow: false };
    this.cache.set(value, node);
    const raw: Array<[unknown, unknown]> =
      value instanceof Map ? [...value.entries()] : Object.entries(value as Record<string, unknown>);
    const entries = this.sortKeys ? sortEntries(raw) : raw;
    node.pairs = entries.map(([k, v]) => [this.represent(k), this.represent(v)]);
    node.flow = this.flowStyle ?? node.pairs.every(([k, v]) => k.kind === 'scalar' && v.kind === 'scalar');
    return node;
  }
}

/**
 * Anchor names for nodes reached more than once, numbered `id001`, `id002`, ... in the order their
 * second occurrence is found, walking the graph depth first.
 */
export function assignAnchors(root: YamlNode): Map<YamlNode, string> {
  const seen = new Set<YamlNode>();
  const anchors = new Map<YamlNode, string>();
  const visit = (node: YamlNode): void => {
    if (node.kind === 'scalar') return;
    if (seen.has(node)) {
      if (!anchors.has(node)) anchors.set(node, `id${String(anchors.size + 1).padStart(3, '0')}`);
      return;
    }
    seen.add(node);
    if (node.kind === 'sequence') node.items.forEach(visit);
    else
      for (const [k, v] of node.pairs) {
        visit(k);
        visit(v);
      }
  };
  visit(root);
  return anchors;
}
