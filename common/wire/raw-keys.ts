/**
 * Ed25519 / X25519 keys to and from their raw 32 bytes and their PEM blocks. OpenSSL 3's DER and
 * PEM decoders cost 0.2-0.8 ms per key on a small machine, its JWK import 10-60 us: keys in
 * Brine's own fixed encodings (SPKI / PKCS#8 with the curve's known prefix) are therefore read
 * and written here through JWK; anything else goes through OpenSSL's decoders.
 * Keys are made from random bytes (no KeyGenJob: Node 20 was seen to deadlock in a GC that
 * collected a `generateKeyPairSync` job while a key was exported).
 */
import * as crypto from 'node:crypto';

/** The two curves Brine uses. */
export type OkpCurve = 'ed25519' | 'x25519';

const CURVES: readonly OkpCurve[] = ['ed25519', 'x25519'];
const JWK_CRV: Record<OkpCurve, string> = { ed25519: 'Ed25519', x25519: 'X25519' };

const SPKI_PREFIX: Record<OkpCurve, Buffer> = {
  ed25519: Buffer.from('302a300506032b6570032100', 'hex'),
  x25519: Buffer.from('302a300506032b656e032100', 'hex'),
};

const PKCS8_PREFIX: Record<OkpCurve, Buffer> = {
  ed25519: Buffer.from('302e020100300506032b657004220420', 'hex'),
  x25519: Buffer.from('302e020100300506032b656e04220420', 'hex'),
};

const rawOfPublic = new WeakMap<crypto.KeyObject, Uint8Array>();

/** A fresh private key of `curve` from 32 random bytes. */
export function newPrivateKey(curve: OkpCurve): crypto.KeyObject {
  return crypto.createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX[curve], crypto.randomBytes(32)]), format: 'der', type: 'pkcs8' });
}

/** A fresh key pair of `curve`. */
export function newKeyPair(curve: OkpCurve): { privateKey: crypto.KeyObject; publicKey: crypto.KeyObject } {
  const privateKey = newPrivateKey(curve);
  return { privateKey, publicKey: crypto.createPublicKey(privateKey) };
}

/** The raw 32 bytes of an Ed25519 or X25519 public key (remembered per key object). */
export function rawPublicBytes(key: crypto.KeyObject): Uint8Array {
  let raw = rawOfPublic.get(key);
  if (!raw) {
    const x = key.export({ format: 'jwk' }).x;
    if (typeof x !== 'string') throw new TypeError('not an OKP public key');
    raw = new Uint8Array(Buffer.from(x, 'base64url'));
    rawOfPublic.set(key, raw);
  }
  return raw;
}

/** A public KeyObject from its raw 32 bytes. */
export function publicFromRawBytes(raw: Uint8Array, curve: OkpCurve): crypto.KeyObject {
  if (raw.length !== 32) throw new TypeError(`a raw ${curve} public key has 32 bytes, not ${raw.length}`);
  const key = crypto.createPublicKey({ key: { kty: 'OKP', crv: JWK_CRV[curve], x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
  rawOfPublic.set(key, new Uint8Array(raw));
  return key;
}

/** A public key's PEM block (SPKI), as OpenSSL writes it. */
export function publicPem(key: crypto.KeyObject): string {
  const curve = key.asymmetricKeyType;
  if (curve !== 'ed25519' && curve !== 'x25519') return key.export({ format: 'pem', type: 'spki' }).toString();
  const der = Buffer.concat([SPKI_PREFIX[curve], rawPublicBytes(key)]);
  return `-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`;
}

/** A KeyObject from one PEM block (`PUBLIC KEY` or `PRIVATE KEY`); throws when OpenSSL cannot read it. */
export function keyFromPem(pem: string, kind: 'public' | 'private'): crypto.KeyObject {
  const der = Buffer.from(pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const prefixes = kind === 'public' ? SPKI_PREFIX : PKCS8_PREFIX;
  for (const curve of CURVES) {
    const prefix = prefixes[curve];
    if (der.length !== prefix.length + 32 || !der.subarray(0, prefix.length).equals(prefix)) continue;
    const raw = der.subarray(prefix.length);
    if (kind === 'public') return publicFromRawBytes(raw, curve);
    // Node derives the public half from `d`; `x` must be present in a JWK, its value is not used
    return crypto.createPrivateKey({ key: { kty: 'OKP', crv: JWK_CRV[curve], d: raw.toString('base64url'), x: '' }, format: 'jwk' });
  }
  return kind === 'public' ? crypto.createPublicKey(pem) : crypto.createPrivateKey(pem);
}
