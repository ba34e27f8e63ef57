/**
 * A Brine identity as a NATS nkey user. NATS nkeys are Ed25519 keys, so a node's existing
 * signing key is its NATS identity too: the master lists accepted minions' public keys as nkey
 * users, and each process proves it holds the private half when it connects. No second secret
 * is made, stored or distributed.
 */
import { nkeyAuthenticator, type Authenticator } from '@nats-io/transport-node';
import { Codec } from '@nats-io/nkeys/lib/codec';
import { Prefix } from '@nats-io/nkeys';
import type * as crypto from 'node:crypto';

/** The raw 32 bytes of an Ed25519 key ('x' of the public half, 'd' of the private one). */
function rawEd25519(key: crypto.KeyObject, part: 'x' | 'd'): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  const b64 = jwk[part];
  if (jwk.crv !== 'Ed25519' || typeof b64 !== 'string') throw new TypeError(`expected an Ed25519 ${part === 'x' ? 'public' : 'private'} key`);
  return new Uint8Array(Buffer.from(b64, 'base64url'));
}

/** The nkey user (`U...`, 56 characters) of an Ed25519 public key. */
export function userNkeyOf(signPublicKey: crypto.KeyObject): string {
  return new TextDecoder().decode(Codec.encode(Prefix.User, rawEd25519(signPublicKey, 'x')));
}

/** A NATS.js authenticator that signs the server's nonce with an Ed25519 private key (its nkey). */
export function nkeyAuthenticatorOf(signPrivateKey: crypto.KeyObject): Authenticator {
  const seed = Codec.encodeSeed(Prefix.User, rawEd25519(signPrivateKey, 'd'));
  return nkeyAuthenticator(seed);
}

/**
 * The reply-inbox prefix of a client with nkey `nkey`: one subject token of its own, so the
 * server can let it subscribe to its own replies (`<prefix>.>`) and to nobody else's.
 */
export function inboxPrefixOf(nkey: string): string {
  return `_INBOX_${nkey}`;
}
