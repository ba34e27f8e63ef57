/**
 * Minions asking to be accepted (brine.auth, request/reply): the request is signed with the key
 * it presents (proof that the minion holds it); the key is filed as salt-key does (pending,
 * accepted, rejected, denied) and the answer, signed by the master, carries the master's public
 * key for the minion to pin.
 */
import { decode } from '../../common/wire/codec';
import type { Logger } from '../../common/log';
import { parseAuthRequest, type AuthReply } from '../../common/protocol/messages';
import { MASTER_ID, RESERVED_IDS } from '../../common/protocol/subjects';
import { createEnvelope, openEnvelope, peekEnvelope } from '../../common/wire/envelope';
import { WireError } from '../../common/wire/errors';
import { parsePublicDocument, publicDocument, type NodeIdentity } from '../../common/wire/keys';
import type { ReplayGuard } from '../../common/wire/replay';
import type { MinionKeyStore } from '../pki/store';
import type { EventPublisher } from './event-publisher';
import { reportRejected } from './rejections';

const AUTH_REPLY_TTL_MS = 60_000;
/** Longest validity an auth request may claim (minions ask for 60 s): a longer one would be remembered that long. */
export const AUTH_REQUEST_MAX_TTL_MS = 5 * 60_000;

/** What the auth handler works with. */
export interface AuthDeps {
  keys: MinionKeyStore;
  master: NodeIdentity;
  replay: ReplayGuard;
  events: EventPublisher;
  autoAccept: boolean;
  log: Logger;
  /** Ids already logged as pending since the master started (a pending minion asks every acceptance_wait_time). */
  pendingLogged?: Set<string>;
}

/** The answer to an auth request, and whether it accepted a key just now (auto_accept). */
export interface AuthAnswer {
  reply: Uint8Array;
  acceptedNow: boolean;
}

/** Answer one auth request; undefined when it deserves no answer (malformed, forged, replayed). */
export function handleAuthRequest(deps: AuthDeps, bytes: Uint8Array): AuthAnswer | undefined {
  let id: string;
  let pub: string;
  try {
    const peeked = peekEnvelope(bytes);
    id = peeked.header.from;
    if (peeked.header.exp - peeked.header.ts > AUTH_REQUEST_MAX_TTL_MS) {
      throw new WireError('expired', `auth request from ${JSON.stringify(id)} claims to stay valid for ${Math.round((peeked.header.exp - peeked.header.ts) / 1000)} s (at most ${AUTH_REQUEST_MAX_TTL_MS / 1000} s)`);
    }
    pub = parseAuthRequest(decode(peeked.body)).pub;
    const presented = parsePublicDocument(pub, `public key of ${JSON.stringify(id)}`);
    openEnvelope(bytes, { expectKind: 'auth', expectTo: MASTER_ID, senderKeys: (from) => (from === id ? presented : undefined), requireSealed: false, replay: deps.replay });
  } catch (e) {
    reportRejected(deps.log, deps.events, 'auth request', e);
    return undefined;
  }
  let reply: AuthReply;
  let acceptedNow = false;
  if (RESERVED_IDS.has(id)) {
    reply = { status: 'refused', master_pub: '', error: `the minion id ${JSON.stringify(id)} is reserved` };
  } else {
    try {
      let status = deps.keys.register(id, pub);
      if (status === 'pending' && deps.autoAccept) {
        deps.keys.accept(id);
        status = 'accepted';
        acceptedNow = true;
      }
      reply = { status, master_pub: '' };
      if (status === 'pending' && !deps.pendingLogged?.has(id)) {
        deps.pendingLogged?.add(id);
        deps.log.info(`New minion key pending: ${id} (brine key accept ${id})`);
      } else if (status !== 'pending') deps.pendingLogged?.delete(id);
      if (status === 'denied') deps.log.warning(`Minion ${id} presented a key that differs from its stored one: denied (see brine key list denied)`);
    } catch (e) {
      reply = { status: 'refused', master_pub: '', error: (e as Error).message };
    }
  }
  reply.master_pub = publicDocument(deps.master.publicKeys);
  if (reply.status === 'refused') reportRejected(deps.log, deps.events, `auth of ${JSON.stringify(id)}`, new WireError('malformed', reply.error ?? 'refused'));
  void deps.events.master({ type: 'auth', minion: id, status: reply.status, at: Date.now(), ...(reply.error ? { error: reply.error } : {}) });
  return { reply: createEnvelope({ kind: 'auth', from: MASTER_ID, to: id, ttlMs: AUTH_REPLY_TTL_MS, payload: reply, signer: deps.master.privateKeys }), acceptedNow };
}
