/**
 * Ed25519 / X25519 keys to and from their raw 32 bytes, through fixed DER prefixes.
 * Node 20 can deadlock in a GC that runs while a key is exported as JWK and a
 * `generateKeyPairSync` job is being collected (seen in the test suite), so keys are made from
 * random bytes and converted through DER only: no KeyGenJob, no JWK export.
 */
import * as crypto from 'node:crypto';

/** The two curves Brine uses. */
export type OkpCurve = 'ed25519' | 'x25519';

const SPKI_PREFIX: Record<OkpCurve, Buffer> = {
  ed25519: Buffer.from('302a300506032b6570032100', 'hex'),
  x25519: Buffer.from('302a300506032b656e032100', 'hex'),
};

const PKCS8_PREFIX: Record<OkpCurve, Buffer> = {
  ed25519: Buffer.from('302e020100300506032b657004220420', 'hex'),
  x25519: Buffer.from('302e020100300506032b656e04220420', 'hex'),
};

/** A fresh private key of `curve` from 32 random bytes. */
export function newPrivateKey(curve: OkpCurve): crypto.KeyObject {
  return crypto.createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX[curve], crypto.randomBytes(32)]), format: 'der', type: 'pkcs8' });
}

/** A fresh key pair of `curve`. */
export function newKeyPair(curve: OkpCurve): { privateKey: crypto.KeyObject; publicKey: crypto.KeyObject } {
  const privateKey = newPrivateKey(curve);
  return { privateKey, publicKey: crypto.createPublicKey(privateKey) };
}

/** The raw 32 bytes of an Ed25519 or X25519 public key. */
export function rawPublicBytes(key: crypto.KeyObject): Uint8Array {
  const der = key.export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.length - 32));
}

/** A public KeyObject from its raw 32 bytes. */
export function publicFromRawBytes(raw: Uint8Array, curve: OkpCurve): crypto.KeyObject {
  if (raw.length !== 32) throw new TypeError(`a raw ${curve} public key has 32 bytes, not ${raw.length}`);
  return crypto.createPublicKey({ key: Buffer.concat([SPKI_PREFIX[curve], Buffer.from(raw)]), format: 'der', type: 'spki' });
}
