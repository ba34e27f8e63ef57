/**
 * The nats-server configuration file the master writes for its own server. nats-server reads
 * JSON as its configuration syntax, so the file is plain JSON: every string is quoted, and
 * nothing in a path or password can be taken for a variable (`$x`) or an include.
 */
import { NatsServerStartError } from './errors';

/** Subjects a user may publish to and subscribe to (nats-server's `allow` lists; nothing else is allowed). */
export interface NatsPermissions {
  publish: string[];
  subscribe: string[];
}

/** One user: an nkey (proves it holds the private key) or a name and password; no permissions = everything. */
export type NatsUser = ({ nkey: string } | { user: string; password: string }) & { permissions?: NatsPermissions };

/**
 * Client credentials the server requires: one user and password, a token, or a list of users
 * each with its own permissions (`noAuthUser` names the user a client without credentials is).
 */
export type NatsServerAuth = { user: string; password: string } | { token: string } | { users: NatsUser[]; noAuthUser?: string };

function renderUser(u: NatsUser): Record<string, unknown> {
  const entry: Record<string, unknown> = {};
  if ('nkey' in u) {
    if (!/^U[A-Z2-7]{55}$/.test(u.nkey)) throw new NatsServerStartError(`nats-server user nkey ${JSON.stringify(u.nkey)} is not a user nkey`);
    entry.nkey = u.nkey;
  } else {
    checkText('user', u.user);
    checkText('password', u.password);
    Object.assign(entry, { user: u.user, password: u.password });
  }
  if (u.permissions) {
    for (const subject of [...u.permissions.publish, ...u.permissions.subscribe]) {
      if (!/^[^\s\u0000-\u001f\u007f]+$/.test(subject)) throw new NatsServerStartError(`nats-server permission subject ${JSON.stringify(subject)} is not a subject`);
    }
    entry.permissions = { publish: { allow: u.permissions.publish }, subscribe: { allow: u.permissions.subscribe } };
  }
  return entry;
}

/**
 * Seconds a client has, once connected, to send its (signed) CONNECT. nats-server's default
 * of 2 s is short for a fleet: minions on a loaded host, or ten thousand connecting at once,
 * lose the race, are dropped and dial again, which loads the host further.
 */
export const NATS_AUTH_TIMEOUT_S = 10;

function renderAuth(auth: NatsServerAuth, conf: Record<string, unknown>): void {
  if ('token' in auth) {
    checkText('token', auth.token);
    conf.authorization = { token: auth.token, timeout: NATS_AUTH_TIMEOUT_S };
  } else if ('users' in auth) {
    conf.authorization = { users: auth.users.map(renderUser), timeout: NATS_AUTH_TIMEOUT_S };
    if (auth.noAuthUser !== undefined) {
      if (!auth.users.some((u) => 'user' in u && u.user === auth.noAuthUser)) throw new NatsServerStartError(`nats-server no_auth_user ${JSON.stringify(auth.noAuthUser)} is not one of its users`);
      conf.no_auth_user = auth.noAuthUser;
    }
  } else {
    checkText('user', auth.user);
    checkText('password', auth.password);
    conf.authorization = { user: auth.user, password: auth.password, timeout: NATS_AUTH_TIMEOUT_S };
  }
}

/** What goes into the file. */
export interface NatsServerConfigSettings {
  /** `server_name` (no whitespace). */
  serverName: string;
  /** Address the client listener binds. */
  host: string;
  /** Client port; 0 asks nats-server for any free port (written as -1, its "random port"). */
  port: number;
  /** Largest message a client may publish, in bytes (nats-server refuses more than 64 MiB). */
  maxPayload: number;
  /** JetStream's `store_dir` (nats-server keeps its data in `<storeDir>/jetstream`). */
  storeDir: string;
  /** JetStream disk limit in bytes (nats-server's default: 75% of the free disk). */
  maxFileStore?: number;
  /** JetStream memory limit in bytes (nats-server's default: 75% of the RAM). */
  maxMemoryStore?: number;
  /** Where nats-server writes its pid. */
  pidFile: string;
  /** Where nats-server writes `<exe>_<pid>.ports` once it listens (how a free port is learnt). */
  portsFileDir: string;
  auth?: NatsServerAuth;
  /** Port of nats-server's HTTP monitoring endpoint (connz, subsz, ...) on `host`; none when undefined. */
  monitorPort?: number;
  /** nats-server's own debug logging. */
  debug?: boolean;
  /** Serve clients over TLS only, with this certificate and key. */
  tls?: { certFile: string; keyFile: string };
}

/** nats-server's limit on max_payload (its default max_pending). */
export const NATS_MAX_PAYLOAD_LIMIT = 64 * 1024 * 1024;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function checkText(what: string, value: string): void {
  if (CONTROL.test(value)) throw new NatsServerStartError(`nats-server ${what} must not contain control characters`);
}

/** The configuration file's text for `settings`; throws NatsServerStartError on values nats-server would refuse. */
export function renderNatsServerConfig(settings: NatsServerConfigSettings): string {
  const { serverName, host, port, maxPayload } = settings;
  if (!/^[A-Za-z0-9_.\-]+$/.test(serverName)) {
    throw new NatsServerStartError(`nats-server name ${JSON.stringify(serverName)} may only use letters, digits, '.', '_' and '-'`);
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new NatsServerStartError(`nats-server port ${port} is not between 0 and 65535`);
  if (!Number.isInteger(maxPayload) || maxPayload < 1024 || maxPayload > NATS_MAX_PAYLOAD_LIMIT) {
    throw new NatsServerStartError(`nats-server max_payload ${maxPayload} is not between 1024 and ${NATS_MAX_PAYLOAD_LIMIT} bytes`);
  }
  for (const [what, value] of [
    ['host', host],
    ['store_dir', settings.storeDir],
    ['pid_file', settings.pidFile],
    ['ports_file_dir', settings.portsFileDir],
  ] as const) {
    checkText(what, value);
  }
  const jetstream: Record<string, unknown> = { store_dir: settings.storeDir };
  if (settings.maxFileStore !== undefined) jetstream.max_file_store = settings.maxFileStore;
  if (settings.maxMemoryStore !== undefined) jetstream.max_memory_store = settings.maxMemoryStore;
  const conf: Record<string, unknown> = {
    server_name: serverName,
    host,
    port: port === 0 ? -1 : port,
    max_payload: maxPayload,
    pid_file: settings.pidFile,
    ports_file_dir: settings.portsFileDir,
    jetstream,
  };
  if (settings.auth) renderAuth(settings.auth, conf);
  if (settings.monitorPort !== undefined) {
    if (!Number.isInteger(settings.monitorPort) || settings.monitorPort < 1 || settings.monitorPort > 65535) {
      throw new NatsServerStartError(`nats-server monitoring port ${settings.monitorPort} is not between 1 and 65535`);
    }
    conf.http = `${host}:${settings.monitorPort}`;
  }
  if (settings.tls) {
    checkText('tls cert_file', settings.tls.certFile);
    checkText('tls key_file', settings.tls.keyFile);
    conf.tls = { cert_file: settings.tls.certFile, key_file: settings.tls.keyFile, timeout: 5 };
  }
  if (settings.debug) conf.debug = true;
  return `${JSON.stringify(conf, null, 2)}\n`;
}
