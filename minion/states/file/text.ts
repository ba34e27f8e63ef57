/**
 * Text helpers that behave like the Python string operations Salt relies on
 * (str.splitlines, bytes.readlines, str.rstrip, salt.utils.files.is_text).
 */

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** Python's str.splitlines() line boundaries. */
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;

/** Python's str.splitlines(keepends). */
export function splitLines(s: string, keepEnds = false): string[] {
  const out: string[] = [];
  let last = 0;
  LINE_BREAK.lastIndex = 0;
  for (let m = LINE_BREAK.exec(s); m; m = LINE_BREAK.exec(s)) {
    const end = m.index + m[0].length;
    out.push(s.slice(last, keepEnds ? end : m.index));
    last = end;
  }
  if (last < s.length) out.push(s.slice(last));
  return out;
}

/** Python's whitespace for str.strip()/rstrip(). */
const PY_TRAILING_SPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/;

/** Python's str.rstrip() with no argument. */
export function pyRstrip(s: string): string {
  return s.replace(PY_TRAILING_SPACE, '');
}

/** Strip every trailing occurrence of one character (Python's s.rstrip(c)). */
export function rstripChar(s: string, c: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === c) end--;
  return s.slice(0, end);
}

/** Decode bytes as UTF-8, or Latin-1 when they are not valid UTF-8 (Salt's decode order). */
export function decodeLenient(buf: Buffer): string {
  try {
    return utf8Strict.decode(buf);
  } catch {
    return buf.toString('latin1');
  }
}

/** The lines of a file as bytes.readlines() gives them (split after each '\n'), each decoded leniently. */
export function readLines(buf: Buffer): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, start)) {
    out.push(decodeLenient(buf.subarray(start, i + 1)));
    start = i + 1;
  }
  if (start < buf.length) out.push(decodeLenient(buf.subarray(start)));
  return out;
}

const TEXT_BYTES = (() => {
  const set = new Uint8Array(256);
  for (let i = 32; i < 127; i++) set[i] = 1;
  for (const c of [10, 13, 9, 12, 8]) set[c] = 1;
  return set;
})();

/**
 * Whether content looks like text (salt.utils.files.is_text): no NUL in the first 512 bytes,
 * and either valid UTF-8 or at most 30% bytes outside printable ASCII.
 */
export function isText(buf: Buffer): boolean {
  const block = buf.subarray(0, 512);
  if (block.includes(0)) return false;
  if (!block.length) return true;
  try {
    utf8Strict.decode(block);
    return true;
  } catch {
    // not UTF-8: count the bytes that are not plain text
  }
  let nontext = 0;
  for (const byte of block) if (!TEXT_BYTES[byte]) nontext++;
  return nontext / block.length <= 0.3;
}
