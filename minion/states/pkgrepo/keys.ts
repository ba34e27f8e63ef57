/**
 * The signing key a pkgrepo.managed asks for (`key_text`, `key_url`, or `keyid` + `keyserver`):
 * where it is stored (the line's `signed-by` file, or /etc/apt/keyrings/<name>.asc|.gpg), what
 * the file must hold, and whether it already does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dict } from '../../../common/types';
import { pyStr } from '../../../common/python/repr';
import {
  armor,
  dearmor,
  isArmored,
  keyFileFingerprints,
  keyFileHolds,
  keyFingerprints,
  keyIdMatches,
  KeyFormatError,
  type SourceEntry,
} from '../../backends/apt-sources';
import type { StateContext } from '../contract';
import { given, type ResolvedOptions } from './args';

/** A key to store: bytes known now (key_text, key_url) or fetched at apply time (keyserver). */
export type KeyPlan =
  | { kind: 'data'; file: string; bytes: Buffer; present: boolean }
  | { kind: 'keyserver'; file: string; keyserver: string; keyids: string[]; present: boolean };

/** Why no key plan could be made; the text becomes "Failed to configure repo 'x': <text>". */
export class KeyArgumentError extends Error {}

/** Python's hex() of an integer key id given unquoted in YAML. */
function keyidText(v: unknown): string {
  return typeof v === 'number' && Number.isInteger(v) ? `0x${v.toString(16)}` : pyStr(v);
}

async function fetchUrl(url: string, timeoutMs: number): Promise<Buffer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
  return Buffer.from(await res.arrayBuffer());
}

/** The bytes of `key_url` (salt://, http(s)://, file:// or a local path). */
async function readKeyUrl(url: string, ctx: StateContext, o: ResolvedOptions): Promise<Buffer> {
  try {
    if (url.startsWith('salt://')) return ctx.files.read(url, ctx.saltenv);
    if (/^https?:\/\//.test(url)) return await fetchUrl(url, o.keyUrlTimeoutMs);
    if (url.startsWith('file://')) return fs.readFileSync(new URL(url));
    if (path.isAbsolute(url)) return fs.readFileSync(url);
  } catch (e) {
    throw new KeyArgumentError(`Error: file not found: ${url} (${(e as Error).message})`);
  }
  throw new KeyArgumentError(`Error: file not found: ${url} (only salt://, http://, https://, file:// and absolute paths are read)`);
}

/** The key's bytes as given: text (armored) or binary data. */
function keyTextBytes(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v);
  return Buffer.from(pyStr(v), 'utf8');
}

/** Refuse data that is not an OpenPGP public key (armored or binary). */
function checkPublicKey(data: Buffer): void {
  try {
    keyFingerprints(isArmored(data) ? dearmor(data) : data);
  } catch (e) {
    if (e instanceof KeyFormatError) throw new KeyArgumentError(`Error: failed to add key: it is not an OpenPGP public key (${e.message})`);
    throw e;
  }
}

/** The bytes a key file must hold: armored text for `.asc` files, binary packets otherwise. */
export function fileBytes(file: string, source: Buffer): Buffer {
  if (file.endsWith('.asc')) return isArmored(source) ? source : Buffer.from(armor(source), 'latin1');
  return isArmored(source) ? dearmor(source) : source;
}

/** The key file name Brine picks when the line has no signed-by: after the `file`, else the URI. */
function keyBaseName(fileArg: string | undefined, uri: string): string {
  if (fileArg) return path.basename(fileArg).replace(/\.(list|sources)$/, '');
  const slug = uri
    .replace(/^[a-z][a-z0-9+.-]*:\/*/i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '');
  return slug || 'repo';
}

function keyFile(entry: SourceEntry, fileArg: string | undefined, o: ResolvedOptions, armored: boolean): string {
  if (entry.signedby) {
    if (!path.isAbsolute(entry.signedby)) {
      throw new KeyArgumentError(`signed-by=${entry.signedby} must be the absolute path of a key file to store the key in`);
    }
    return entry.signedby;
  }
  return path.join(o.paths.keyrings, `${keyBaseName(fileArg, entry.uri)}${armored ? '.asc' : '.gpg'}`);
}

/**
 * The key plan of a pkgrepo.managed, or undefined when it names no key. Reads key_text and
 * key_url now (so check can compare them with the stored file); keyserver keys are only
 * looked for in the stored file. Throws KeyArgumentError with the failure text.
 */
export async function planKey(args: Dict, entry: SourceEntry, fileArg: string | undefined, ctx: StateContext, o: ResolvedOptions): Promise<KeyPlan | undefined> {
  if (given(args, 'keyid') || given(args, 'keyserver')) {
    const ids = args.keyid === undefined || args.keyid === null ? [] : (Array.isArray(args.keyid) ? args.keyid : [args.keyid]).map(keyidText);
    if (!ids.length || !given(args, 'keyserver') || args.keyserver === null || args.keyserver === '') {
      throw new KeyArgumentError('both keyserver and keyid options required.');
    }
    const file = keyFile(entry, fileArg, o, false);
    const prints = keyFileFingerprints(file);
    return { kind: 'keyserver', file, keyserver: pyStr(args.keyserver), keyids: ids, present: ids.every((id) => keyIdMatches(id, prints)) };
  }
  let source: Buffer;
  if (given(args, 'key_text') && args.key_text !== null) source = keyTextBytes(args.key_text);
  else if (given(args, 'key_url') && args.key_url !== null) source = await readKeyUrl(pyStr(args.key_url), ctx, o);
  else return undefined;
  checkPublicKey(source);
  const file = keyFile(entry, fileArg, o, isArmored(source));
  const bytes = fileBytes(file, source);
  return { kind: 'data', file, bytes, present: keyFileHolds(file, bytes) };
}
