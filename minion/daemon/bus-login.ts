/**
 * Getting onto the master's bus with the minion's own identity. The minion connects with its
 * Ed25519 key as its NATS nkey; the master's nats-server knows that key only once the master
 * has accepted it. Until then the server refuses it, and the minion connects without
 * credentials as the guest, which may only ask to be accepted: it asks (Salt's
 * acceptance_wait_time between attempts), and once accepted it reconnects with its key.
 * A server without authentication (a plain nats-server) takes the key connection at once.
 */
import { AuthorizationError, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../../common/log';
import { connectNats, type NatsConnectOptions } from '../../common/nats/connect';
import type { NodeIdentity } from '../../common/wire/keys';
import { waitForAcceptance } from './acceptance';
import type { MasterKeyPin } from './master-key';
import { jittered, pause } from './wait';

/** Tries of the key connection right after the master said "accepted" (its server may still be reloading). */
const AFTER_ACCEPT_TRIES = 5;
/** Wait between those tries. */
const AFTER_ACCEPT_WAIT_MS = 300;
/** A first connection taking longer than this is worth a warning. */
const SLOW_CONNECT_WARNING_MS = 10_000;

/** Everything the login needs. */
export interface BusLoginOptions {
  id: string;
  identity: NodeIdentity;
  pin: MasterKeyPin;
  /** Servers, client name, reconnect tuning and status hook of the key connection. */
  connect: Omit<NatsConnectOptions, 'credentials' | 'waitOnFirstConnect'>;
  /** Client name of the guest connection. */
  guestName: string;
  /** Salt's acceptance_wait_time, in seconds. */
  acceptanceWaitTime: number;
  /** Salt's acceptance_wait_time_max, in seconds (0 = the wait never grows). */
  acceptanceWaitTimeMax: number;
  /** How long to wait for the master's answer to one auth request (ms). */
  authTimeoutMs: number;
  log: Logger;
  /** The minion is stopping: give up. */
  signal: AbortSignal;
}

/**
 * Whether `e` is the server refusing the credentials. nats.js reports an "Authentication
 * Timeout" (the server gave up waiting for the signed CONNECT, e.g. on a host too busy to
 * answer within the server's authorization timeout) as an AuthorizationError too: that one is
 * not a refusal, the same key is tried again, rather than asking the master to accept it.
 */
export function isAuthRefusal(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (/authentication timeout/i.test(e.message)) return false;
  return e instanceof AuthorizationError || /Authorization Violation/i.test(e.message);
}

/**
 * A connection made with the minion's own key, once the master accepts it; undefined when
 * the minion stops first. Unreachable servers are retried forever (with a warning once).
 */
export async function loginToBus(opts: BusLoginOptions): Promise<NatsConnection | undefined> {
  const { log, signal } = opts;
  const servers = Array.isArray(opts.connect.servers) ? opts.connect.servers.join(', ') : opts.connect.servers;
  const retryMs = opts.connect.reconnectTimeWaitMs ?? 2000;
  const startedAt = Date.now();
  let warnedSlow = false;
  let triesAfterAccept = 0;
  log.info(`Connecting to the master's bus at ${servers}`);
  while (!signal.aborted) {
    try {
      const nc = await connectNats({ ...opts.connect, credentials: { nkey: opts.identity.privateKeys.sign }, waitOnFirstConnect: false });
      if (signal.aborted) {
        await nc.close().catch(() => {});
        return undefined;
      }
      log.info(`Connected to the master's bus at ${nc.getServer()}`);
      return nc;
    } catch (e) {
      if (!isAuthRefusal(e)) {
        if (!warnedSlow && Date.now() - startedAt > SLOW_CONNECT_WARNING_MS) {
          warnedSlow = true;
          log.warning(`Cannot reach the master's bus at ${servers} yet (${(e as Error).message}); still trying`);
        } else log.debug(`Cannot reach the master's bus at ${servers}: ${(e as Error).message}`);
        await pause(jittered(retryMs), signal);
        continue;
      }
    }
    if (triesAfterAccept > 0 && triesAfterAccept < AFTER_ACCEPT_TRIES) {
      triesAfterAccept++;
      await pause(jittered(AFTER_ACCEPT_WAIT_MS), signal);
      continue;
    }
    if (triesAfterAccept === 0) log.info('The bus does not know this minion\'s key yet: asking the master to accept it');
    else log.warning('The master says the key is accepted but its bus still refuses it; asking again');
    const asked = await askAsGuest(opts);
    if (asked === 'stopped') return undefined;
    triesAfterAccept = asked === 'accepted' ? 1 : 0;
  }
  return undefined;
}

/** Connect without credentials and wait for acceptance. */
async function askAsGuest(opts: BusLoginOptions): Promise<'accepted' | 'stopped' | 'failed'> {
  let nc: NatsConnection;
  try {
    nc = await connectNats({ ...opts.connect, name: opts.guestName, waitOnFirstConnect: false });
  } catch (e) {
    opts.log.warning(`The master's bus refuses this minion's key and does not let it ask to be accepted either (${(e as Error).message}); retrying`);
    await pause(jittered(opts.acceptanceWaitTime * 1000), opts.signal);
    return opts.signal.aborted ? 'stopped' : 'failed';
  }
  try {
    const accepted = await waitForAcceptance(
      { nc, id: opts.id, identity: opts.identity, pin: opts.pin, timeoutMs: opts.authTimeoutMs },
      { acceptanceWaitTime: opts.acceptanceWaitTime, acceptanceWaitTimeMax: opts.acceptanceWaitTimeMax, logger: opts.log, signal: opts.signal },
    );
    return accepted ? 'accepted' : 'stopped';
  } finally {
    await nc.close().catch(() => {});
  }
}
