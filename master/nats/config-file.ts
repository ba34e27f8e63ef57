/**
 * The nats-server configuration file the master writes for its own server. nats-server reads
 * JSON as its configuration syntax, so the file is plain JSON: every string is quoted, and
 * nothing in a path or password can be taken for a variable (`$x`) or an include.
 */
import { NatsServerStartError } from './errors';

/** Client credentials the server requires (the per-user permissions come with the trust issue). */
export type NatsServerAuth = { user: string; password: string } | { token: string };

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
  if (settings.auth) {
    if ('token' in settings.auth) {
      checkText('token', settings.auth.token);
      conf.authorization = { token: settings.auth.token };
    } else {
      checkText('user', settings.auth.user);
      checkText('password', settings.auth.password);
      conf.authorization = { user: settings.auth.user, password: settings.auth.password };
    }
  }
  if (settings.monitorPort !== undefined) {
    if (!Number.isInteger(settings.monitorPort) || settings.monitorPort < 1 || settings.monitorPort > 65535) {
      throw new NatsServerStartError(`nats-server monitoring port ${settings.monitorPort} is not between 1 and 65535`);
    }
    conf.http = `${host}:${settings.monitorPort}`;
  }
  if (settings.debug) conf.debug = true;
  return `${JSON.stringify(conf, null, 2)}\n`;
}
