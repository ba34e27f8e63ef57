/**
 * Changing the host's packages with apt-get and apt-mark, with Salt's aptpkg return shapes:
 * install/remove/purge report `{name: {old, new}}` for every package whose version changed
 * (dependencies included), computed by diffing the dpkg database before and after.
 */
import * as fs from 'node:fs';
import { compileFnmatch } from '../../../common/match/fnmatch';
import type { Dict } from '../../../common/types';
import { AptCommandError } from './errors';
import { APT_LISTS_PATH, listPkgs, readPackageDb, repoVersions, stringifyVersions } from './facts';
import { runApt, type AptRunOptions } from './runner';
import { splitComparison, versionCompare } from './versions';
import { toolArgument } from '../../../common/tool-arguments';

/** One package's change: versions before and after ('' when absent). */
export interface VersionChange {
  old: string;
  new: string;
}

/**
 * Salt's compare_dicts: `{key: {old, new}}` for each key added, removed or changed, keys sorted.
 * Example: `compareDicts({a: '1'}, {a: '2', b: '1'})` → `{a: {old: '1', new: '2'}, b: {old: '', new: '1'}}`.
 */
export function compareDicts(before: Record<string, string>, after: Record<string, string>): Record<string, VersionChange> {
  const out: Record<string, VersionChange> = {};
  for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const o = before[key];
    const n = after[key];
    if (o === undefined) out[key] = { old: '', new: n };
    else if (n === undefined) out[key] = { old: o, new: '' };
    else if (o !== n) out[key] = { old: o, new: n };
  }
  return out;
}

/** The current `{name: version}` list (installed and purge-desired), as Salt's list_pkgs prints it. */
async function currentList(opts: AptRunOptions): Promise<Record<string, string>> {
  return stringifyVersions(listPkgs(await readPackageDb(opts)));
}

/** What to install, with Salt's pkg.install options. */
export interface InstallRequest {
  /** Packages in order, each with a version specification (`1.2-3`, `>=1.2`, `5.02*`) or null. */
  pkgs: ReadonlyArray<readonly [string, string | null]>;
  /** Run `apt-get update` first (only when something is to be installed). */
  refresh?: boolean;
  /** Target release (`apt-get -t <fromrepo>`). */
  fromrepo?: string;
  /** `--allow-unauthenticated`. */
  skipVerify?: boolean;
  /** `--install-recommends` (true) / `--no-install-recommends` (false); apt's default when unset. */
  installRecommends?: boolean;
  /** `--only-upgrade`. */
  onlyUpgrade?: boolean;
  /** Take the package's new configuration files (`--force-confnew`) instead of keeping old ones. */
  forceConfNew?: boolean;
  /** Ignore epochs when matching `<`/`>` specifications against the repositories' versions. */
  ignoreEpoch?: boolean;
}

/**
 * Install packages in one apt transaction (a second one only for downgrades) and return the
 * changes. Apt's errors raise an AptCommandError carrying them and whatever changed anyway.
 * Example: `await installPackages({ pkgs: [['sl', null], ['hello', '2.10-3']] })`
 * → `{ hello: { old: '', new: '2.10-3' }, sl: { old: '', new: '5.02-1+b1' } }`.
 */
export async function installPackages(req: InstallRequest, opts: AptRunOptions = {}): Promise<Record<string, VersionChange>> {
  if (!req.pkgs.length) return {};
  const db = await readPackageDb(opts);
  const old = stringifyVersions(listPkgs(db));
  const targets: string[] = [];
  const downgrade: string[] = [];
  const errors: string[] = [];
  const withComparison = req.pkgs.filter(([, v]) => v !== null && /^[<>]/.test(v)).map(([n]) => n);
  const available = await repoVersions(withComparison, opts);

  for (const [name, spec] of req.pkgs) {
    if (spec === null) {
      targets.push(name);
      continue;
    }
    let version = spec.replace(/^=+/, '');
    if (withComparison.includes(name)) {
      const [oper, wanted] = splitComparison(version);
      const choices = available[name] ?? [];
      const match = choices.find((c) => versionCompare(c, oper || '==', wanted, req.ignoreEpoch ?? false));
      if (match === undefined) {
        errors.push(`No version matching '${name}${version}' could be found (available: ${choices.length ? choices.join(', ') : 'None'})`);
        continue;
      }
      version = match;
    }
    const pkgstr = `${name}=${version}`;
    const cver = old[name];
    if (!cver || versionCompare(version, '>=', cver)) targets.push(pkgstr);
    else downgrade.push(pkgstr);
  }

  const prefix = ['apt-get', '-q', '-y'];
  if (req.forceConfNew) prefix.push('-o', 'DPkg::Options::=--force-confnew');
  else prefix.push('-o', 'DPkg::Options::=--force-confold', '-o', 'DPkg::Options::=--force-confdef');
  if (req.installRecommends === false) prefix.push('--no-install-recommends');
  if (req.installRecommends === true) prefix.push('--install-recommends');
  if (req.onlyUpgrade) prefix.push('--only-upgrade');
  if (req.skipVerify) prefix.push('--allow-unauthenticated');
  const heldTargets = [...targets, ...downgrade].map((t) => t.split('=')[0]).filter((n) => db.selections[n] === 'hold');
  if (heldTargets.length) prefix.push('--allow-change-held-packages');
  if (req.fromrepo) prefix.push('-t', req.fromrepo);

  for (const t of [...targets, ...downgrade]) toolArgument('package name', t);
  const cmds: string[][] = [];
  if (targets.length) cmds.push([...prefix, 'install', ...targets]);
  if (downgrade.length) cmds.push([...prefix, '--allow-downgrades', 'install', ...downgrade]);

  let changes: Record<string, VersionChange> = {};
  if (cmds.length) {
    if (req.refresh) await refreshDb({}, opts);
    for (const cmd of cmds) {
      const r = await runApt(cmd, opts);
      if (r.retcode !== 0 && r.stderr) errors.push(r.stderr);
    }
    changes = compareDicts(old, await currentList(opts));
  }
  if (errors.length) throw new AptCommandError('Problem encountered installing package(s)', { errors, changes });
  return changes;
}

/** Names from `params` present in `current`; names with `*`, `?` or `[` match as globs (Salt's match_wildcard). */
export function matchWildcard(current: Record<string, unknown>, params: readonly string[]): string[] {
  const out: string[] = [];
  const names = Object.keys(current);
  for (const p of params) {
    const hits = /[*?[]/.test(p) ? names.filter(compileFnmatch(p)) : p in current ? [p] : [];
    for (const h of hits) if (!out.includes(h)) out.push(h);
  }
  return out;
}

/** What remove/purge report: the changes, and for purge the removed-with-config changes too. */
export type RemoveChanges = Record<string, VersionChange> | { removed: Record<string, VersionChange>; installed: Record<string, VersionChange> };

/**
 * `apt-get remove` (or `purge`) the named packages that are installed (purge also those left
 * with configuration files). Returns Salt's changes: `{name: {old, new: ''}}`, and for purge
 * `{removed: ..., installed: ...}`; `{}` when nothing matched.
 * Example: `await removePackages(['sl'], 'purge')` → `{ installed: { sl: { old: '5.02-1+b1', new: '' } }, removed: {} }`.
 */
export async function removePackages(names: readonly string[], action: 'remove' | 'purge', opts: AptRunOptions = {}): Promise<RemoveChanges> {
  const db = await readPackageDb(opts);
  const old = stringifyVersions(listPkgs(db));
  const oldRemoved = stringifyVersions(listPkgs(db, { removed: true }));
  const targets = matchWildcard(old, names);
  if (action === 'purge') for (const t of matchWildcard(oldRemoved, names)) if (!targets.includes(t)) targets.push(t);
  if (!targets.length) return {};
  const r = await runApt(['apt-get', '-q', '-y', action, ...targets], opts);
  const errors = r.retcode !== 0 && r.stderr ? [r.stderr] : [];
  const after = await readPackageDb(opts);
  const changes = compareDicts(old, stringifyVersions(listPkgs(after)));
  const ret: RemoveChanges =
    action === 'purge' ? { removed: compareDicts(oldRemoved, stringifyVersions(listPkgs(after, { removed: true }))), installed: changes } : changes;
  if (errors.length) throw new AptCommandError('Problem encountered removing package(s)', { errors, changes: ret as Dict });
  return ret;
}

/** Options of refreshDb (Salt's pkg.refresh_db). */
export interface RefreshOptions {
  /** Skip the update when the lists are younger than this many seconds. */
  cacheValidTime?: number;
  /** Raise when a repository failed instead of reporting it as false. */
  failhard?: boolean;
}

/**
 * `apt-get -q update`. Returns Salt's map of repository lines: true fetched, null already
 * current, false failed or ignored. Raises with apt's error text when the update fails.
 * Example: `await refreshDb()` → `{ '<mirror> bookworm InRelease': null, ... }`.
 */
export async function refreshDb(ro: RefreshOptions = {}, opts: AptRunOptions = {}): Promise<Record<string, boolean | null>> {
  if (ro.cacheValidTime) {
    try {
      if (fs.statSync(APT_LISTS_PATH).mtimeMs + ro.cacheValidTime * 1000 > Date.now()) return {};
    } catch {
      /* no lists directory: update */
    }
  }
  const r = await runApt(['apt-get', '-q', 'update'], opts);
  if (r.retcode !== 0) throw new AptCommandError(r.stderr);
  const ret: Record<string, boolean | null> = {};
  const failed: string[] = [];
  for (const line of r.stdout.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (!cols[0]) continue;
    let ident = cols.slice(1).join(' ');
    if (cols[0].includes('Get')) {
      ident = ident.replace(/ \[.+B\]$/, '');
      ret[ident] = true;
    } else if (cols[0].includes('Ign')) ret[ident] = false;
    else if (cols[0].includes('Hit')) ret[ident] = null;
    else if (cols[0].includes('Err')) {
      ret[ident] = false;
      failed.push(ident);
    }
  }
  if (ro.failhard && failed.length) throw new AptCommandError(`Error getting repos: ${failed.join(', ')}`);
  return ret;
}

/** One package's outcome of hold/unhold, as Salt's pkg.hold returns it. */
export interface HoldResult {
  name: string;
  changes: Dict;
  result: boolean | null;
  comment: string;
}

/**
 * What hold/unhold would do to each package, from the dpkg selections (Salt's test-mode
 * results): result null where apt-mark has to run, true where nothing changes, false for
 * unhold of a package dpkg does not know.
 * Example: `predictHolds(['sl'], true, { sl: 'install' })` → `{ sl: { name: 'sl', changes: {}, result: null, comment: 'Package sl is set to be held.' } }`.
 */
export function predictHolds(names: readonly string[], hold: boolean, selections: Readonly<Record<string, string>>): Record<string, HoldResult> {
  const ret: Record<string, HoldResult> = {};
  for (const name of names) {
    const sel = selections[name];
    const r = (result: boolean | null, comment: string): HoldResult => ({ name, changes: {}, result, comment });
    if (hold) {
      ret[name] = sel === 'hold' ? r(true, `Package ${name} is already set to be held.`) : r(null, `Package ${name} is set to be held.`);
    } else if (sel === undefined) {
      ret[name] = r(false, `Package ${name} does not have a state.`);
    } else {
      ret[name] = sel === 'hold' ? r(null, `Package ${name} is set not to be held.`) : r(true, `Package ${name} is already set not to be held.`);
    }
  }
  return ret;
}

/**
 * Hold (`apt-mark hold`) or release (`apt-mark unhold`) packages, one apt-mark call for all
 * that need it, with Salt's pkg.hold/pkg.unhold results and comments ("Package x is now being
 * held.", "... is already set to be held.", "... is no longer being held.", "... does not have
 * a state."). `test` only predicts. `selections` saves reading the dpkg database again.
 * Example: `await setHolds(['sl'], true)` → `{ sl: { name: 'sl', changes: { new: 'hold', old: 'install' }, result: true, comment: 'Package sl is now being held.' } }`.
 */
export async function setHolds(
  names: readonly string[],
  hold: boolean,
  test = false,
  opts: AptRunOptions = {},
  selections?: Readonly<Record<string, string>>,
): Promise<Record<string, HoldResult>> {
  const sel = selections ?? (await readPackageDb(opts)).selections;
  const ret = predictHolds(names, hold, sel);
  const toChange = Object.values(ret).filter((r) => r.result === null).map((r) => r.name);
  if (test || !toChange.length) return ret;
  const out = await runApt(['apt-mark', hold ? 'hold' : 'unhold', ...toChange], opts);
  for (const name of toChange) {
    const r = ret[name];
    if (out.retcode !== 0) {
      Object.assign(r, { result: false, comment: `Unable to ${hold ? 'hold' : 'unhold'} package ${name}: ${out.stderr || out.stdout}` });
    } else if (hold) {
      Object.assign(r, { result: true, changes: { new: 'hold', old: sel[name] ?? null }, comment: `Package ${name} is now being held.` });
    } else {
      Object.assign(r, { result: true, changes: { new: 'install', old: 'hold' }, comment: `Package ${name} is no longer being held.` });
    }
  }
  return ret;
}
