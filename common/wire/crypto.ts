/**
 * The two primitives of the wire: Ed25519 signatures, and sealing a body for one recipient
 * (X25519 agreement with a short-lived ephemeral key -> HKDF-SHA256 -> AES-256-GCM; see
 * key-agreement.ts for what is cached). The caller's associated data
 * (`aad`) feeds both the key derivation and GCM, so a ciphertext opens only in the context it was
 * sealed for. All from node:crypto.
 */
import * as crypto from 'node:crypto';
import { agreeAsRecipient, agreeAsSender, rawX25519 } from './key-agreement';
import { WireError } from './errors';

/** A body sealed for one recipient. */
export interface Sealed {
  /** The sender's ephemeral X25519 public key (raw, 32 bytes). */
  readonly epk: Uint8Array;
  /** AES-GCM initialisation vector (12 bytes). */
  readonly iv: Uint8Array;
  /** AES-GCM authentication tag (16 bytes). */
  readonly tag: Uint8Array;
  /** The encrypted body. */
  readonly ciphertext: Uint8Array;
}

export const EPK_BYTES = 32;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const SIGNATURE_BYTES = 64;

const HKDF_INFO = Buffer.from('brine seal v1\0', 'utf8');

/** Sign `data` with an Ed25519 private key; returns the 64-byte signature. */
export function sign(data: Uint8Array, privateKey: crypto.KeyObject): Uint8Array {
  return new Uint8Array(crypto.sign(null, data, privateKey));
}

/** Whether `signature` is a valid Ed25519 signature of `data` by `publicKey` (never throws). */
export function verify(data: Uint8Array, signature: Uint8Array, publicKey: crypto.KeyObject): boolean {
  if (signature.length !== SIGNATURE_BYTES) return false;
  try {
    return crypto.verify(null, data, publicKey, signature);
  } catch {
    return false;
  }
}

/** Encrypt `plaintext` for the holder of the X25519 private key matching `recipientPub`, bound to `aad`. */
export function seal(plaintext: Uint8Array, recipientPub: crypto.KeyObject, aad: Uint8Array): Sealed {
  if (recipientPub.asymmetricKeyType !== 'x25519') throw new TypeError('expected an X25519 public key');
  const { epk, secret } = agreeAsSender(recipientPub);
  const key = deriveKey(secret, epk, rawX25519(recipientPub), aad);
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { epk, iv: new Uint8Array(iv), tag: new Uint8Array(cipher.getAuthTag()), ciphertext: new Uint8Array(ciphertext) };
}

/**
 * Decrypt a sealed body with the recipient's X25519 private key and the same `aad` it was sealed
 * with. Throws WireError('decrypt-failed') on a wrong key, wrong aad or any altered byte.
 */
export function open(sealed: Sealed, recipientPriv: crypto.KeyObject, aad: Uint8Array): Uint8Array {
  if (sealed.epk.length !== EPK_BYTES || sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) {
    throw new WireError('decrypt-failed', 'sealed body has wrong key, iv or tag sizes');
  }
  try {
    const shared = agreeAsRecipient(sealed.epk, recipientPriv);
    const key = deriveKey(shared, sealed.epk, rawX25519(recipientPriv), aad);
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, sealed.iv);
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.tag);
    return new Uint8Array(Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]));
  } catch {
    throw new WireError('decrypt-failed', 'cannot decrypt body (wrong key, or altered ciphertext or context)');
  }
}

/** HKDF-SHA256 over the shared secret; salt binds both public keys, info binds (a digest of) the context. */
function deriveKey(shared: Buffer, epk: Uint8Array, recipientPub: Uint8Array, aad: Uint8Array): Buffer {
  const salt = Buffer.concat([epk, recipientPub]);
  const info = Buffer.concat([HKDF_INFO, crypto.createHash('sha256').update(aad).digest()]);
  return Buffer.from(crypto.hkdfSync('sha256', shared, salt, info, 32));
}
