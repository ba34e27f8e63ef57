/**
 * Character classes of the libyaml emitter (the one PyYAML's CSafeDumper, and so Salt, uses),
 * on Unicode code points.
 */

/** A line break: CR, LF, NEL, LS, PS. */
export function isBreak(cp: number): boolean {
  return cp === 0x0a || cp === 0x0d || cp === 0x85 || cp === 0x2028 || cp === 0x2029;
}

/** A space, tab, line break, NUL, or the end of the text (`undefined`). */
export function isBlankOrEnd(cp: number | undefined): boolean {
  return cp === undefined || cp === 0x20 || cp === 0x09 || cp === 0x00 || isBreak(cp);
}

/**
 * Printable for libyaml: LF, ASCII 0x20-0x7E, U+00A0-U+D7FF, U+E000-U+FFFD except the BOM.
 * Characters outside the Basic Multilingual Plane are not printable, so they are escaped.
 */
export function isPrintable(cp: number): boolean {
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff)
  );
}

/** The code points of a string (astral characters count once, as libyaml counts columns). */
export function codePoints(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(ch.codePointAt(0) as number);
  return out;
}

/** The length of a string in UTF-8 bytes (libyaml measures simple keys in bytes). */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
