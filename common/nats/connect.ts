/**
 * Connecting to NATS the way every Brine daemon does: a list of servers, reconnecting forever
 * with jitter (a thousand minions coming back after a master restart do not all dial at the
 * same instant), a client name, optional credentials, and a hook for connection status.
 */
import { connect, type NatsConnection, type Status } from '@nats-io/transport-node';
import * as crypto from 'node:crypto';
import { silentLogger, type Logger } from '../log';
import { inboxPrefixOf, nkeyAuthenticatorOf, userNkeyOf } from './nkey-identity';

/**
 * Credentials the server asks for: user/password, a token, or an identity's Ed25519 private
 * signing key used as its nkey (the client then also takes its own reply-inbox prefix, see
 * inboxPrefixOf).
 */
export type NatsCredentials = { user: string; password: string } | { token: string } | { nkey: crypto.KeyObject };

/** How to connect. Only `servers` and `name` are required. */
export interface NatsConnectOptions {
  /** `nats://host:port` or `host:port`, one or many (tried in random order). */
  servers: string | string[];
  /** Client name shown by the server (e.g. `brine-minion ctrl-1.lab`). */
  name: string;
  credentials?: NatsCredentials;
  /** Wait between reconnect attempts to one server (default 2000 ms). */
  reconnectTimeWaitMs?: number;
  /** Random extra wait added to each reconnect wait, up to this (default 1000 ms). */
  reconnectJitterMs?: number;
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

function connectAuth(c: NatsCredentials | undefined): Record<string, unknown> {
  if (!c) return {};
  if ('token' in c) return { token: c.token };
  if ('nkey' in c) return { authenticator: nkeyAuthenticatorOf(c.nkey), inboxPrefix: inboxPrefixOf(userNkeyOf(c.nkey)) };
  return { user: c.user, pass: c.password };
}

/**
 * Connect to NATS, reconnecting forever with jitter. With `waitOnFirstConnect` (the default)
 * this resolves only once a server answered; otherwise it rejects when none does.
 */
export async function connectNats(opts: NatsConnectOptions): Promise<NatsConnection> {
  const servers = Array.isArray(opts.servers) ? opts.servers : [opts.servers];
  if (servers.length === 0) throw new TypeError('connectNats needs at least one server');
  const logger = opts.logger ?? silentLogger;
  const auth = connectAuth(opts.credentials);
  const nc = await connect({
    servers,
    name: opts.name,
    ...auth,
    ...(opts.tlsCaFile ? { tls: { caFile: opts.tlsCaFile } } : {}),
    maxReconnectAttempts: -1,
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
  const link = trackLink(nc);
  watchNatsStatus(nc, (status) => {
    link(status);
    logStatus(logger, opts.name, status);
    opts.onStatus?.(status);
  });
  return nc;
}
