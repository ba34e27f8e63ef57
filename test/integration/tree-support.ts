/**
 * The example tree (states/, pillars/, orch/) as masterless minion ctrl-2 sees it:
 * its minion config (test/fixtures/ctrl-2/minion), its roots, grains and pillar.
 * Shared by the tree-*.test.ts integration tests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LocalFileSource } from '../../common/fileserver';
import { loadSaltYaml } from '../../common/yaml/load';

/** The checkout's root directory (where package.json and states/ live). */
export const repoRoot = findRepoRoot(__dirname);

/** test/fixtures/ctrl-2: the minion config and the expected renderings. */
export const fixtureDir = path.join(repoRoot, 'test', 'fixtures', 'ctrl-2');

/** Everything a renderer needs to render the tree for ctrl-2. */
export interface MinionView {
  id: string;
  opts: Record<string, unknown>;
  grains: Record<string, unknown>;
  pillar: Record<string, unknown>;
  statesDir: string;
  pillarsDir: string;
  files: LocalFileSource;
}

/** Load ctrl-2's minion config, resolve its roots, compile its pillar from pillars/top.sls. */
export function loadCtrl2(): MinionView {
  const configPath = path.join(fixtureDir, 'minion');
  const opts = asDict(loadSaltYaml(fs.readFileSync(configPath, 'utf8'), configPath), configPath);
  const id = String(opts.id);
  const statesDir = path.resolve(fixtureDir, firstBaseRoot(opts.file_roots, 'file_roots'));
  const pillarsDir = path.resolve(fixtureDir, firstBaseRoot(opts.pillar_roots, 'pillar_roots'));
  return {
    id,
    opts,
    grains: asDict(opts.grains, 'grains'),
    pillar: compilePillar(pillarsDir, id),
    statesDir,
    pillarsDir,
    files: new LocalFileSource({ base: [statesDir] }),
  };
}

/** Load a YAML file of the tree (no Jinja in it) as a mapping. */
export function loadYamlFile(file: string): Record<string, unknown> {
  return asDict(loadSaltYaml(fs.readFileSync(file, 'utf8'), file), file);
}

/** The file of an SLS name in a root: `a.b` -> a/b.sls, else a/b/init.sls; undefined when neither exists. */
export function slsFile(root: string, sls: string): string | undefined {
  const base = path.join(root, ...sls.split('.'));
  for (const candidate of [`${base}.sls`, path.join(base, 'init.sls')]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The files under a directory, as sorted `/`-separated relative paths. */
export function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(path.join(dir, entry.name), rel));
    else out.push(rel);
  }
  return out.sort();
}

/** Narrow a loaded YAML value to a mapping, or fail naming where it came from. */
export function asDict(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${where}: expected a mapping, got ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

/** The SLS names a top file gives a minion in saltenv base (glob targets only). */
export function topEntries(top: Record<string, unknown>, minionId: string): string[] {
  const base = asDict(top.base, 'top.sls base');
  const names: string[] = [];
  for (const [target, list] of Object.entries(base)) {
    if (!globMatches(target, minionId)) continue;
    if (!Array.isArray(list)) throw new Error(`top.sls: target ${target} is not a list`);
    for (const item of list) names.push(String(item));
  }
  return names;
}

function compilePillar(pillarsDir: string, minionId: string): Record<string, unknown> {
  const top = loadYamlFile(path.join(pillarsDir, 'top.sls'));
  let pillar: Record<string, unknown> = {};
  for (const sls of topEntries(top, minionId)) {
    const file = slsFile(pillarsDir, sls);
    if (!file) throw new Error(`pillar SLS ${sls} not found in ${pillarsDir}`);
    pillar = mergeRecursive(pillar, loadYamlFile(file));
  }
  return pillar;
}

function mergeRecursive(into: Record<string, unknown>, from: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...into };
  for (const [key, value] of Object.entries(from)) {
    const current = out[key];
    const bothDicts = isPlainDict(current) && isPlainDict(value);
    out[key] = bothDicts ? mergeRecursive(current, value) : value;
  }
  return out;
}

function isPlainDict(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function firstBaseRoot(roots: unknown, option: string): string {
  const base = asDict(roots, option).base;
  if (!Array.isArray(base) || typeof base[0] !== 'string') throw new Error(`${option}: base must list directories`);
  return base[0];
}

function globMatches(glob: string, text: string): boolean {
  const pattern = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`).test(text);
}

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'states'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no checkout root above ${start}`);
    dir = parent;
  }
}
