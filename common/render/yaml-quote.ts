/**
 * Salt's yaml_dquote / yaml_squote / yaml_encode filters (salt/utils/yamlencoding.py):
 * PyYAML's emitter writing one scalar, with unlimited line width and no unicode output.
 */
import { pyIntRepr } from '../python/number';
import { yamlFloatText } from '../yaml/float-text';
import { PyError, PyFloat, isStr, pyTypeName, strValue } from './python-types';

const ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\x08': 'b',
  '\x09': 't',
  '\x0A': 'n',
  '\x0B': 'v',
  '\x0C': 'f',
  '\x0D': 'r',
  '\x1B': 'e',
  '"': '"',
  '\\': '\\',
  '\x85': 'N',
  '\xA0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
};

/** PyYAML's double-quoted scalar (`yaml_dquote`): non-ASCII and control characters escaped. */
export function yamlDquote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const plain = code >= 0x20 && code <= 0x7e && ch !== '"' && ch !== '\\';
    if (plain) out += ch;
    else if (ch in ESCAPES) out += `\\${ESCAPES[ch]}`;
    else if (code <= 0xff) out += `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (code <= 0xffff) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += `\\U${code.toString(16).toUpperCase().padStart(8, '0')}`;
  }
  return `${out}"`;
}

const BREAKS = '\n\x85\u2028\u2029';

/** PyYAML's single-quoted scalar (`yaml_squote`): quotes doubled, line breaks written twice. */
export function yamlSquote(text: string): string {
  let out = "'";
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "'") {
      out += "''";
      i++;
    } else if (BREAKS.includes(ch)) {
      let j = i;
      while (j < text.length && BREAKS.includes(text[j])) j++;
      if (text[i] === '\n') out += '\n';
      out += text.slice(i, j);
      i = j;
    } else {
      out += ch;
      i++;
    }
  }
  return `${out}'`;
}

/** Salt's `yaml_encode`: a scalar as YAML (strings double-quoted); lists and dicts are refused. */
export function yamlEncode(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isInteger(value) ? pyIntRepr(value) : yamlFloatText(value);
  if (value instanceof PyFloat) return yamlFloatText(value.value);
  if (isStr(value)) return yamlDquote(strValue(value));
  throw new PyError('TypeError', `yaml_encode() only works with YAML scalar data; failed for <class '${pyTypeName(value)}'>`);
}
