/**
 * Master configuration (`-c DIR` reads `DIR/master`), with Salt's option names where Salt has
 * them. Relative paths are resolved against the directory of the file.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../../common/errors';
import { DEFAULT_CONFIG_DIR, natsUrls, positiveNumber, readConfigMapping, resolvePath, roots } from '../../common/config';
import { isDict } from '../../common/sls/shape';
import type { Dict } from '../../common/types';

/** How the master reaches its bus: an existing cluster, or its own nats-server. */
export interface MasterNatsConfig {
  /** Existing NATS cluster URLs; empty = start an embedded nats-server. */
  servers: string[];
  /**
   * Copies JetStream keeps of each stream the master makes (BRINE_RETURNS, BRINE_EVENTS) and
   * of its consumers: 1 (default) to 5; above 1 only on a cluster named in `servers` (3 for a
   * three-node cluster, so that losing one node loses nothing).
   */
  replicas: number;
  /** Address the embedded server listens on (default 127.0.0.1). */
  host: string;
  /** Port of the embedded server (default 4222; 0 = a free port). */
  port: number;
  /** Path of the nats-server binary (default: Debian's, then PATH). */
  binary?: string;
  /** Port of the embedded server's HTTP monitoring endpoint (on `host`); off by default. */
  monitor_port?: number;
  /**
   * TLS for the embedded server (`nats.tls: true`, or `{names: [...]}` with the host names and
   * addresses minions use to reach the master): the master makes a CA and a server certificate.
   */
  tls?: { names: string[] };
}

/** The options Brine reads from a master config; everything else is kept in `raw`. */
export interface MasterConfig {
  root_dir: string;
  cachedir: string;
  pki_dir: string;
  file_roots: Record<string, string[]>;
  pillar_roots: Record<string, string[]>;
  nodegroups: Record<string, string | string[]>;
  /** Seconds without news from a minion before it is declared not responding (Salt's `timeout`). */
  timeout: number;
  log_level: string;
  state_top: string;
  state_auto_order: boolean;
  saltenv: string | null;
  pillarenv: string | null;
  /** Render workers (default: one per core, at least 1). */
  worker_threads: number;
  /** Accept every new minion key (Salt's `auto_accept`; off by default). */
  auto_accept: boolean;
  /** Hours a finished job is kept in the job cache. */
  keep_jobs: number;
  nats: MasterNatsConfig;
  raw: Dict;
}

/** Files the master keeps under its cachedir. */
export interface MasterPaths {
  /** The job cache (SQLite). */
  jobCache: string;
  /** Where the master tells the CLI which NATS URLs it serves (written at start). */
  busFile: string;
  /** The embedded nats-server's config, pid file and JetStream store. */
  natsDir: string;
  /** The replay guard of envelopes the master received. */
  replayDir: string;
}

/** Load `DIR/master` (missing file = all defaults); throws ConfigError naming the file on bad content. */
export function loadMasterConfig(configDir: string = DEFAULT_CONFIG_DIR, overrides: Dict = {}): MasterConfig {
  const file = path.join(configDir, 'master');
  const data = { ...readConfigMapping(file), ...overrides };
  const base = path.dirname(path.resolve(file));
  const rootDir = resolvePath(base, data.root_dir === undefined || data.root_dir === null ? '/' : String(data.root_dir), 'root_dir', file);
  const underRoot = (p: string) => (rootDir === '/' ? p : path.join(rootDir, p));
  const nats = isDict(data.nats) ? data.nats : {};
  const port = nats.port === undefined ? 4222 : Number(nats.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`nats.port must be a port number, got ${JSON.stringify(nats.port)}`, { file });
  const servers = nats.servers === undefined || nats.servers === null ? [] : natsUrls(nats.servers, file);
  const cfg: MasterConfig = {
    root_dir: rootDir,
    cachedir: data.cachedir ? resolvePath(base, String(data.cachedir), 'cachedir', file) : underRoot('/var/cache/brine/master'),
    pki_dir: data.pki_dir ? resolvePath(base, String(data.pki_dir), 'pki_dir', file) : underRoot('/etc/brine/pki/master'),
    file_roots: roots(data.file_roots, { base: [underRoot('/srv/salt')] }, base, 'file_roots', file),
    pillar_roots: roots(data.pillar_roots, { base: [underRoot('/srv/pillar')] }, base, 'pillar_roots', file),
    nodegroups: isDict(data.nodegroups) ? (data.nodegroups as Record<string, string | string[]>) : {},
    timeout: positiveNumber(data.timeout, 5, 'timeout', file),
    log_level: data.log_level === undefined || data.log_level === null ? 'warning' : String(data.log_level),
    state_top: data.state_top ? String(data.state_top) : 'top.sls',
    state_auto_order: data.state_auto_order !== false,
    saltenv: typeof data.saltenv === 'string' ? data.saltenv : null,
    pillarenv: typeof data.pillarenv === 'string' ? data.pillarenv : null,
    worker_threads: Math.floor(positiveNumber(data.worker_threads, Math.max(1, os.availableParallelism()), 'worker_threads', file)),
    auto_accept: data.auto_accept === true,
    keep_jobs: positiveNumber(data.keep_jobs, 24, 'keep_jobs', file),
    nats: {
      servers,
      replicas: streamReplicas(nats.replicas, servers, file),
      host: nats.host === undefined ? '127.0.0.1' : String(nats.host),
      port,
      ...(nats.binary ? { binary: resolvePath(base, String(nats.binary), 'nats.binary', file) } : {}),
      ...(nats.monitor_port !== undefined ? { monitor_port: Math.floor(positiveNumber(nats.monitor_port, 8222, 'nats.monitor_port', file)) } : {}),
      ...natsTls(nats.tls, file),
    },
    raw: {},
  };
  cfg.raw = { ...data, ...Object.fromEntries(Object.entries(cfg).filter(([k]) => k !== 'raw')) };
  return cfg;
}

/** Largest `nats.replicas`: JetStream's own limit. */
export const MAX_STREAM_REPLICAS = 5;

function streamReplicas(v: unknown, servers: string[], file: string): number {
  if (v === undefined || v === null) return 1;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_STREAM_REPLICAS) {
    throw new ConfigError(`nats.replicas must be a whole number from 1 to ${MAX_STREAM_REPLICAS} (copies of each JetStream stream), got ${JSON.stringify(v)}`, { file });
  }
  if (n > 1 && servers.length === 0) {
    throw new ConfigError(`nats.replicas is ${n}, but the master runs its own single nats-server, which keeps one copy: name a NATS cluster in nats.servers, or drop nats.replicas`, { file });
  }
  return n;
}

function natsTls(v: unknown, file: string): { tls?: { names: string[] } } {
  if (v === undefined || v === null || v === false) return {};
  if (v === true) return { tls: { names: [] } };
  if (isDict(v) && (v.names === undefined || (Array.isArray(v.names) && v.names.every((n) => typeof n === 'string' || typeof n === 'number')))) {
    return { tls: { names: ((v.names as unknown[] | undefined) ?? []).map(String) } };
  }
  throw new ConfigError(`nats.tls must be True or a mapping with a list of host names and addresses in names, got ${JSON.stringify(v)}`, { file });
}

/** Where the bus's TLS CA and server certificate live (made by the master when nats.tls is on). */
export function busTlsDir(cfg: Pick<MasterConfig, 'pki_dir'>): string {
  return path.join(cfg.pki_dir, 'bus-tls');
}

/** The files the master keeps under its cachedir. */
export function masterPaths(cfg: MasterConfig): MasterPaths {
  return {
    jobCache: path.join(cfg.cachedir, 'jobs.sqlite'),
    busFile: path.join(cfg.cachedir, 'bus.json'),
    natsDir: path.join(cfg.cachedir, 'nats'),
    replayDir: path.join(cfg.cachedir, 'replay'),
  };
}
