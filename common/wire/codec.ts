/**
 * The one MessagePack codec used on the wire (msgpackr). Plain objects, arrays, strings,
 * numbers, booleans, null and binary (Uint8Array/Buffer, decoded as Buffer) round-trip;
 * no records or extension types, so the same value always encodes to the same bytes.
 */
import { Packr } from 'msgpackr';

const packr = new Packr({ useRecords: false, moreTypes: false });

/** Encode a value to MessagePack bytes (deterministic for a given value and key order). */
export function encode(value: unknown): Uint8Array {
  return packr.pack(value);
}

/** Decode exactly one MessagePack value; throws when the bytes are truncated, malformed or have trailing data. */
export function decode(bytes: Uint8Array): unknown {
  // A Buffer view (no copy), so that binary values always decode as Buffer whatever the input type.
  const view = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return packr.unpack(view);
}
