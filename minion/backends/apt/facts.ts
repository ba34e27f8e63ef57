/**
 * Reading the host's package state (never changing it): the dpkg database in one dpkg-query
 * call, apt's install candidates (apt-cache policy), the versions the repositories offer
 * (apt-cache show), and whether the apt lists have been downloaded.
 */
import * as fs from 'node:fs';
import { AptCommandError } from './errors';
import { runApt, type AptRunOptions } from './runner';
import { APT_POLICY_FILES, DPKG_DB_FILES, StampedCache } from './stamped-cache';
import { compareDebVersions } from './versions';
import { toolArgument } from '../../../common/tool-arguments';

/** Package name → installed versions (usually one). */
export type VersionMap = Record<string, string[]>;

/** The dpkg database as Salt's aptpkg.list_pkgs sorts it. */
export interface PackageDb {
  /** Installed packages (Salt's default list). */
  installed: VersionMap;
  /** Removed with their configuration files left (`deinstall ... config-files`; Salt's `removed=True`). */
  removed: VersionMap;
  /** Marked for purge but still installed (Salt's `purge_desired=True`). */
  purgeDesired: VersionMap;
  /** Every package dpkg knows, with its selection: install, hold, deinstall or purge. */
  selections: Record<string, string>;
}

/** Where apt keeps the downloaded package lists. */
export const APT_LISTS_PATH = '/var/lib/apt/lists';

let nativeArchPromise: Promise<string> | undefined;

/**
 * dpkg's native architecture (`dpkg --print-architecture`), read once per process.
 * Example: `await nativeArch()` → 'amd64'.
 */
export function nativeArch(): Promise<string> {
  nativeArchPromise ??= runApt(['dpkg', '--print-architecture']).then((r) => r.stdout.trim());
  return nativeArchPromise;
}

function add(map: VersionMap, name: string, version: string): void {
  (map[name] ??= []).push(version);
}

/**
 * Parse dpkg-query lines `<want> <flag> <status>\t<name>\t<version>\t<arch>` as Salt's
 * list_pkgs does: foreign-architecture packages get a `:arch` suffix, versions sorted.
 */
export function parsePackageDb(out: string, arch: string): PackageDb {
  const db: PackageDb = { installed: {}, removed: {}, purgeDesired: {}, selections: {} };
  for (const line of out.split('\n')) {
    const [status, pkg, version, pkgArch] = line.split('\t');
    if (!pkg) continue;
    const [want = '', , state = ''] = status.split(' ');
    db.selections[pkg] = want;
    if (!version || !pkgArch) continue;
    const name = pkgArch !== 'all' && pkgArch !== arch ? `${pkg}:${pkgArch}` : pkg;
    if ((want.includes('install') || want.includes('hold')) && state.includes('installed')) add(db.installed, name, version);
    else if (want.includes('deinstall')) add(db.removed, name, version);
    else if (want.includes('purge') && state === 'installed') add(db.purgeDesired, name, version);
  }
  for (const map of [db.installed, db.removed, db.purgeDesired]) for (const v of Object.values(map)) v.sort();
  return db;
}

/**
 * Read the whole dpkg database with one `dpkg-query -W` call.
 * Example: `(await readPackageDb()).installed['bash']` → ['5.2.15-2+b2'].
 */
export function readPackageDb(opts: AptRunOptions = {}): Promise<PackageDb> {
  return packageDbs.get('db', DPKG_DB_FILES, async () => {
    const arch = await nativeArch();
    const r = await runApt(['dpkg-query', '--showformat', '${Status}\t${Package}\t${Version}\t${Architecture}\n', '-W'], opts);
    if (r.retcode !== 0) throw new AptCommandError(`dpkg-query failed: ${r.stderr}`);
    return deepFreeze(parsePackageDb(r.stdout, arch));
  });
}

/** The dpkg database as last read, while its files are unchanged (shared, hence frozen). */
const packageDbs = new StampedCache<PackageDb>(1);
/** apt's candidates per query, while the files apt reads them from are unchanged. */
const policies = new StampedCache<Readonly<Record<string, string>>>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Salt's list_pkgs view of a database: installed plus purge-desired packages (or only the
 * removed ones, or only the purge-desired ones). Shared and frozen like the database: the
 * installed view is made once per database read (a state run asks for it in every pkg state).
 */
export function listPkgs(db: PackageDb, which: { removed?: boolean; purgeDesired?: boolean } = {}): Readonly<VersionMap> {
  if (which.removed) return db.removed;
  if (which.purgeDesired) return db.purgeDesired;
  let view = installedViews.get(db);
  if (!view) {
    view = Object.freeze({ ...db.purgeDesired, ...db.installed });
    installedViews.set(db, view);
  }
  return view;
}

const installedViews = new WeakMap<PackageDb, Readonly<VersionMap>>();

/** Versions joined by commas, as Salt's pkg_resource.stringify prints them. */
export function stringifyVersions(map: VersionMap): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, v.join(',')]));
}

/**
 * apt's install candidate of each package (`apt-cache -q policy`), '' for unknown packages or
 * none. `fromrepo` sets APT::Default-Release as Salt does.
 * Example: `await candidates(['sl'])` → { sl: '5.02-1+b1' }.
 */
export async function candidates(names: readonly string[], fromrepo?: string, opts: AptRunOptions = {}): Promise<Record<string, string>> {
  return { ...(await policies.get(JSON.stringify([names, fromrepo ?? null]), APT_POLICY_FILES, () => readCandidates(names, fromrepo, opts))) };
}

async function readCandidates(names: readonly string[], fromrepo: string | undefined, opts: AptRunOptions): Promise<Record<string, string>> {
  const cmd = ['apt-cache', '-q', 'policy', ...names.map((n) => toolArgument('package name', n))];
  if (fromrepo) cmd.push('-o', `APT::Default-Release=${fromrepo}`);
  const r = await runApt(cmd, opts);
  const short = names.map((n) => n.split(':')[0]);
  const found: Record<string, string> = {};
  let current: string | undefined;
  for (const line of r.stdout.split('\n')) {
    if (line.endsWith(':') && short.includes(line.slice(0, -1))) current = names[short.indexOf(line.slice(0, -1))];
    else if (line.includes('Candidate') && current !== undefined) {
      const words = line.trim().split(/\s+/);
      const cand = words.length >= 2 ? words[words.length - 1] : '';
      found[current] = cand.toLowerCase() === '(none)' ? '' : cand;
    }
  }
  return Object.fromEntries(names.map((n) => [n, found[n] ?? '']));
}

/**
 * The versions the repositories offer for each package (`apt-cache show`), newest first.
 * Example: `await repoVersions(['sl'])` → { sl: ['5.02-1+b1'] }.
 */
export async function repoVersions(names: readonly string[], opts: AptRunOptions = {}): Promise<VersionMap> {
  if (!names.length) return {};
  const r = await runApt(['apt-cache', 'show', ...names], opts);
  const out: VersionMap = {};
  let pkg: string | undefined;
  for (const line of r.stdout.split('\n')) {
    const p = /^Package: (.+)$/.exec(line);
    if (p) pkg = p[1].trim();
    const v = /^Version: (.+)$/.exec(line);
    if (v && pkg !== undefined && !(out[pkg] ??= []).includes(v[1].trim())) out[pkg].push(v[1].trim());
  }
  for (const list of Object.values(out)) list.sort((a, b) => compareDebVersions(b, a) ?? 0);
  return out;
}

/** Whether apt's package lists have been downloaded (`apt-get update` has run at least once). */
export function aptListsPresent(dir = APT_LISTS_PATH): boolean {
  try {
    return fs.readdirSync(dir).some((f) => f.includes('_Packages'));
  } catch {
    return false;
  }
}

/**
 * Salt's pkg.latest_version from apt's candidates: for a package not installed, its
 * candidate; for an installed one, the candidate only when it is newer than every installed
 * version (else '') — or always with `showInstalled`.
 * Example: `upgradeCandidates(['sl'], { sl: ['5.02-1+b1'] }, { sl: '5.02-1+b1' })` → { sl: '' }.
 */
export function upgradeCandidates(
  names: readonly string[],
  installed: VersionMap,
  cand: Readonly<Record<string, string>>,
  showInstalled = false,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const have = installed[name] ?? [];
    const c = cand[name] ?? '';
    if (!have.length || showInstalled) out[name] = c;
    else out[name] = c && !have.some((v) => (compareDebVersions(v, c) ?? -2) >= 0) ? c : '';
  }
  return out;
}
