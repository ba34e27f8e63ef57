/**
 * One authentication attempt with the master (Salt's minion sign-in): present the minion's
 * public key on the auth subject, signed with it, and check the master's signed answer
 * against the pinned master key.
 */
import { RequestError, TimeoutError, type NatsConnection } from '@nats-io/transport-node';
import { AUTH_SUBJECT, MASTER_ID, parseAuthReply, type AuthReply, type AuthRequest } from '../../common/protocol';
import { decode } from '../../common/wire/codec';
import { createEnvelope, openEnvelope, peekEnvelope } from '../../common/wire/envelope';
import { parsePublicDocument, publicDocument, type NodeIdentity, type PublicKeys } from '../../common/wire/keys';
import { ReplayGuard } from '../../common/wire/replay';
import type { MasterKeyPin } from './master-key';

/** How long an auth request stays valid. */
export const AUTH_REQUEST_TTL_MS = 60_000;

/** What one attempt found out. */
export type AuthOutcome =
  /** The master answered and its key is trusted. */
  | { kind: 'answer'; status: AuthReply['status']; error?: string; masterKeys: PublicKeys; fingerprint: string; pinnedNow: boolean }
  /** Nobody answered (no responders, timeout, not connected). */
  | { kind: 'no-master'; reason: string }
  /** An answer that is not a valid signed auth reply. */
  | { kind: 'bad-reply'; reason: string }
  /** A valid answer signed by a master key this minion does not trust. */
  | { kind: 'untrusted-master'; fingerprint: string; reason: string };

/** Everything an attempt needs. */
export interface AuthContext {
  nc: NatsConnection;
  id: string;
  identity: NodeIdentity;
  pin: MasterKeyPin;
  /** How long to wait for the master's answer (ms). */
  timeoutMs: number;
}

/** Ask the master once whether this minion's key is accepted. */
export async function authenticateOnce(ctx: AuthContext): Promise<AuthOutcome> {
  const request: AuthRequest = { pub: publicDocument(ctx.identity.publicKeys) };
  const bytes = createEnvelope({
    kind: 'auth',
    from: ctx.id,
    to: MASTER_ID,
    ttlMs: AUTH_REQUEST_TTL_MS,
    payload: request,
    signer: ctx.identity.privateKeys,
  });
  let reply: Uint8Array;
  try {
    reply = (await ctx.nc.request(AUTH_SUBJECT, bytes, { timeout: ctx.timeoutMs })).data;
  } catch (e) {
    if (e instanceof RequestError && e.isNoResponders()) return { kind: 'no-master', reason: `no master listens on ${AUTH_SUBJECT}` };
    if (e instanceof TimeoutError) return { kind: 'no-master', reason: `no answer within ${ctx.timeoutMs} ms` };
    return { kind: 'no-master', reason: (e as Error).message };
  }
  return readReply(reply, ctx);
}

/**
 * Check the master's answer: the reply carries the master's key, the reply must be signed by
 * that key, and that key must be the pinned one (or pinned now, on first use).
 */
function readReply(reply: Uint8Array, ctx: AuthContext): AuthOutcome {
  let masterKeys: PublicKeys;
  try {
    const { header, body } = peekEnvelope(reply);
    if (header.kind !== 'auth' || header.from !== MASTER_ID) return { kind: 'bad-reply', reason: `got a '${header.kind}' envelope from ${JSON.stringify(header.from)}` };
    masterKeys = parsePublicDocument(parseAuthReply(decode(body)).master_pub, "the master's public key");
  } catch (e) {
    return { kind: 'bad-reply', reason: (e as Error).message };
  }
  let answer: AuthReply;
  try {
    const opened = openEnvelope(reply, {
      expectKind: 'auth',
      expectTo: ctx.id,
      senderKeys: (sender) => (sender === MASTER_ID ? masterKeys : undefined),
      requireSealed: false,
      replay: ReplayGuard.inMemory(),
    });
    answer = parseAuthReply(opened.payload);
  } catch (e) {
    return { kind: 'bad-reply', reason: (e as Error).message };
  }
  const verdict = ctx.pin.check(masterKeys);
  if (!verdict.trusted) return { kind: 'untrusted-master', fingerprint: verdict.fingerprint, reason: verdict.reason };
  if (verdict.store) ctx.pin.store(masterKeys);
  return {
    kind: 'answer',
    status: answer.status,
    ...(answer.error !== undefined ? { error: answer.error } : {}),
    masterKeys,
    fingerprint: verdict.fingerprint,
    pinnedNow: verdict.store,
  };
}
