/**
 * `source_hash` of file.managed: a hash (`<type>=<hex>` or bare hex, whose length names the
 * type) or a salt:// / local hash file listing hashes, checked against the source's bytes.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StateContext } from '../../states/contract';

const TYPE_BY_LENGTH: Record<number, string> = { 32: 'md5', 40: 'sha1', 56: 'sha224', 64: 'sha256', 96: 'sha384', 128: 'sha512' };

/** A parsed source_hash. */
export interface SourceSum {
  hashType: string;
  hsum: string;
}

const INVALID =
  'Source hash {h} format is invalid. The supported formats are: 1) a hash, 2) an expression in the format ' +
  '<hash_type>=<hash>, or 3) either a path to a local file containing hashes, or a URI of a remote hash file. ' +
  'The hash may also not be of a valid length, the following are supported hash types and lengths: ' +
  'sha1 (40), sha224 (56), sha256 (64), sha384 (96), sha512 (128), md5 (32).';

/** Parse a source_hash (reading hash files through `ctx.files`); throws with Salt's message when it is invalid. */
export function parseSourceHash(value: string, source: string, name: string, ctx: StateContext): SourceSum {
  const v = value.trim();
  const eq = /^([a-z0-9]+)=([0-9a-fA-F]+)$/.exec(v);
  if (eq) {
    const hashType = eq[1].toLowerCase();
    if (TYPE_BY_LENGTH[eq[2].length] !== hashType) throw new Error(INVALID.replace('{h}', value));
    return { hashType, hsum: eq[2].toLowerCase() };
  }
  if (/^[0-9a-fA-F]+$/.test(v)) {
    const hashType = TYPE_BY_LENGTH[v.length];
    if (!hashType) throw new Error(INVALID.replace('{h}', value));
    return { hashType, hsum: v.toLowerCase() };
  }
  let text: string;
  if (v.startsWith('salt://')) text = ctx.files.read(v, ctx.saltenv).toString('utf8');
  else if (v.startsWith('/') || v.startsWith('file://')) text = fs.readFileSync(v.replace(/^file:\/\//, ''), 'utf8');
  else throw new Error(INVALID.replace('{h}', value));
  const found = extractHash(text, [path.basename(source.split('?')[0]), path.basename(name)]);
  if (!found) throw new Error(`Source hash file ${value} contains an invalid hash format, it must be in the format <hash type>=<hash>`);
  return found;
}

/** The hash in a hash file for one of the given file names, else the first hash found. */
function extractHash(text: string, names: string[]): SourceSum | undefined {
  let first: SourceSum | undefined;
  for (const line of text.split('\n')) {
    const m = /(?<![a-z0-9])([a-f0-9]{32,128})(?![a-z0-9])/i.exec(line);
    if (!m || !TYPE_BY_LENGTH[m[1].length]) continue;
    const sum = { hashType: TYPE_BY_LENGTH[m[1].length], hsum: m[1].toLowerCase() };
    first ??= sum;
    const words = line.trim().split(/[\s*/\\]+/);
    if (names.some((n) => n && words.includes(n))) return sum;
  }
  return first;
}

/** The hex digest of data with a hash type Salt names (md5, sha1, sha256, ...). */
export function digest(data: Buffer, hashType: string): string {
  return crypto.createHash(hashType).update(data).digest('hex');
}
