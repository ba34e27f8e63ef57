/**
 * Minion configuration (`-c DIR` reads `DIR/minion`), with Salt's option names and defaults.
 * Relative paths in the file are resolved against the directory of the file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from './errors';
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
  /** The whole parsed file merged over the defaults, for `opts` in templates and config.get. */
  raw: Dict;
}

/** Default location of the configuration directory, as /etc/salt for Salt. */
export const DEFAULT_CONFIG_DIR = '/etc/brine';

/** Load `DIR/minion` (missing file = all defaults); throws ConfigError naming the file on bad content. */
export function loadMinionConfig(configDir: string = DEFAULT_CONFIG_DIR, overrides: Dict = {}): MinionConfig {
  const file = path.join(configDir, 'minion');
  let data: Dict = {};
  if (fs.existsSync(file)) {
    let loaded: unknown;
    try {
      loaded = loadSaltYaml(fs.readFileSync(file, 'utf8'), file);
    } catch (e) {
      throw new ConfigError((e as Error).message, { file });
    }
    if (loaded !== null && loaded !== undefined && !isDict(loaded)) {
      throw new ConfigError('the configuration is not a mapping', { file });
    }
    data = (loaded as Dict | null) ?? {};
  }
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
    raw: {},
  };
  cfg.raw = { ...data, ...Object.fromEntries(Object.entries(cfg).filter(([k]) => k !== 'raw')) };
  return cfg;
}

function str(v: unknown, dflt: string): string {
  return v === undefined || v === null ? dflt : String(v);
}

function resolvePath(base: string, p: string, key: string, file: string): string {
  if (typeof p !== 'string' || p.includes('\0')) throw new ConfigError(`invalid path for ${key}`, { file });
  return path.resolve(base, p);
}

function roots(
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
