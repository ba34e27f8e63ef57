/**
 * Just enough OpenPGP to store repository keys for apt: ASCII armor in both directions
 * (RFC 4880 section 6, with its CRC-24) and the fingerprints of the public keys and subkeys
 * a keyring holds, so a key can be checked without gpg.
 */
import { createHash } from 'node:crypto';

/** A key that is neither ASCII-armored nor binary OpenPGP public key data. */
export class KeyFormatError extends Error {}

/** Whether bytes are an ASCII-armored block (as Salt's _decrypt_key tells: text starting `-----BEGIN PGP`). */
export function isArmored(data: Buffer): boolean {
  const head = data.subarray(0, 200).toString('latin1').trimStart();
  return head.replace(/^-+/, '').startsWith('BEGIN PGP');
}

function crc24(data: Buffer): number {
  let crc = 0xb704ce;
  for (const byte of data) {
    crc ^= byte << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

/**
 * The binary packets of every armored block in a text (a keyring exported with --armor may
 * hold several). Throws KeyFormatError on a broken block or a checksum mismatch.
 *
 * Example: `dearmor(fs.readFileSync('key.asc'))` -> the bytes `gpg --dearmor` writes.
 */
export function dearmor(data: Buffer): Buffer {
  const lines = data.toString('latin1').split(/\r?\n/);
  const out: Buffer[] = [];
  let i = 0;
  while (i < lines.length) {
    if (!/^-----BEGIN PGP [A-Z ,0-9/]+-----\s*$/.test(lines[i])) {
      i++;
      continue;
    }
    i++;
    // Armor headers ("Version: ...", "Comment: ...") and the blank line after them.
    while (i < lines.length && /^[A-Za-z-]+: /.test(lines[i])) i++;
    if (i < lines.length && lines[i].trim() === '') i++;
    let body = '';
    let checksum: string | undefined;
    for (; i < lines.length; i++) {
      const l = lines[i].trim();
      if (l.startsWith('-----END PGP')) break;
      if (/^=[A-Za-z0-9+/]{4}$/.test(l)) checksum = l.slice(1);
      else body += l;
    }
    if (i >= lines.length) throw new KeyFormatError('the ASCII armor has no END line');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw new KeyFormatError('the ASCII armor holds characters that are not base64');
    const bin = Buffer.from(body, 'base64');
    if (checksum !== undefined) {
      const want = Buffer.from(checksum, 'base64').readUIntBE(0, 3);
      if (crc24(bin) !== want) throw new KeyFormatError('the ASCII armor checksum does not match its data');
    }
    out.push(bin);
    i++;
  }
  if (!out.length) throw new KeyFormatError('no ASCII-armored block found');
  return Buffer.concat(out);
}

/**
 * ASCII-armor binary public key packets (`gpg --armor --export` style).
 *
 * Example: `armor(fs.readFileSync('key.gpg'))` starts `-----BEGIN PGP PUBLIC KEY BLOCK-----`.
 */
export function armor(bin: Buffer): string {
  const b64 = bin.toString('base64').match(/.{1,64}/g) ?? [];
  const sum = Buffer.alloc(3);
  sum.writeUIntBE(crc24(bin), 0, 3);
  return ['-----BEGIN PGP PUBLIC KEY BLOCK-----', '', ...b64, `=${sum.toString('base64')}`, '-----END PGP PUBLIC KEY BLOCK-----', ''].join('\n');
}

/** One packet: its tag and body. */
interface Packet {
  tag: number;
  body: Buffer;
}

/** Split binary OpenPGP data into packets (old and new header formats). */
function packets(bin: Buffer): Packet[] {
  const out: Packet[] = [];
  let p = 0;
  while (p < bin.length) {
    const h = bin[p++];
    if (!(h & 0x80)) throw new KeyFormatError('the data is not OpenPGP packets');
    let tag: number;
    let len: number;
    if (h & 0x40) {
      tag = h & 0x3f;
      const o = bin[p++];
      if (o < 192) len = o;
      else if (o < 224) len = ((o - 192) << 8) + bin[p++] + 192;
      else if (o === 255) {
        len = bin.readUInt32BE(p);
        p += 4;
      } else throw new KeyFormatError('partial-length packets are not expected in a key');
    } else {
      tag = (h >> 2) & 0x0f;
      const lt = h & 3;
      if (lt === 0) len = bin[p++];
      else if (lt === 1) {
        len = bin.readUInt16BE(p);
        p += 2;
      } else if (lt === 2) {
        len = bin.readUInt32BE(p);
        p += 4;
      } else len = bin.length - p;
    }
    if (len === undefined || Number.isNaN(len) || p + len > bin.length) throw new KeyFormatError('an OpenPGP packet is truncated');
    out.push({ tag, body: bin.subarray(p, p + len) });
    p += len;
  }
  return out;
}

const PUBLIC_KEY = 6;
const PUBLIC_SUBKEY = 14;

function fingerprint(body: Buffer): string {
  const version = body[0];
  if (version === 4) {
    const head = Buffer.from([0x99, (body.length >> 8) & 0xff, body.length & 0xff]);
    return createHash('sha1').update(head).update(body).digest('hex').toUpperCase();
  }
  const head = Buffer.alloc(5);
  head[0] = version === 5 ? 0x9a : 0x9b;
  head.writeUInt32BE(body.length, 1);
  return createHash('sha256').update(head).update(body).digest('hex').toUpperCase();
}

/**
 * The fingerprints (upper-case hex) of the public keys and subkeys in binary key data;
 * throws KeyFormatError when the data does not start with a public key.
 *
 * Example: `keyFingerprints(dearmor(asc))` -> `['275BFBA8C06EB2A714A3BF4533C278285077A841']`.
 */
export function keyFingerprints(bin: Buffer): string[] {
  const list = packets(bin);
  if (!list.length || list[0].tag !== PUBLIC_KEY) throw new KeyFormatError('the data is not an OpenPGP public key');
  return list.filter((pk) => pk.tag === PUBLIC_KEY || pk.tag === PUBLIC_SUBKEY).map((pk) => fingerprint(pk.body));
}

/**
 * Whether a key id (short 8, long 16 hex digits, or a fingerprint; spaces and `0x` allowed)
 * names one of the fingerprints (v4 key ids are their last hex digits).
 *
 * Example: `keyIdMatches('5077A841', ['275B...5077A841'])` is true.
 */
export function keyIdMatches(keyid: string, fingerprints: readonly string[]): boolean {
  const id = keyid.replace(/\s+/g, '').replace(/^0x/i, '').toUpperCase();
  if (!/^[0-9A-F]{8,}$/.test(id)) return false;
  // v4 key ids are the fingerprint's last digits, v5/v6 ones its first.
  return fingerprints.some((f) => f.endsWith(id) || (f.length === 64 && f.startsWith(id)));
}
