/**
 * Salt's `nested` outputter, the default for execution functions (`grains.items`, `test.ping`):
 * keys sorted, each followed by `:` and its value four spaces further in; dicts below the top
 * level open with `----------`; list items as `- item`, nested lists/dicts inside a list under `|_`;
 * multi-line strings one line per line; None/True/False and numbers as Python prints them;
 * empty strings and empty lists print nothing.
 */
import { type Colors, getColors, stripEscSequence } from './colors';
import type { OutputOptions } from './options';
import { isMapping, mappingEntries, pyRepr, pySplitlines, pyStr, sortedKeys } from './python-text';

class NestDisplay {
  constructor(
    private readonly c: Colors,
    private readonly retcode: number,
  ) {}

  private line(indent: number, color: string, msg: string, prefix = '', suffix = ''): string {
    return `${' '.repeat(indent)}${color}${prefix}${msg}${this.c.ENDC}${suffix}`;
  }

  display(value: unknown, indent: number, prefix: string, out: string[]): string[] {
    const c = this.c;
    if (ArrayBuffer.isView(value)) {
      const decoded = decodeUtf8(value);
      if (decoded === undefined) return out; // undecodable bytes print nothing
      value = decoded;
    }
    if (value === null || value === undefined || typeof value === 'boolean') {
      out.push(this.line(indent, c.LIGHT_YELLOW, pyStr(value ?? null), prefix));
    } else if (typeof value === 'number' || typeof value === 'bigint') {
      out.push(this.line(indent, c.LIGHT_YELLOW, pyRepr(value), prefix));
    } else if (typeof value === 'string') {
      pySplitlines(value).forEach((text, i) => {
        const linePrefix = i === 0 ? prefix : ' '.repeat(prefix.length);
        out.push(this.line(indent, c.GREEN, stripEscSequence(text), linePrefix));
      });
    } else if (Array.isArray(value)) {
      const color = this.retcode !== 0 ? c.RED : c.GREEN;
      for (const item of value) {
        if (Array.isArray(item) || isMapping(item)) {
          out.push(this.line(indent, color, '|_'));
          this.display(item, indent + 2, isMapping(item) ? '' : '- ', out);
        } else {
          this.display(item, indent, '- ', out);
        }
      }
    } else if (isMapping(value)) {
      const color = this.retcode !== 0 ? c.RED : c.CYAN;
      if (indent) out.push(this.line(indent, color, '----------'));
      const entries = new Map(mappingEntries(value));
      for (const key of sortedKeys([...entries.keys()])) {
        out.push(this.line(indent, color, pyStr(key), prefix, ':'));
        this.display(entries.get(key), indent + 4, '', out);
      }
    }
    return out;
  }
}

function decodeUtf8(bytes: ArrayBufferView): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength));
  } catch {
    return undefined;
  }
}

/** The nested outputter's lines for `data`, starting `baseIndent` columns in (not right-stripped). */
export function nestedLines(data: unknown, opts: OutputOptions, baseIndent = 0): string[] {
  return new NestDisplay(getColors(opts.color), opts.retcode ?? 0).display(data, baseIndent, '', []);
}
