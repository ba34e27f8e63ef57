/**
 * Reading pkg state arguments as Salt does: `pkgs` lists (names or one-key `{name: version}`
 * mappings, Salt's _repack_pkgs), truthiness (salt.utils.data.is_true), versions as strings,
 * architecture suffixes, and the apt options and lock timeout shared by every pkg function.
 */
import type { Dict } from '../../../common/types';
import { pyStr } from '../../../common/python/repr';
import { nativeArch } from '../../backends/apt/facts';
import { DEFAULT_LOCK_TIMEOUT } from '../../backends/apt/lock';
import type { InstallRequest } from '../../backends/apt/operations';
import type { AptRunOptions } from '../../backends/apt/runner';

/** Package name → version specification (null: any version), in the order given. */
export type Desired = Map<string, string | null>;

/** Salt's is_true: numbers above zero, the string "true" (any case, or a number), else Python truthiness. */
export function isTrue(value: unknown): boolean {
  if (typeof value === 'number') return value > 0;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const n = Number(value.trim());
    if (value.trim() !== '' && !Number.isNaN(n)) return n > 0;
    return value.toLowerCase() === 'true';
  }
  if (Array.isArray(value)) return value.length > 0;
  if (value && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

/** A version argument as Salt's str(): null when unset. */
export function versionArg(value: unknown): string | null {
  return value === null || value === undefined ? null : pyStr(value);
}

/** Salt's ignore_epoch: unset (undefined) or a boolean. */
export function ignoreEpochArg(value: unknown): boolean | undefined {
  return value === null || value === undefined ? undefined : isTrue(value);
}

/** Strip `:<arch>` from a name when it is the native architecture, `all` or `any` (Salt's normalize_name). */
export function normalizeName(name: string, arch: string): string {
  const i = name.lastIndexOf(':');
  if (i < 0) return name;
  const a = name.slice(i + 1);
  return a === arch || a === 'all' || a === 'any' ? name.slice(0, i) : name;
}

/**
 * Salt's _repack_pkgs: `pkgs` as an ordered name → version map, names normalized. Undefined
 * when the list is malformed (not a list, a mapping with several keys, a nested list...).
 * Example: `await repackPkgs(['vim', { sl: '5.02-1+b1' }])` → Map { vim → null, sl → '5.02-1+b1' }.
 */
export async function repackPkgs(pkgs: unknown): Promise<Desired | undefined> {
  if (!Array.isArray(pkgs)) return undefined;
  const arch = await nativeArch();
  const out: Desired = new Map();
  const scalar = (v: unknown): boolean => typeof v === 'string' || typeof v === 'number';
  for (const el of pkgs) {
    if (scalar(el)) continue;
    if (el === null || typeof el !== 'object' || Array.isArray(el) || Object.keys(el).length !== 1) return undefined;
  }
  for (const el of pkgs) {
    if (scalar(el)) out.set(normalizeName(pyStr(el), arch), null);
    else {
      const [[k, v]] = Object.entries(el as Dict);
      out.set(normalizeName(k, arch), v === null || v === undefined ? null : pyStr(v));
    }
  }
  return out;
}

/** A single `name` (with its version) as the desired map, name normalized. */
export async function desiredFromName(name: string, version: string | null): Promise<Desired> {
  return new Map([[normalizeName(name, await nativeArch()), version]]);
}

/** The names in a raw `pkgs` list (first key of each mapping), or `[name]` without one. */
export function rawPkgNames(name: string, pkgs: unknown): string[] {
  if (!Array.isArray(pkgs) || !pkgs.length) return [name];
  return pkgs.map((p) => (p !== null && typeof p === 'object' && !Array.isArray(p) ? Object.keys(p)[0] : pyStr(p)));
}

/**
 * How long to wait for the apt/dpkg lock: the state's `lock_timeout`, else the minion option
 * `apt_lock_timeout`, else 300 seconds.
 */
export function aptRunOptions(args: Dict, opts: Dict): AptRunOptions {
  for (const v of [args.lock_timeout, opts.apt_lock_timeout]) {
    const n = typeof v === 'string' ? Number(v) : v;
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0) return { lockTimeout: n };
  }
  return { lockTimeout: DEFAULT_LOCK_TIMEOUT };
}

/** The apt-get options of pkg.installed/pkg.latest (and pkg.install): fromrepo, skip_verify, ... */
export function installOptions(args: Dict): Omit<InstallRequest, 'pkgs'> {
  const opt: Omit<InstallRequest, 'pkgs'> = {
    fromrepo: args.fromrepo === null || args.fromrepo === undefined || args.fromrepo === '' ? undefined : pyStr(args.fromrepo),
    skipVerify: isTrue(args.skip_verify),
    onlyUpgrade: isTrue(args.only_upgrade),
    forceConfNew: isTrue(args.force_conf_new),
    ignoreEpoch: isTrue(args.ignore_epoch),
  };
  if (!opt.fromrepo && args.repo) opt.fromrepo = pyStr(args.repo);
  if ('install_recommends' in args) opt.installRecommends = isTrue(args.install_recommends);
  return opt;
}

/** Salt's _get_desired_pkg: `name=version` (or `name>=version`, or just `name`) for comments. */
export function desiredPkgText(name: string, desired: Desired): string {
  const v = desired.get(name) ?? null;
  const oper = !v || /^[<>=]/.test(v) ? '' : '=';
  return `${name}${oper}${v ?? ''}`;
}
