/**
 * A node's identity: an Ed25519 key pair (signatures) and an X25519 key pair (encryption),
 * stored as PEM next to each other like Salt's `minion.pem` / `minion.pub`:
 *
 *   <dir>/<name>.pem   both private keys (PKCS#8 PEM blocks), mode 0600
 *   <dir>/<name>.pub   the public key document (two SPKI PEM blocks), mode 0644
 *
 * The public key document is what the master stores under `minions/<id>` and what a
 * fingerprint is computed over; its canonical form is Ed25519 block first, X25519 second,
 * exactly as node:crypto exports them.
 */
import * as crypto from 'node:crypto';
import { keyFromPem, newKeyPair, publicFromRawBytes, publicPem, rawPublicBytes } from './raw-keys';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BoundedMemo } from '../bounded-memo';
import { ValidationError } from '../errors';
import { KeyFileError } from './errors';
import { ensurePrivateDir, writeFileAtomic } from './files';

/** The public half of an identity: what peers need to verify and to encrypt. */
export interface PublicKeys {
  /** Ed25519 public key: verifies this node's signatures. */
  readonly sign: crypto.KeyObject;
  /** X25519 public key: seals bodies for this node. */
  readonly encrypt: crypto.KeyObject;
}

/** The private half of an identity. */
export interface PrivateKeys {
  /** Ed25519 private key: signs envelopes. */
  readonly sign: crypto.KeyObject;
  /** X25519 private key: opens bodies sealed for this node. */
  readonly decrypt: crypto.KeyObject;
}

/** A node's full identity. */
export interface NodeIdentity {
  readonly publicKeys: PublicKeys;
  readonly privateKeys: PrivateKeys;
}

/** Public keys as raw 32-byte arrays, as they travel on the wire. */
export interface RawPublicKeys {
  readonly sign: Uint8Array;
  readonly encrypt: Uint8Array;
}

/** Where an identity lives on disk. */
export interface IdentityPaths {
  readonly privatePath: string;
  readonly publicPath: string;
}

/** Parsed and canonical public key documents, by text (a master holds one per minion: room for a large fleet). */
const parsedDocuments = new BoundedMemo<PublicKeys>(65_536);
const canonicalDocuments = new BoundedMemo<string>(65_536);

const PRIVATE_MODE = 0o600;
const PUBLIC_MODE = 0o644;
const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----\r?\n[A-Za-z0-9+/=\r\n]+?-----END \1-----/g;

/** Make a fresh identity (new Ed25519 and X25519 key pairs). */
export function generateIdentity(): NodeIdentity {
  const sign = newKeyPair('ed25519');
  const box = newKeyPair('x25519');
  return {
    publicKeys: { sign: sign.publicKey, encrypt: box.publicKey },
    privateKeys: { sign: sign.privateKey, decrypt: box.privateKey },
  };
}

/** The file names of identity `name` (e.g. `minion`, `master`) under `dir`. */
export function identityPaths(dir: string, name: string): IdentityPaths {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new ValidationError(`invalid key name: ${JSON.stringify(name)}`);
  return { privatePath: path.join(dir, `${name}.pem`), publicPath: path.join(dir, `${name}.pub`) };
}

/**
 * Write an identity as `<dir>/<name>.pem` (0600) and `<dir>/<name>.pub` (0644), creating
 * missing directories with mode 0700. Refuses to replace an existing private key unless
 * `overwrite` is set.
 */
export function saveIdentity(dir: string, name: string, identity: NodeIdentity, opts: { overwrite?: boolean } = {}): IdentityPaths {
  const paths = identityPaths(dir, name);
  ensurePrivateDir(dir);
  if (!opts.overwrite && fs.existsSync(paths.privatePath)) {
    throw new KeyFileError(`refusing to replace existing private key ${paths.privatePath}`, paths.privatePath);
  }
  writeFileAtomic(paths.privatePath, privateDocument(identity.privateKeys), PRIVATE_MODE);
  writeFileAtomic(paths.publicPath, publicDocument(identity.publicKeys), PUBLIC_MODE);
  return paths;
}

/**
 * Read identity `name` from `dir`. The private key file must not be readable or writable by
 * group or other; the public keys are derived from the private ones (the `.pub` file is not trusted).
 */
export function loadIdentity(dir: string, name: string): NodeIdentity {
  const { privatePath } = identityPaths(dir, name);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(privatePath);
  } catch (err) {
    throw new KeyFileError(`cannot read private key ${privatePath}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, privatePath);
  }
  if (!stat.isFile()) throw new KeyFileError(`private key ${privatePath} is not a regular file`, privatePath);
  if ((stat.mode & 0o077) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
    throw new KeyFileError(
      `private key ${privatePath} has mode ${mode}: it must not be accessible by group or other (chmod 600 ${privatePath})`,
      privatePath,
    );
  }
  const privateKeys = parsePrivateDocument(fs.readFileSync(privatePath, 'utf8'), privatePath);
  return {
    privateKeys,
    publicKeys: {
      sign: crypto.createPublicKey(privateKeys.sign),
      encrypt: crypto.createPublicKey(privateKeys.decrypt),
    },
  };
}

/**
 * Load identity `name` from `dir`, or make and save a new one when there is no private key yet
 * (a node's first start). Rewrites a missing `.pub` file from the private key.
 */
export function loadOrCreateIdentity(dir: string, name: string): { identity: NodeIdentity; created: boolean; paths: IdentityPaths } {
  const paths = identityPaths(dir, name);
  if (!fs.existsSync(paths.privatePath)) {
    const identity = generateIdentity();
    saveIdentity(dir, name, identity, { overwrite: true });
    return { identity, created: true, paths };
  }
  const identity = loadIdentity(dir, name);
  if (!fs.existsSync(paths.publicPath)) writeFileAtomic(paths.publicPath, publicDocument(identity.publicKeys), PUBLIC_MODE);
  return { identity, created: false, paths };
}

/** The canonical public key document: the Ed25519 then the X25519 SPKI PEM block. */
export function publicDocument(keys: PublicKeys): string {
  return exportPem(keys.sign, 'spki') + exportPem(keys.encrypt, 'spki');
}

/**
 * Parse a public key document (exactly one Ed25519 and one X25519 `PUBLIC KEY` block, in any
 * order, nothing else but whitespace). `source` names the file or peer in error messages.
 */
export function parsePublicDocument(doc: string | Uint8Array, source = 'public key document'): PublicKeys {
  const text = typeof doc === 'string' ? doc : Buffer.from(doc).toString('utf8');
  // the same documents come back all the time (a minion's key at each auth, the master's in each answer)
  return parsedDocuments.get(text, () => {
    const keys = readBlocks(text, 'PUBLIC KEY', source).map((pem) => {
      try {
        return keyFromPem(pem, 'public');
      } catch {
        throw new ValidationError(`${source}: unreadable public key block`);
      }
    });
    const { ed25519, x25519 } = pickPair(keys, source);
    return Object.freeze({ sign: ed25519, encrypt: x25519 });
  });
}

/** Re-export a public key document in canonical form (so equal keys give equal bytes). */
export function canonicalPublicDocument(doc: string | Uint8Array, source?: string): string {
  const text = typeof doc === 'string' ? doc : Buffer.from(doc).toString('utf8');
  return canonicalDocuments.get(text, () => publicDocument(parsePublicDocument(text, source)));
}

/** Whether two public key sets hold the same keys. */
export function samePublicKeys(a: PublicKeys, b: PublicKeys): boolean {
  const ra = rawPublicKeys(a);
  const rb = rawPublicKeys(b);
  return Buffer.from(ra.sign).equals(rb.sign) && Buffer.from(ra.encrypt).equals(rb.encrypt);
}

/** Export public keys as raw 32-byte arrays. */
export function rawPublicKeys(keys: PublicKeys): RawPublicKeys {
  return { sign: rawPublicKey(keys.sign), encrypt: rawPublicKey(keys.encrypt) };
}

/** Import public keys from raw 32-byte arrays; throws ValidationError on a wrong length. */
export function publicKeysFromRaw(raw: RawPublicKeys): PublicKeys {
  return { sign: publicKeyFromRaw(raw.sign, 'Ed25519'), encrypt: publicKeyFromRaw(raw.encrypt, 'X25519') };
}

/** One raw 32-byte Ed25519 or X25519 public key. */
export function rawPublicKey(key: crypto.KeyObject): Uint8Array {
  if (key.asymmetricKeyType !== 'ed25519' && key.asymmetricKeyType !== 'x25519') {
    throw new ValidationError(`not an OKP public key (${key.asymmetricKeyType ?? 'unknown type'})`);
  }
  return rawPublicBytes(key.type === 'private' ? crypto.createPublicKey(key) : key);
}

/** Import one raw 32-byte public key of the given curve. */
export function publicKeyFromRaw(raw: Uint8Array, crv: 'Ed25519' | 'X25519'): crypto.KeyObject {
  if (raw.length !== 32) throw new ValidationError(`${crv} public key must be 32 bytes, got ${raw.length}`);
  return publicFromRawBytes(raw, crv === 'Ed25519' ? 'ed25519' : 'x25519');
}

function privateDocument(keys: PrivateKeys): string {
  return exportPem(keys.sign, 'pkcs8') + exportPem(keys.decrypt, 'pkcs8');
}

function parsePrivateDocument(text: string, file: string): PrivateKeys {
  let keys: crypto.KeyObject[];
  try {
    keys = readBlocks(text, 'PRIVATE KEY', file).map((pem) => keyFromPem(pem, 'private'));
    const { ed25519, x25519 } = pickPair(keys, file);
    return { sign: ed25519, decrypt: x25519 };
  } catch (err) {
    if (err instanceof KeyFileError) throw err;
    throw new KeyFileError(`${file} is not a valid Brine private key file: ${(err as Error).message}`, file);
  }
}

function exportPem(key: crypto.KeyObject, type: 'spki' | 'pkcs8'): string {
  return type === 'spki' ? publicPem(key) : key.export({ format: 'pem', type }).toString();
}

/** The PEM blocks of `label` in `text`; anything else than whitespace around them is refused. */
function readBlocks(text: string, label: string, source: string): string[] {
  const blocks: string[] = [];
  let rest = text;
  for (const m of text.matchAll(PEM_BLOCK)) {
    if (m[1] !== label) throw new ValidationError(`${source}: unexpected PEM block '${m[1]}' (expected '${label}')`);
    blocks.push(m[0]);
    rest = rest.replace(m[0], '');
  }
  if (rest.trim() !== '') throw new ValidationError(`${source}: unexpected text outside PEM blocks`);
  return blocks;
}

function pickPair(keys: crypto.KeyObject[], source: string): { ed25519: crypto.KeyObject; x25519: crypto.KeyObject } {
  const ed = keys.filter((k) => k.asymmetricKeyType === 'ed25519');
  const x = keys.filter((k) => k.asymmetricKeyType === 'x25519');
  if (keys.length !== 2 || ed.length !== 1 || x.length !== 1) {
    throw new ValidationError(`${source}: expected one Ed25519 and one X25519 key, found ${describeTypes(keys)}`);
  }
  return { ed25519: ed[0], x25519: x[0] };
}

function describeTypes(keys: crypto.KeyObject[]): string {
  return keys.length === 0 ? 'none' : keys.map((k) => k.asymmetricKeyType ?? 'unknown').join(', ');
}
