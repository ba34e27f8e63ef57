/**
 * Python's `pprint.pformat(obj)` (width 80, indent 1, dict keys sorted) for data values: the
 * repr on one line when it fits, otherwise dicts and lists one item per line and long strings
 * split into adjacent literals.
 */
import { isMapping, mappingEntries, pyRepr, pySplitlines, pyStrRepr, sortedKeys } from './python-text';

/** Length in code points, as Python's len(). */
const len = (s: string): number => [...s].length;

const WIDTH = 80;

function sortedEntries(value: Record<string, unknown> | Map<unknown, unknown>): Array<[unknown, unknown]> {
  const entries = new Map(mappingEntries(value));
  return sortedKeys([...entries.keys()]).map((k) => [k, entries.get(k)]);
}

/** `repr()` with dict keys sorted, as pprint's safe_repr does. */
function sortedRepr(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedRepr).join(', ')}]`;
  if (isMapping(value)) return `{${sortedEntries(value).map(([k, v]) => `${pyRepr(k)}: ${sortedRepr(v)}`).join(', ')}}`;
  return pyRepr(value);
}

class PrettyPrinter {
  out = '';

  format(value: unknown, indent: number, allowance: number, level: number): void {
    const rep = sortedRepr(value);
    if (len(rep) > WIDTH - indent - allowance) {
      if (isMapping(value)) return this.dict(value, indent, allowance, level + 1);
      if (Array.isArray(value)) return this.list(value, indent, allowance, level + 1);
      if (typeof value === 'string') return this.str(value, indent, allowance, level + 1);
    }
    this.out += rep;
  }

  private dict(value: Record<string, unknown> | Map<unknown, unknown>, indent: number, allowance: number, level: number): void {
    this.out += '{';
    const entries = sortedEntries(value);
    const inner = indent + 1;
    entries.forEach(([key, item], i) => {
      const last = i === entries.length - 1;
      const rep = pyRepr(key);
      this.out += `${rep}: `;
      this.format(item, inner + len(rep) + 2, last ? allowance + 1 : 1, level);
      if (!last) this.out += `,\n${' '.repeat(inner)}`;
    });
    this.out += '}';
  }

  private list(value: unknown[], indent: number, allowance: number, level: number): void {
    this.out += '[';
    const inner = indent + 1;
    value.forEach((item, i) => {
      const last = i === value.length - 1;
      if (i > 0) this.out += `,\n${' '.repeat(inner)}`;
      this.format(item, inner, last ? allowance + 1 : 1, level);
    });
    this.out += ']';
  }

  private str(value: string, indent: number, allowance: number, level: number): void {
    if (value === '') {
      this.out += pyStrRepr(value);
      return;
    }
    if (level === 1) {
      indent += 1;
      allowance += 1;
    }
    const chunks: string[] = [];
    const lines = pySplitlines(value, true);
    let maxWidth1 = WIDTH - indent;
    lines.forEach((line, i) => {
      const rep = pyStrRepr(line);
      if (i === lines.length - 1) maxWidth1 -= allowance;
      if (len(rep) <= maxWidth1) {
        chunks.push(rep);
        return;
      }
      const parts = line.match(/\S*\s*/gu)?.filter((p) => p !== '') ?? [];
      let maxWidth2 = WIDTH - indent;
      let current = '';
      parts.forEach((part, j) => {
        const candidate = current + part;
        if (j === parts.length - 1 && i === lines.length - 1) maxWidth2 -= allowance;
        if (len(pyStrRepr(candidate)) > maxWidth2) {
          if (current) chunks.push(pyStrRepr(current));
          current = part;
        } else {
          current = candidate;
        }
      });
      if (current) chunks.push(pyStrRepr(current));
    });
    if (chunks.length === 1) {
      this.out += pyStrRepr(value);
      return;
    }
    if (level === 1) this.out += '(';
    this.out += chunks.join(`\n${' '.repeat(indent)}`);
    if (level === 1) this.out += ')';
  }
}

/** Python `pprint.pformat(value)`. */
export function pformat(value: unknown): string {
  const printer = new PrettyPrinter();
  printer.format(value, 0, 0, 0);
  return printer.out;
}

