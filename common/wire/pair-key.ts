/**
 * The symmetric key two parties share without a word exchanged: HKDF-SHA256 over the X25519
 * agreement of one's private key with the other's public key (NaCl's crypto_box idea, with
 * AES-256-GCM). Either side derives the same key; only the two holders of the private keys
 * can, so a message that opens under it was made by the other party (or by oneself). Derived
 * once per pair and remembered: the agreement costs about 50-80 us, the HKDF 25 us.
 */
import * as crypto from 'node:crypto';
import { rawX25519 } from './key-agreement';

const INFO = Buffer.from('brine pair key v2\0', 'utf8');
const byOwnKey = new WeakMap<crypto.KeyObject, Map<string, Buffer>>();
/** The same, by the peer's key object (the key stores hand out the same object each time): no lookup by bytes. */
const byKeyObjects = new WeakMap<crypto.KeyObject, WeakMap<crypto.KeyObject, Buffer>>();

/** The key shared by the holder of `ownPrivate` (X25519) and the holder of the private half of `peerPublic`. */
export function pairKey(ownPrivate: crypto.KeyObject, peerPublic: crypto.KeyObject): Buffer {
  let objects = byKeyObjects.get(ownPrivate);
  if (!objects) byKeyObjects.set(ownPrivate, (objects = new WeakMap()));
  let key = objects.get(peerPublic);
  if (!key) {
    key = pairKeyByBytes(ownPrivate, peerPublic);
    objects.set(peerPublic, key);
  }
  return key;
}

function pairKeyByBytes(ownPrivate: crypto.KeyObject, peerPublic: crypto.KeyObject): Buffer {
  let keys = byOwnKey.get(ownPrivate);
  if (!keys) byOwnKey.set(ownPrivate, (keys = new Map()));
  const peerRaw = Buffer.from(rawX25519(peerPublic));
  const id = peerRaw.toString('hex');
  let key = keys.get(id);
  if (!key) {
    const ownRaw = Buffer.from(rawX25519(ownPrivate));
    // the same salt on both sides: the two public keys in byte order
    const salt = Buffer.compare(ownRaw, peerRaw) <= 0 ? Buffer.concat([ownRaw, peerRaw]) : Buffer.concat([peerRaw, ownRaw]);
    const shared = crypto.diffieHellman({ privateKey: ownPrivate, publicKey: peerPublic });
    key = Buffer.from(crypto.hkdfSync('sha256', shared, salt, INFO, 32));
    keys.set(id, key);
  }
  return key;
}
