/**
 * Connecting to NATS the way every Brine daemon does: a list of servers (one server, or the
 * nodes of a cluster, tried in random order), reconnecting forever with jittered backoff (ten
 * thousand minions coming back after a server or master restart do not all dial at the same
 * instant), a client name, optional credentials, and a hook for connection status.
 */
import { connect, type Authenticator, type NatsConnection, type ReconnectToServerHandler, type Status } from '@nats-io/transport-node';
import * as crypto from 'node:crypto';
import { silentLogger, type Logger } from '../log';
import { inboxPrefixOf, nkeyAuthenticatorOf, userNkeyOf } from './nkey-identity';
import { DEFAULT_RECONNECT_BACKOFF, ReconnectPacer, type ReconnectBackoff } from './reconnect-pacing';

/**
 * Credentials the server asks for: user/password, a token, or an identity's Ed25519 private
 * signing key used as its nkey (the client then also takes its own reply-inbox prefix, see
 * inboxPrefixOf).
 */
export type NatsCredentials = { user: string; password: string } | { token: string } | { nkey: crypto.KeyObject };

/** How to connect. Only `servers` and `name` are required. */
export interface NatsConnectOptions {
  /** `nats://host:port` or `host:port`, one or many (tried in random order unless `randomizeServers` is false). */
  servers: string | string[];
  /** Shuffle `servers` (default true), so that a fleet spreads over a cluster's nodes; false tries them in the given order. */
  randomizeServers?: boolean;
  /** Client name shown by the server (e.g. `brine-minion ctrl-1.lab`). */
  name: string;
  credentials?: NatsCredentials;
  /** Wait between reconnect attempts to one server (default 2000 ms). */
  reconnectTimeWaitMs?: number;
  /** Random extra wait added to each reconnect wait, up to this (default 1000 ms). */
  reconnectJitterMs?: number;
  /** Random wait before each dial after the connection was lost, doubling per failed dial (default: 1 s window, up to 10 s); see reconnect-pacing.ts. */
  reconnectBackoff?: ReconnectBackoff;
  /** Keep dialling until the first connection succeeds instead of failing (default true). */
  waitOnFirstConnect?: boolean;
  /** Bound on one connection attempt (default 5000 ms). */
  connectTimeoutMs?: number;
  /** Interval of client pings that detect a dead server (default 20 000 ms). */
  pingIntervalMs?: number;
  /** Unanswered pings before the connection is declared stale and redialled (default 3). */
  maxPingOut?: number;
  /** Speak TLS only, trusting this CA certificate (PEM file) for the server's certificate. */
  tlsCaFile?: string;
  /** Called with every connection status (disconnect, reconnect, error, ...). */
  onStatus?: (status: Status) => void;
  /** Logs disconnects and reconnects (warning/info); never credentials. */
  logger?: Logger;
}

/** A one-line description of a connection status, for logs. */
export function describeNatsStatus(status: Status): string {
  switch (status.type) {
    case 'disconnect':
      return `disconnected from ${status.server}`;
    case 'reconnect':
      return `reconnected to ${status.server}`;
    case 'reconnecting':
      return 'reconnecting';
    case 'error':
      return `error: ${status.error.message}`;
    case 'ldm':
      return `server ${status.server} entered lame duck mode`;
    case 'update':
      return `cluster update (added: ${(status.added ?? []).join(', ') || 'none'}; removed: ${(status.deleted ?? []).join(', ') || 'none'})`;
    case 'ping':
      return `${status.pendingPings} pings unanswered`;
    case 'staleConnection':
      return 'connection is stale';
    case 'slowConsumer':
      return `slow consumer on ${status.sub.getSubject()} (${status.pending} pending)`;
    case 'forceReconnect':
      return 'reconnect forced';
    case 'close':
      return 'connection closed';
  }
}

function logStatus(logger: Logger, name: string, status: Status): void {
  const text = `NATS (${name}): ${describeNatsStatus(status)}`;
  if (status.type === 'disconnect' || status.type === 'error' || status.type === 'staleConnection' || status.type === 'slowConsumer') {
    logger.warning(text);
  } else if (status.type === 'reconnect' || status.type === 'ldm' || status.type === 'close') {
    logger.info(text);
  } else {
    logger.debug(text);
  }
}

/**
 * Whether connections made by connectNats are connected right now. nats.js discards what is
 * published while it is disconnected (its outbound buffer is reset on every dial), so senders
 * that must not lose a message wait for the connection first (see whenNatsConnected).
 */
interface LinkState {
  connected: boolean;
  closed: boolean;
  waiters: Set<() => void>;
}

const links = new WeakMap<NatsConnection, LinkState>();

function trackLink(nc: NatsConnection): (status: Status) => void {
  const state: LinkState = { connected: true, closed: false, waiters: new Set() };
  links.set(nc, state);
  return (status) => {
    if (status.type === 'disconnect') state.connected = false;
    else if (status.type === 'reconnect') state.connected = true;
    else if (status.type === 'close') {
      state.connected = false;
      state.closed = true;
    } else return;
    if (state.connected || state.closed) {
      for (const wake of state.waiters) wake();
      state.waiters.clear();
    }
  };
}

/**
 * Resolves true once `nc` is connected (at once when it is, or when it was not made by
 * connectNats), false when it closed or `timeoutMs` passed first.
 */
export function whenNatsConnected(nc: NatsConnection, timeoutMs: number): Promise<boolean> {
  const state = links.get(nc);
  if (!state || state.connected) return Promise.resolve(!nc.isClosed());
  if (state.closed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      resolve(state.connected);
    };
    const timer = setTimeout(() => {
      state.waiters.delete(wake);
      resolve(false);
    }, timeoutMs);
    state.waiters.add(wake);
  });
}

/** Call `listener` with every status of `nc` until it closes. */
export function watchNatsStatus(nc: NatsConnection, listener: (status: Status) => void): void {
  void (async () => {
    for await (const status of nc.status()) listener(status);
  })().catch(() => {});
}

function connectAuth(c: NatsCredentials | undefined): { authenticator?: Authenticator; token?: string; user?: string; pass?: string; inboxPrefix?: string } {
  if (!c) return {};
  if ('token' in c) return { token: c.token };
  if ('nkey' in c) return { authenticator: nkeyAuthenticatorOf(c.nkey), inboxPrefix: inboxPrefixOf(userNkeyOf(c.nkey)) };
  return { user: c.user, pass: c.password };
}

/**
 * `inner` (or no credentials), except for a connection closed already. nats.js dials once more
 * when it is closed during a paced reconnect wait (the wait ends early, the dial goes out all
 * the same); refusing to log that dial in makes it fail (within the connect timeout) instead
 * of leaving a connection open behind a closed client.
 */
function refusedOnceClosed(isClosed: () => boolean, inner: Authenticator | undefined): Authenticator {
  return (nonce?: string) => {
    if (isClosed()) throw new Error('the NATS connection was closed');
    return inner ? inner(nonce) : undefined;
  };
}

/**
 * The handler that makes every reconnect dial wait its paced delay (see reconnect-pacing.ts);
 * the first connection is not delayed (`connected` tells when it was made).
 */
function pacedReconnects(pacer: ReconnectPacer, connected: () => boolean): ReconnectToServerHandler {
  return (pool) => {
    const next = pool[0];
    if (!connected() || next === undefined) return null;
    return { server: next, delay: pacer.nextDelay() };
  };
}

/**
 * Connect to NATS, reconnecting forever with jittered backoff. With `waitOnFirstConnect` (the
 * default) this resolves only once a server answered; otherwise it rejects when none does.
 */
export async function connectNats(opts: NatsConnectOptions): Promise<NatsConnection> {
  const servers = Array.isArray(opts.servers) ? opts.servers : [opts.servers];
  if (servers.length === 0) throw new TypeError('connectNats needs at least one server');
  const logger = opts.logger ?? silentLogger;
  const auth = connectAuth(opts.credentials);
  const pacer = new ReconnectPacer(opts.reconnectBackoff ?? DEFAULT_RECONNECT_BACKOFF);
  let connectedOnce = false;
  let made: NatsConnection | undefined;
  const nc = await connect({
    servers,
    name: opts.name,
    ...auth,
    authenticator: refusedOnceClosed(() => made?.isClosed() === true, auth.authenticator),
    ...(opts.tlsCaFile ? { tls: { caFile: opts.tlsCaFile } } : {}),
    // How a fleet survives a server going away (a restart, a killed cluster node):
    // - the server list is shuffled per client, so a fleet given the same list of cluster
    //   nodes spreads over them, and so do the dials of those whose server went away;
    // - never give up (-1): a minion must come back however long the outage;
    // - before each dial after a loss, a random wait whose window doubles per failed dial
    //   (reconnectToServer + ReconnectPacer): ten thousand minions losing their server at the
    //   same instant do not dial at the same instant (nats.js would dial at once);
    // - between two dials of one server, reconnectTimeWait plus a random reconnectJitter, so
    //   that a server that is down is not hammered by the same client.
    // Servers the cluster gossips (connect_urls) join the list, so a minion given one node
    // still fails over to the others.
    noRandomize: opts.randomizeServers === false,
    maxReconnectAttempts: -1,
    reconnectToServer: pacedReconnects(pacer, () => connectedOnce),
    reconnectTimeWait: opts.reconnectTimeWaitMs ?? 2000,
    reconnectJitter: opts.reconnectJitterMs ?? 1000,
    reconnectJitterTLS: opts.reconnectJitterMs ?? 1000,
    waitOnFirstConnect: opts.waitOnFirstConnect ?? true,
    timeout: opts.connectTimeoutMs ?? 5000,
    pingInterval: opts.pingIntervalMs ?? 20_000,
    maxPingOut: opts.maxPingOut ?? 3,
    // nats.js otherwise makes an Error per request to keep its stack: a tenth of a busy master's CPU
    noAsyncTraces: true,
  });
  connectedOnce = true;
  made = nc;
  const link = trackLink(nc);
  watchNatsStatus(nc, (status) => {
    if (status.type === 'reconnect') pacer.reset();
    link(status);
    logStatus(logger, opts.name, status);
    opts.onStatus?.(status);
  });
  return nc;
}
