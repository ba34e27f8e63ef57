/**
 * Text helpers that behave like the Python operations Salt relies on (bytes.readlines,
 * lenient decoding, salt.utils.files.is_text); str.splitlines and str.rstrip come from
 * common/python/text and are re-exported for the state modules.
 */
export { pySplitlines as splitLines, pyRstrip } from '../../../common/python/text';

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

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
