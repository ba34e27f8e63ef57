/**
 * The wire envelopes: every message between master, minions and the CLI is one msgpack map.
 *
 * Version 1, signed:  { v: 1, kind, from, to, jid?, ts, exp, nonce, enc?: { epk, iv, tag }, body, sig }
 * `body` is the msgpack encoding of the payload, or its ciphertext when sealed for the recipient
 * (`enc` present: ephemeral X25519 -> HKDF -> AES-256-GCM). `sig` is the sender's Ed25519 signature
 * over a domain tag followed by the msgpack encoding of all other fields in the order above. For
 * messages whose sender's key is not known yet (auth) or that a third party must be able to check.
 *
 * Version 2, boxed:   { v: 2, kind, from, to, jid?, ts, exp, nonce, iv, tag, body }
 * `body` is the payload encrypted with AES-256-GCM under the pair key of sender and recipient
 * (pair-key.ts: their static X25519 keys), every header field bound as associated data. Only the
 * two key holders can make one that opens, so it authenticates the sender as a signature does,
 * for a tenth of the cost: Ed25519 costs 70-90 us to sign and 160-250 us to verify here, the box
 * 15 us each way. Jobs, returns and events, the traffic that grows with the fleet, are boxed.
 *
 * Opening checks, in order: shape and version; v1: the sender's key and the signature, then the
 * recipient; v2: the recipient, then the box under the sender's key; then kind, validity window,
 * replay, and only then decrypts (v1) and decodes the body.
 */
import * as crypto from 'node:crypto';
import { validateMinionId } from '../paths';
import { decode, encode } from './codec';
import { EPK_BYTES, IV_BYTES, open as openSealed, seal, sign, SIGNATURE_BYTES, TAG_BYTES, verify } from './crypto';
import { WireError } from './errors';
import { pairKey } from './pair-key';
import type { PrivateKeys, PublicKeys } from './keys';
import type { ReplayGuard } from './replay';

export const ENVELOPE_VERSION = 1;
/** The boxed envelope's version. */
export const BOX_VERSION = 2;
export const ENVELOPE_KINDS = ['job', 'ret', 'evt', 'auth', 'cmd'] as const;
/** What an envelope carries: a job for a minion, a return, an event, an auth request, or a command from the CLI to the master. */
export type EnvelopeKind = (typeof ENVELOPE_KINDS)[number];
export const NONCE_BYTES = 16;
/** Clock difference tolerated between sender and receiver. */
export const DEFAULT_MAX_SKEW_MS = 60_000;
const MAX_JID_LENGTH = 128;
const SIGNATURE_DOMAIN = Buffer.from('brine envelope v1\0', 'utf8');
const BOX_AAD_TAG = 'brine box v2';
const FIELDS = new Set(['v', 'kind', 'from', 'to', 'jid', 'ts', 'exp', 'nonce', 'enc', 'body', 'sig']);
const BOX_FIELDS = new Set(['v', 'kind', 'from', 'to', 'jid', 'ts', 'exp', 'nonce', 'iv', 'tag', 'body']);
const ENC_FIELDS = new Set(['epk', 'iv', 'tag']);

/** The checked, non-secret part of an envelope. */
export interface EnvelopeHeader {
  readonly v: typeof ENVELOPE_VERSION | typeof BOX_VERSION;
  readonly kind: EnvelopeKind;
  readonly from: string;
  readonly to: string;
  readonly jid?: string;
  /** When it was made (ms since the epoch, sender's clock). */
  readonly ts: number;
  /** When it stops being valid (ms since the epoch, sender's clock). */
  readonly exp: number;
  readonly nonce: Uint8Array;
  /** Whether the body was encrypted for the recipient (always, for a box). */
  readonly sealed: boolean;
}

/** An envelope that passed every check. */
export interface OpenedEnvelope {
  readonly header: EnvelopeHeader;
  readonly payload: unknown;
}

/** What any new envelope says: who to whom, what, for how long. */
export interface EnvelopeContents {
  kind: EnvelopeKind;
  from: string;
  to: string;
  jid?: string;
  /** How long the envelope stays valid, in ms (positive integer). */
  ttlMs: number;
  /** Any msgpack-encodable value. */
  payload: unknown;
  /** The clock, for tests (ms since the epoch); default Date.now(). */
  now?: number;
}

/** What to put in a new signed envelope. */
export interface CreateEnvelopeOptions extends EnvelopeContents {
  /** The sender's private keys (only the Ed25519 one is used). */
  signer: Pick<PrivateKeys, 'sign'>;
  /** The recipient's public keys: when given, the body is sealed for them. */
  recipient?: Pick<PublicKeys, 'encrypt'>;
}

/** What to put in a new boxed envelope. */
export interface CreateBoxOptions extends EnvelopeContents {
  /** The sender's private keys (only the X25519 one is used). */
  sender: Pick<PrivateKeys, 'decrypt'>;
  /** The recipient's public keys (only the X25519 one is used). */
  recipient: Pick<PublicKeys, 'encrypt'>;
}

/** What the receiver expects and trusts. */
export interface OpenEnvelopeOptions {
  /** The kind(s) accepted here. */
  expectKind: EnvelopeKind | readonly EnvelopeKind[];
  /** The receiver's own id: envelopes addressed to anyone else are refused. */
  expectTo: string;
  /** The trusted public keys of a sender id, or undefined for an unknown (or not accepted) sender; boxes need `encrypt`. */
  senderKeys: (id: string) => (Pick<PublicKeys, 'sign'> & Partial<Pick<PublicKeys, 'encrypt'>>) | undefined;
  /** The receiver's private keys, needed to open sealed bodies and boxes. */
  recipient?: Pick<PrivateKeys, 'decrypt'>;
  /** Refuse bodies that are not sealed; default: true when `recipient` is given. */
  requireSealed?: boolean;
  /** Where seen (sender, nonce) pairs are remembered. */
  replay: ReplayGuard;
  /** The clock, for tests (ms since the epoch); default Date.now(). */
  now?: number;
  /** Tolerated clock difference in ms; default 60 s. */
  maxSkewMs?: number;
}

/** The decoded fields of an envelope (shape checked, nothing verified). */
interface WireFields {
  header: EnvelopeHeader;
  enc?: { epk: Uint8Array; iv: Uint8Array; tag: Uint8Array };
  /** A box's GCM parts (v2). */
  box?: { iv: Uint8Array; tag: Uint8Array };
  body: Uint8Array;
  /** Empty for a box. */
  sig: Uint8Array;
}

/** Build, sign (and seal when a recipient is given) an envelope; returns its bytes. */
export function createEnvelope(opts: CreateEnvelopeOptions): Uint8Array {
  const header = newHeader(opts, ENVELOPE_VERSION, opts.recipient !== undefined);
  const plain = encode(opts.payload);
  let fields: Omit<WireFields, 'sig'>;
  if (opts.recipient) {
    const sealed = seal(plain, opts.recipient.encrypt, associatedData(header));
    fields = { header, enc: { epk: sealed.epk, iv: sealed.iv, tag: sealed.tag }, body: sealed.ciphertext };
  } else {
    fields = { header, body: plain };
  }
  const sig = sign(signedBytes(fields), opts.signer.sign);
  return encode({ ...unsignedMap(fields), sig });
}

/** Build a boxed envelope (version 2, see the module comment); returns its bytes. */
export function createBoxEnvelope(opts: CreateBoxOptions): Uint8Array {
  const header = newHeader(opts, BOX_VERSION, true);
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', pairKey(opts.sender.decrypt, opts.recipient.encrypt), iv);
  cipher.setAAD(boxAssociatedData(header));
  const body = Buffer.concat([cipher.update(encode(opts.payload)), cipher.final()]);
  const h = header;
  return encode({ v: h.v, kind: h.kind, from: h.from, to: h.to, ...(h.jid !== undefined ? { jid: h.jid } : {}), ts: h.ts, exp: h.exp, nonce: h.nonce, iv, tag: cipher.getAuthTag(), body });
}

/** A fresh header for `opts` (checked ids, kind, jid and ttl). */
function newHeader(opts: Omit<EnvelopeContents, 'payload'>, v: EnvelopeHeader['v'], sealed: boolean): EnvelopeHeader {
  if (!Number.isSafeInteger(opts.ttlMs) || opts.ttlMs <= 0) throw new RangeError(`ttlMs must be a positive integer, got ${opts.ttlMs}`);
  if (!(ENVELOPE_KINDS as readonly string[]).includes(opts.kind)) throw new TypeError(`unknown envelope kind ${JSON.stringify(opts.kind)}`);
  validateMinionId(opts.from);
  validateMinionId(opts.to);
  if (opts.jid !== undefined && !validJid(opts.jid)) throw new TypeError(`invalid jid ${JSON.stringify(opts.jid)}`);
  const ts = Math.trunc(opts.now ?? Date.now());
  return {
    v,
    kind: opts.kind,
    from: opts.from,
    to: opts.to,
    ...(opts.jid !== undefined ? { jid: opts.jid } : {}),
    ts,
    exp: ts + opts.ttlMs,
    nonce: new Uint8Array(crypto.randomBytes(NONCE_BYTES)),
    sealed,
  };
}

/**
 * Check and open an envelope. Throws WireError with the first failed check's code:
 * malformed, version, unknown-sender, bad-signature, wrong-recipient, wrong-kind,
 * not-yet-valid, expired, decrypt-failed (also: not sealed when required), replayed.
 * The body is decrypted and decoded only after the signature is verified.
 */
export function openEnvelope(bytes: Uint8Array, opts: OpenEnvelopeOptions): OpenedEnvelope {
  const fields = readFields(bytes);
  const { header } = fields;
  const keys = opts.senderKeys(header.from);
  if (!keys) throw new WireError('unknown-sender', `no trusted key for sender ${JSON.stringify(header.from)}`);
  let boxed: Uint8Array | undefined;
  if (fields.box) {
    if (header.to !== opts.expectTo) {
      throw new WireError('wrong-recipient', `envelope for ${JSON.stringify(header.to)} received by ${JSON.stringify(opts.expectTo)}`);
    }
    if (!keys.encrypt) throw new WireError('unknown-sender', `no trusted encryption key for sender ${JSON.stringify(header.from)}`);
    if (!opts.recipient) throw new WireError('decrypt-failed', 'envelope is boxed but no private key was given to open it');
    boxed = openBox(fields, opts.recipient.decrypt, keys.encrypt);
  } else {
    if (!verify(signedBytes(fields), fields.sig, keys.sign)) {
      throw new WireError('bad-signature', `signature does not match the key of ${JSON.stringify(header.from)}`);
    }
    if (header.to !== opts.expectTo) {
      throw new WireError('wrong-recipient', `envelope for ${JSON.stringify(header.to)} received by ${JSON.stringify(opts.expectTo)}`);
    }
  }
  const kinds: readonly EnvelopeKind[] = typeof opts.expectKind === 'string' ? [opts.expectKind] : opts.expectKind;
  if (!kinds.includes(header.kind)) throw new WireError('wrong-kind', `got a '${header.kind}' envelope, expected ${kinds.map((k) => `'${k}'`).join(' or ')}`);
  const now = opts.now ?? Date.now();
  const skew = opts.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  if (header.ts > now + skew) throw new WireError('not-yet-valid', `envelope from ${JSON.stringify(header.from)} is dated ${header.ts - now} ms in the future`);
  if (now > header.exp + skew) throw new WireError('expired', `envelope from ${JSON.stringify(header.from)} expired ${now - header.exp} ms ago`);
  const requireSealed = opts.requireSealed ?? opts.recipient !== undefined;
  if (requireSealed && !fields.enc && !fields.box) throw new WireError('decrypt-failed', `envelope from ${JSON.stringify(header.from)} is not encrypted`);
  if (fields.enc && !opts.recipient) throw new WireError('decrypt-failed', 'envelope is encrypted but no private key was given to open it');
  const verdict = opts.replay.checkAndRemember(header.from, header.nonce, header.exp + skew, now);
  if (verdict === 'replayed') throw new WireError('replayed', `envelope from ${JSON.stringify(header.from)} was already received`);
  if (verdict === 'full') throw new WireError('replayed', 'replay guard is full: cannot prove the envelope is new, refused');
  let plain = boxed ?? fields.body;
  if (fields.enc && opts.recipient) {
    plain = openSealed({ ...fields.enc, ciphertext: fields.body }, opts.recipient.decrypt, associatedData(header));
  }
  let payload: unknown;
  try {
    payload = decode(plain);
  } catch {
    throw new WireError('malformed', `signed body from ${JSON.stringify(header.from)} is not valid msgpack`);
  }
  return { header, payload };
}

/**
 * Read an envelope's header and raw body WITHOUT verifying anything: for routing, logging and
 * the auth bootstrap (where the sender's key travels in the body). Never act on it otherwise.
 */
export function peekEnvelope(bytes: Uint8Array): { header: EnvelopeHeader; body: Uint8Array } {
  const { header, body } = readFields(bytes);
  return { header, body };
}

/** Decode and check the shape of an envelope; throws WireError('malformed' | 'version'). */
function readFields(bytes: Uint8Array): WireFields {
  let raw: unknown;
  try {
    raw = decode(bytes);
  } catch {
    throw new WireError('malformed', 'not a msgpack value');
  }
  if (!isPlainMap(raw)) throw new WireError('malformed', 'envelope is not a map');
  if (!Object.hasOwn(raw, 'v')) throw new WireError('malformed', 'envelope has no version field');
  if (raw.v !== ENVELOPE_VERSION && raw.v !== BOX_VERSION) throw new WireError('version', `unsupported envelope version ${JSON.stringify(raw.v)}`);
  const isBox = raw.v === BOX_VERSION;
  const allowed = isBox ? BOX_FIELDS : FIELDS;
  for (const key of Object.keys(raw)) if (!allowed.has(key)) throw new WireError('malformed', `unknown envelope field ${JSON.stringify(key)}`);
  const { kind, from, to, jid, ts, exp, nonce, enc, body, sig, iv, tag } = raw;
  if (typeof kind !== 'string' || !(ENVELOPE_KINDS as readonly string[]).includes(kind)) throw new WireError('malformed', 'bad kind');
  if (!validId(from)) throw new WireError('malformed', 'bad sender id');
  if (!validId(to)) throw new WireError('malformed', 'bad recipient id');
  if (Object.hasOwn(raw, 'jid') && !validJid(jid)) throw new WireError('malformed', 'bad jid');
  if (!Number.isSafeInteger(ts) || !Number.isSafeInteger(exp) || (exp as number) <= (ts as number)) throw new WireError('malformed', 'bad ts/exp');
  if (!isBytes(nonce, NONCE_BYTES)) throw new WireError('malformed', 'bad nonce');
  if (!isBytes(body)) throw new WireError('malformed', 'bad body');
  let box: WireFields['box'];
  if (isBox) {
    if (!isBytes(iv, IV_BYTES) || !isBytes(tag, TAG_BYTES)) throw new WireError('malformed', 'bad box iv or tag');
    box = { iv, tag };
  } else if (!isBytes(sig, SIGNATURE_BYTES)) throw new WireError('malformed', 'bad signature field');
  let sealedParts: WireFields['enc'];
  if (Object.hasOwn(raw, 'enc')) {
    if (!isPlainMap(enc) || Object.keys(enc).some((k) => !ENC_FIELDS.has(k))) throw new WireError('malformed', 'bad enc');
    if (!isBytes(enc.epk, EPK_BYTES) || !isBytes(enc.iv, IV_BYTES) || !isBytes(enc.tag, TAG_BYTES)) throw new WireError('malformed', 'bad enc');
    sealedParts = { epk: enc.epk, iv: enc.iv, tag: enc.tag };
  }
  const header: EnvelopeHeader = {
    v: isBox ? BOX_VERSION : ENVELOPE_VERSION,
    kind: kind as EnvelopeKind,
    from: from as string,
    to: to as string,
    ...(Object.hasOwn(raw, 'jid') ? { jid: jid as string } : {}),
    ts: ts as number,
    exp: exp as number,
    nonce,
    sealed: isBox || sealedParts !== undefined,
  };
  return { header, ...(sealedParts ? { enc: sealedParts } : {}), ...(box ? { box } : {}), body, sig: isBox ? new Uint8Array(0) : (sig as Uint8Array) };
}

/** The envelope map without `sig`, keys in their fixed order. */
function unsignedMap(fields: Omit<WireFields, 'sig'>): Record<string, unknown> {
  const h = fields.header;
  const map: Record<string, unknown> = { v: h.v, kind: h.kind, from: h.from, to: h.to };
  if (h.jid !== undefined) map.jid = h.jid;
  map.ts = h.ts;
  map.exp = h.exp;
  map.nonce = h.nonce;
  if (fields.enc) map.enc = { epk: fields.enc.epk, iv: fields.enc.iv, tag: fields.enc.tag };
  map.body = fields.body;
  return map;
}

/** What the signature covers: a domain tag and the canonical encoding of the unsigned map. */
function signedBytes(fields: Omit<WireFields, 'sig'>): Uint8Array {
  return Buffer.concat([SIGNATURE_DOMAIN, encode(unsignedMap(fields))]);
}

/** A box's plaintext, or WireError('bad-signature') when it was not made with the pair key of sender and recipient (or was altered). */
function openBox(fields: WireFields, ownPrivate: crypto.KeyObject, senderPublic: crypto.KeyObject): Uint8Array {
  const box = fields.box as NonNullable<WireFields['box']>;
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', pairKey(ownPrivate, senderPublic), box.iv);
    decipher.setAAD(boxAssociatedData(fields.header));
    decipher.setAuthTag(box.tag);
    return new Uint8Array(Buffer.concat([decipher.update(fields.body), decipher.final()]));
  } catch {
    throw new WireError('bad-signature', `box from ${JSON.stringify(fields.header.from)} does not open with its key (not made by it, or altered)`);
  }
}

/** What a box's tag covers besides the body: every header field. */
function boxAssociatedData(h: EnvelopeHeader): Uint8Array {
  return encode([BOX_AAD_TAG, h.v, h.kind, h.from, h.to, h.jid ?? null, h.ts, h.exp, h.nonce]);
}

/** The context a sealed body is bound to, so it cannot be moved into another envelope. */
function associatedData(h: EnvelopeHeader): Uint8Array {
  return encode(['brine aad v1', h.v, h.kind, h.from, h.to, h.jid ?? null, h.ts, h.exp, h.nonce]);
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && Object.getPrototypeOf(value) === Object.prototype;
}

function isBytes(value: unknown, length?: number): value is Uint8Array {
  return value instanceof Uint8Array && (length === undefined || value.length === length);
}

function validId(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    validateMinionId(value);
    return true;
  } catch {
    return false;
  }
}

function validJid(value: unknown): value is string {
  // eslint-disable-next-line no-control-regex
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_JID_LENGTH && !/[\s\u0000-\u001f\u007f*>]/.test(value);
}
