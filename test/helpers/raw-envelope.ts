/**
 * Test helper for attacks on the wire: envelopes built field by field, without the checks
 * createEnvelope makes, so that tests can sign (or seal) hostile values — ids with `..` or
 * wildcards, a wrong version or kind — exactly as the documented format says
 * (common/wire/envelope.ts), and take apart, alter and re-sign envelopes they captured.
 *
 *   const bytes = rawEnvelope({ kind: 'auth', from: '../evil', to: 'master', payload, signer });
 *   const forged = resign(captured, (m) => { m.to = 'other'; }, someKeys);
 */
import * as crypto from 'node:crypto';
import { decode, encode } from '../../common/wire/codec';
import { seal, sign } from '../../common/wire/crypto';
import type { PrivateKeys, PublicKeys } from '../../common/wire/keys';

const SIGNATURE_DOMAIN = Buffer.from('brine envelope v1\0', 'utf8');
/** The fields the signature covers, in the order they are encoded. */
const SIGNED_ORDER = ['v', 'kind', 'from', 'to', 'jid', 'ts', 'exp', 'nonce', 'enc', 'body'] as const;

/** An envelope as a plain map (what `decode` gives for envelope bytes). */
export type EnvelopeMap = Record<string, unknown>;

/** What a raw envelope is made of; nothing is validated. */
export interface RawEnvelopeFields {
  v?: unknown;
  kind: unknown;
  from: unknown;
  to: unknown;
  jid?: unknown;
  /** Creation time (default now). */
  ts?: number;
  /** Validity in ms after ts (default 60 s). */
  ttlMs?: number;
  payload: unknown;
  signer: Pick<PrivateKeys, 'sign'>;
  /** Seal the body for these keys (the aad binds it to the header as createEnvelope does). */
  recipient?: Pick<PublicKeys, 'encrypt'>;
}

/** Build, (seal and) sign an envelope from raw fields; returns its bytes. */
export function rawEnvelope(f: RawEnvelopeFields): Uint8Array {
  const ts = f.ts ?? Date.now();
  const header: EnvelopeMap = { v: f.v ?? 1, kind: f.kind, from: f.from, to: f.to };
  if (f.jid !== undefined) header.jid = f.jid;
  header.ts = ts;
  header.exp = ts + (f.ttlMs ?? 60_000);
  header.nonce = new Uint8Array(crypto.randomBytes(16));
  const plain = encode(f.payload);
  const map: EnvelopeMap = { ...header };
  if (f.recipient) {
    const aad = encode(['brine aad v1', header.v, header.kind, header.from, header.to, header.jid ?? null, header.ts, header.exp, header.nonce]);
    const sealed = seal(plain, f.recipient.encrypt, aad);
    map.enc = { epk: sealed.epk, iv: sealed.iv, tag: sealed.tag };
    map.body = sealed.ciphertext;
  } else {
    map.body = plain;
  }
  return signMap(map, f.signer);
}

/** Decode envelope bytes into their map (throws when they are not a msgpack map). */
export function envelopeMap(bytes: Uint8Array): EnvelopeMap {
  const v = decode(bytes);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TypeError('not an envelope map');
  return { ...(v as EnvelopeMap) };
}

/** Replace the body of an envelope map with `payload` sealed for `recipient`, bound to the map's header. */
export function sealBody(map: EnvelopeMap, payload: unknown, recipient: Pick<PublicKeys, 'encrypt'>): void {
  const aad = encode(['brine aad v1', map.v, map.kind, map.from, map.to, map.jid ?? null, map.ts, map.exp, map.nonce]);
  const sealed = seal(encode(payload), recipient.encrypt, aad);
  map.enc = { epk: sealed.epk, iv: sealed.iv, tag: sealed.tag };
  map.body = sealed.ciphertext;
}

/** Change a captured envelope with `mutate`, then sign it again with `signer`. */
export function resign(bytes: Uint8Array, mutate: (m: EnvelopeMap) => void, signer: Pick<PrivateKeys, 'sign'>): Uint8Array {
  const map = envelopeMap(bytes);
  delete map.sig;
  mutate(map);
  return signMap(map, signer);
}

/** Change a captured envelope with `mutate` and keep its old signature. */
export function tamper(bytes: Uint8Array, mutate: (m: EnvelopeMap) => void): Uint8Array {
  const map = envelopeMap(bytes);
  mutate(map);
  return encode(map);
}

/** Sign the fields of `map` (sig excluded) in the envelope's order and append `sig`. */
export function signMap(map: EnvelopeMap, signer: Pick<PrivateKeys, 'sign'>): Uint8Array {
  const unsigned: EnvelopeMap = {};
  for (const k of SIGNED_ORDER) if (Object.hasOwn(map, k)) unsigned[k] = map[k];
  for (const k of Object.keys(map)) if (k !== 'sig' && !Object.hasOwn(unsigned, k)) unsigned[k] = map[k];
  const sig = sign(Buffer.concat([SIGNATURE_DOMAIN, encode(unsigned)]), signer.sign);
  return encode({ ...unsigned, sig });
}
