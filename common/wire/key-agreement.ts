/**
 * X25519 key agreement with the costly parts cached. Parsing a key from DER costs about 1 ms in
 * OpenSSL 3, far more than the agreement itself, so:
 * - a sender reuses one ephemeral key pair for a short window (ROTATE_AFTER_MS or ROTATE_AFTER_USES,
 *   whichever comes first) instead of making one per message; each message still gets its own
 *   key, derived with HKDF over the message's own context (its nonce and header);
 * - shared secrets are remembered per (ephemeral public key, recipient public key) on both sides,
 *   and raw public bytes per key object, in bounded caches.
 */
import * as crypto from 'node:crypto';
import { newKeyPair, publicFromRawBytes, rawPublicBytes } from './raw-keys';

const ROTATE_AFTER_MS = 60_000;
const ROTATE_AFTER_USES = 100_000;
const SHARED_CACHE_SIZE = 8192;

interface Ephemeral {
  privateKey: crypto.KeyObject;
  raw: Uint8Array;
  hex: string;
  madeAt: number;
  uses: number;
}

let current: Ephemeral | undefined;
const rawOfKey = new WeakMap<crypto.KeyObject, Uint8Array>();
const shared = new Map<string, Buffer>();

/** The raw 32 bytes of an X25519 public key (or of the public half of a private key), cached per key object. */
export function rawX25519(key: crypto.KeyObject): Uint8Array {
  let raw = rawOfKey.get(key);
  if (!raw) {
    const pub = key.type === 'private' ? crypto.createPublicKey(key) : key;
    if (pub.asymmetricKeyType !== 'x25519') throw new TypeError('expected an X25519 key');
    raw = rawPublicBytes(pub);
    rawOfKey.set(key, raw);
  }
  return raw;
}

function remember(id: string, secret: Buffer): Buffer {
  if (shared.size >= SHARED_CACHE_SIZE) shared.delete(shared.keys().next().value as string);
  shared.set(id, secret);
  return secret;
}

/** The sender's side: the current ephemeral public key and the secret it shares with `recipientPub`. */
export function agreeAsSender(recipientPub: crypto.KeyObject, now = Date.now()): { epk: Uint8Array; secret: Buffer } {
  if (!current || now - current.madeAt > ROTATE_AFTER_MS || current.uses >= ROTATE_AFTER_USES) {
    const pair = newKeyPair('x25519');
    const raw = rawPublicBytes(pair.publicKey);
    current = { privateKey: pair.privateKey, raw, hex: Buffer.from(raw).toString('hex'), madeAt: now, uses: 0 };
  }
  current.uses++;
  const recipientRaw = rawX25519(recipientPub);
  const id = `${current.hex}:${Buffer.from(recipientRaw).toString('hex')}`;
  const secret = shared.get(id) ?? remember(id, crypto.diffieHellman({ privateKey: current.privateKey, publicKey: recipientPub }));
  return { epk: current.raw, secret };
}

/** The recipient's side: the secret shared with the sender's ephemeral key `epk`. */
export function agreeAsRecipient(epk: Uint8Array, recipientPriv: crypto.KeyObject): Buffer {
  const id = `${Buffer.from(epk).toString('hex')}:${Buffer.from(rawX25519(recipientPriv)).toString('hex')}`;
  return shared.get(id) ?? remember(id, crypto.diffieHellman({ privateKey: recipientPriv, publicKey: publicFromRawBytes(epk, 'x25519') }));
}
