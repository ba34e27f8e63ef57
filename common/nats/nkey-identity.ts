/**
 * A Brine identity as a NATS nkey user. NATS nkeys are Ed25519 keys, so a node's existing
 * signing key is its NATS identity too: the master lists accepted minions' public keys as nkey
 * users, and each process proves it holds the private half when it connects. No second secret
 * is made, stored or distributed. The server's nonce is signed with node:crypto (OpenSSL), not
 * with the nkeys library's JavaScript Ed25519, which costs milliseconds per connection: ten
 * thousand minions connecting at once would spend their first minute signing.
 */
import type { Authenticator } from '@nats-io/transport-node';
import { Codec } from '@nats-io/nkeys/lib/codec';
import { Prefix } from '@nats-io/nkeys';
import * as crypto from 'node:crypto';
import { rawPublicBytes } from '../wire/raw-keys';

const nkeyOfKey = new WeakMap<crypto.KeyObject, string>();

/** The nkey user (`U...`, 56 characters) of an Ed25519 public or private key (its public half). */
export function userNkeyOf(signKey: crypto.KeyObject): string {
  let nkey = nkeyOfKey.get(signKey);
  if (nkey === undefined) {
    const pub = signKey.type === 'private' ? crypto.createPublicKey(signKey) : signKey;
    if (pub.asymmetricKeyType !== 'ed25519') throw new TypeError('expected an Ed25519 key');
    nkey = new TextDecoder().decode(Codec.encode(Prefix.User, rawPublicBytes(pub)));
    nkeyOfKey.set(signKey, nkey);
  }
  return nkey;
}

/** A NATS.js authenticator that signs the server's nonce with an Ed25519 private key (its nkey). */
export function nkeyAuthenticatorOf(signPrivateKey: crypto.KeyObject): Authenticator {
  const nkey = userNkeyOf(signPrivateKey);
  return (nonce?: string) => ({ nkey, sig: nonce ? crypto.sign(null, Buffer.from(nonce, 'utf8'), signPrivateKey).toString('base64') : '' });
}

/**
 * The reply-inbox prefix of a client with nkey `nkey`: one subject token of its own, so the
 * server can let it subscribe to its own replies (`<prefix>.>`) and to nobody else's.
 */
export function inboxPrefixOf(nkey: string): string {
  return `_INBOX_${nkey}`;
}
