/**
 * Minion configuration (`-c DIR` reads `DIR/minion`), with Salt's option names and defaults.
 * Relative paths in the file are resolved against the directory of the file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from './errors';
import { DEFAULT_AUTH_TIMEOUT_S } from './protocol/subjects';
import { validateMinionId } from './paths';
import { isDict } from './sls/shape';
import type { Dict } from './types';
import { loadSaltYaml } from './yaml/load';

/** The options Brine reads from a minion config; everything else is kept in `raw` (as Salt's opts). */
export interface MinionConfig {
  id: string;
  file_roots: Record<string, string[]>;
  pillar_roots: Record<string, string[]>;
  grains: Dict;
  root_dir: string;
  cachedir: string;
  log_level: string;
  state_top: string;
  renderer: string;
  failhard: boolean;
  test: boolean;
  state_auto_order: boolean;
  state_verbose: boolean;
  state_output: string;
  saltenv: string | null;
  pillarenv: string | null;
  color: boolean | null;
  nodegroups: Record<string, string | string[]>;
  /** NATS URLs of the master's bus (Salt's `master`): one server or the nodes of a cluster; `host` or `host:port` become `nats://host:4222`. */
  master: string[];
  /**
   * Try the `master` URLs in random order (default true, unlike Salt's failover masters: the
   * URLs are nodes of one bus, and shuffling spreads a fleet over them); false keeps the order.
   */
  random_master: boolean;
  /** Window (ms) of the random wait before the first dial after the bus connection was lost (Salt's `recon_default`, 1000). */
  recon_default: number;
  /** Largest such window (ms), reached by doubling per failed dial (Salt's `recon_max`, 10 000). */
  recon_max: number;
  /** Draw those waits at random (default true; Salt's `recon_randomize`); false waits whole windows. */
  recon_randomize: boolean;
  /** Fingerprint of the master's public key to pin (`brine key finger` on the master prints it); null = trust on first use. */
  master_finger: string | null;
  /** Where the minion's key pair and the master's pinned key live. */
  pki_dir: string;
  /** Seconds between authentication attempts while the key is pending. */
  acceptance_wait_time: number;
  /** Longest wait (seconds) between authentication attempts the master did not answer: the wait doubles from acceptance_wait_time up to this (Salt's `acceptance_wait_time_max`; 0 = never grows). */
  acceptance_wait_time_max: number;
  /** Seconds to wait for the master's answer to one authentication attempt (Salt's `auth_timeout`, 5). */
  auth_timeout: number;
  /** The CA certificate (PEM file) of the master's bus when it speaks TLS (its pki_dir/bus-tls/ca.pem); null = plain. */
  master_tls_ca: string | null;
  /** The whole parsed file merged over the defaults, for `opts` in templates and config.get. */
  raw: Dict;
}

/** Default location of the configuration directory, as /etc/salt for Salt. */
export const DEFAULT_CONFIG_DIR = '/etc/brine';

/** Load `DIR/minion` (missing file = all defaults); throws ConfigError naming the file on bad content. */
export function loadMinionConfig(configDir: string = DEFAULT_CONFIG_DIR, overrides: Dict = {}): MinionConfig {
  const file = path.join(configDir, 'minion');
  let data = readConfigMapping(file);
  data = { ...data, ...overrides };
  const base = path.dirname(path.resolve(file));
  const rootDir = resolvePath(base, str(data.root_dir, '/'), 'root_dir', file);
  const underRoot = (p: string) => (rootDir === '/' ? p : path.join(rootDir, p));
  const id = data.id === undefined || data.id === null ? defaultId() : String(data.id);
  try {
    validateMinionId(id);
  } catch (e) {
    throw new ConfigError((e as Error).message, { file });
  }
  const cfg: MinionConfig = {
    id,
    file_roots: roots(data.file_roots, { base: [underRoot('/srv/salt')] }, base, 'file_roots', file),
    pillar_roots: roots(data.pillar_roots, { base: [underRoot('/srv/pillar')] }, base, 'pillar_roots', file),
    grains: isDict(data.grains) ? data.grains : {},
    root_dir: rootDir,
    cachedir: data.cachedir ? resolvePath(base, String(data.cachedir), 'cachedir', file) : underRoot('/var/cache/brine/minion'),
    log_level: str(data.log_level, 'warning'),
    state_top: str(data.state_top, 'top.sls'),
    renderer: str(data.renderer, 'jinja|yaml'),
    failhard: data.failhard === true,
    test: data.test === true,
    state_auto_order: data.state_auto_order !== false,
    state_verbose: data.state_verbose !== false,
    state_output: str(data.state_output, 'full'),
    saltenv: typeof data.saltenv === 'string' ? data.saltenv : null,
    pillarenv: typeof data.pillarenv === 'string' ? data.pillarenv : null,
    color: typeof data.color === 'boolean' ? data.color : null,
    nodegroups: isDict(data.nodegroups) ? (data.nodegroups as Record<string, string | string[]>) : {},
    master: natsUrls(data.master, file),
    random_master: data.random_master !== false,
    ...reconnectWindows(data, file),
    recon_randomize: data.recon_randomize !== false,
    master_finger: typeof data.master_finger === 'string' && data.master_finger ? data.master_finger : null,
    pki_dir: data.pki_dir ? resolvePath(base, String(data.pki_dir), 'pki_dir', file) : underRoot('/etc/brine/pki/minion'),
    acceptance_wait_time: positiveNumber(data.acceptance_wait_time, 10, 'acceptance_wait_time', file),
    acceptance_wait_time_max: data.acceptance_wait_time_max === 0 ? 0 : positiveNumber(data.acceptance_wait_time_max, 0, 'acceptance_wait_time_max', file),
    auth_timeout: positiveNumber(data.auth_timeout, DEFAULT_AUTH_TIMEOUT_S, 'auth_timeout', file),
    master_tls_ca: data.master_tls_ca ? resolvePath(base, String(data.master_tls_ca), 'master_tls_ca', file) : null,
    raw: {},
  };
  cfg.raw = { ...data, ...Object.fromEntries(Object.entries(cfg).filter(([k]) => k !== 'raw')) };
  return cfg;
}

/** The mapping in a YAML config file (a missing file is an empty mapping); ConfigError naming the file otherwise. */
export function readConfigMapping(file: string): Dict {
  if (!fs.existsSync(file)) return {};
  let loaded: unknown;
  try {
    loaded = loadSaltYaml(fs.readFileSync(file, 'utf8'), file);
  } catch (e) {
    throw new ConfigError((e as Error).message, { file });
  }
  if (loaded !== null && loaded !== undefined && !isDict(loaded)) throw new ConfigError('the configuration is not a mapping', { file });
  return (loaded as Dict | null) ?? {};
}

/** A list of NATS URLs from a `master`/`servers` option: `host`, `host:port` or `nats://host:port`, one or many. */
export function natsUrls(v: unknown, file: string, dflt = 'nats://127.0.0.1:4222'): string[] {
  if (v === undefined || v === null || v === '') return [dflt];
  const list = Array.isArray(v) ? v : [v];
  return list.map((item) => {
    const text = String(item).trim();
    if (!text || /[\s\0]/.test(text)) throw new ConfigError(`invalid NATS server ${JSON.stringify(item)}`, { file });
    if (/^(nats|tls):\/\//.test(text)) return text;
    return /:\d+$/.test(text) && !text.startsWith('[') ? `nats://${text}` : `nats://${text}:4222`;
  });
}

/** Salt's `recon_default` and `recon_max` (milliseconds, 0 or more, max not below default). */
function reconnectWindows(data: Dict, file: string): { recon_default: number; recon_max: number } {
  const ms = (key: string, dflt: number): number => {
    const v = data[key];
    if (v === undefined || v === null) return dflt;
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isFinite(n) || n < 0) throw new ConfigError(`${key} must be a number of milliseconds (0 or more), got ${JSON.stringify(v)}`, { file });
    return n;
  };
  const reconDefault = ms('recon_default', 1000);
  const reconMax = ms('recon_max', Math.max(10_000, reconDefault));
  if (reconMax < reconDefault) throw new ConfigError(`recon_max (${reconMax}) must not be below recon_default (${reconDefault})`, { file });
  return { recon_default: reconDefault, recon_max: reconMax };
}

/** A positive number option with a default. */
export function positiveNumber(v: unknown, dflt: number, key: string, file: string): number {
  if (v === undefined || v === null) return dflt;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`${key} must be a positive number, got ${JSON.stringify(v)}`, { file });
  return n;
}

function str(v: unknown, dflt: string): string {
  return v === undefined || v === null ? dflt : String(v);
}

/** An absolute path from a config value, relative ones against the config file's directory. */
export function resolvePath(base: string, p: string, key: string, file: string): string {
  if (typeof p !== 'string' || p.includes('\0')) throw new ConfigError(`invalid path for ${key}`, { file });
  return path.resolve(base, p);
}

/** Salt's `file_roots`/`pillar_roots` shape: saltenv -> directories. */
export function roots(
  v: unknown,
  dflt: Record<string, string[]>,
  base: string,
  key: string,
  file: string,
): Record<string, string[]> {
  if (v === undefined || v === null) return dflt;
  if (!isDict(v)) throw new ConfigError(`${key} must map each saltenv to a list of directories`, { file });
  const out: Record<string, string[]> = {};
  for (const [env, dirs] of Object.entries(v)) {
    const list = Array.isArray(dirs) ? dirs : [dirs];
    out[env] = list.map((d) => resolvePath(base, String(d), key, file));
  }
  return out;
}

function defaultId(): string {
  const h = os.hostname();
  return h && h !== 'localhost' ? h : 'localhost';
}
