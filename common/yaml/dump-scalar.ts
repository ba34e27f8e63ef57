/**
 * Choosing and writing a scalar's style (plain, 'single' or "double" quoted) as libyaml does,
 * including where long scalars fold onto the next line once past the width.
 */
import type { ScalarAnalysis } from './dump-analyze';
import { isBreak, isPrintable } from './dump-chars';
import type { YamlWriter } from './dump-writer';

/** A scalar style the safe dumper can produce. */
export type ScalarStyle = 'plain' | 'single' | 'double';

const SPACE = 0x20;

/**
 * The style libyaml picks for an untagged scalar. `plainImplicit` is false when the text, read
 * back as a plain scalar, would not be the same type (e.g. the string `yes`).
 */
export function chooseScalarStyle(
  analysis: ScalarAnalysis,
  plainImplicit: boolean,
  flowLevel: number,
  simpleKey: boolean,
): ScalarStyle {
  let style: ScalarStyle = 'plain';
  if (simpleKey && analysis.multiline) style = 'double';
  if (style === 'plain') {
    const plainAllowed = flowLevel > 0 ? analysis.flowPlainAllowed : analysis.blockPlainAllowed;
    if (!plainAllowed) style = 'single';
    if (analysis.chars.length === 0 && (flowLevel > 0 || simpleKey)) style = 'single';
    if (!plainImplicit) style = 'single';
  }
  if (style === 'single' && !analysis.singleQuotedAllowed) style = 'double';
  return style;
}

/** Write a scalar in the chosen style; `allowBreaks` is false for simple keys. */
export function writeScalar(w: YamlWriter, analysis: ScalarAnalysis, style: ScalarStyle, allowBreaks: boolean): void {
  if (style === 'plain') writePlain(w, analysis.chars, allowBreaks);
  else if (style === 'single') writeSingleQuoted(w, analysis.chars, allowBreaks);
  else writeDoubleQuoted(w, analysis.chars, allowBreaks);
}

function writePlain(w: YamlWriter, chars: number[], allowBreaks: boolean): void {
  if (!w.whitespace && (chars.length > 0 || w.flowLevel > 0)) w.write(' ');
  let spaces = false;
  let breaks = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === SPACE) {
      if (allowBreaks && !spaces && w.column > w.bestWidth && chars[i + 1] !== SPACE) w.writeIndent();
      else w.write(' ');
      spaces = true;
    } else if (isBreak(ch)) {
      if (!breaks && ch === 0x0a) w.putBreak();
      w.writeBreakChar(String.fromCodePoint(ch));
      w.indention = true;
      breaks = true;
    } else {
      if (breaks) w.writeIndent();
      w.write(String.fromCodePoint(ch));
      w.indention = false;
      spaces = false;
      breaks = false;
    }
  }
  w.whitespace = false;
  w.indention = false;
}

function writeSingleQuoted(w: YamlWriter, chars: number[], allowBreaks: boolean): void {
  w.writeIndicator("'", true, false, false);
  let spaces = false;
  let breaks = false;
  const last = chars.length - 1;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === SPACE) {
      const fold = allowBreaks && !spaces && w.column > w.bestWidth && i !== 0 && i !== last && chars[i + 1] !== SPACE;
      if (fold) w.writeIndent();
      else w.write(' ');
      spaces = true;
    } else if (isBreak(ch)) {
      // A single line break folds to a space when read back, so an extra one keeps it a break.
      if (!breaks && ch === 0x0a) w.putBreak();
      w.writeBreakChar(String.fromCodePoint(ch));
      w.indention = true;
      breaks = true;
    } else {
      if (breaks) w.writeIndent();
      if (ch === 0x27) w.write("'");
      w.write(String.fromCodePoint(ch));
      w.indention = false;
      spaces = false;
      breaks = false;
    }
  }
  if (breaks) w.writeIndent();
  w.writeIndicator("'", false, false, false);
  w.whitespace = false;
  w.indention = false;
}

const SHORT_ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x00, '0'],
  [0x07, 'a'],
  [0x08, 'b'],
  [0x09, 't'],
  [0x0a, 'n'],
  [0x0b, 'v'],
  [0x0c, 'f'],
  [0x0d, 'r'],
  [0x1b, 'e'],
  [0x22, '"'],
  [0x5c, '\\'],
  [0x85, 'N'],
  [0xa0, '_'],
  [0x2028, 'L'],
  [0x2029, 'P'],
]);

function escapeFor(cp: number): string {
  const short = SHORT_ESCAPES.get(cp);
  if (short !== undefined) return `\\${short}`;
  const hex = cp.toString(16).toUpperCase();
  if (cp <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  if (cp <= 0xffff) return `\\u${hex.padStart(4, '0')}`;
  return `\\U${hex.padStart(8, '0')}`;
}

function writeDoubleQuoted(w: YamlWriter, chars: number[], allowBreaks: boolean): void {
  w.writeIndicator('"', true, false, false);
  let spaces = false;
  const last = chars.length - 1;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (!isPrintable(ch) || ch === 0xfeff || isBreak(ch) || ch === 0x22 || ch === 0x5c) {
      w.write(escapeFor(ch));
      spaces = false;
    } else if (ch === SPACE) {
      if (allowBreaks && !spaces && w.column > w.bestWidth && i !== 0 && i !== last) {
        // The line break folds back into this space; a following space must be escaped to survive.
        w.writeIndent();
        if (chars[i + 1] === SPACE) w.write('\\');
      } else {
        w.write(' ');
      }
      spaces = true;
    } else {
      w.write(String.fromCodePoint(ch));
      spaces = false;
    }
  }
  w.writeIndicator('"', false, false, false);
  w.whitespace = false;
  w.indention = false;
}
