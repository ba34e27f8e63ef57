/**
 * `pkg.*` execution functions over apt/dpkg with Salt's aptpkg return shapes: list_pkgs
 * `{name: version}`, version (a string for one name, a dict for several), install/remove/purge
 * `{name: {old, new}}`, refresh_db, latest_version, hold/unhold, version_cmp.
 */
import type { Dict } from '../../common/types';
import { pyStr } from '../../common/python/repr';
import { compileFnmatch } from '../../common/match/fnmatch';
import { candidates, listPkgs, nativeArch, readPackageDb, stringifyVersions, upgradeCandidates, type VersionMap } from '../backends/apt/facts';
import { installPackages, refreshDb, removePackages, setHolds } from '../backends/apt/operations';
import type { AptRunOptions } from '../backends/apt/runner';
import { compareDebVersions } from '../backends/apt/versions';
import { aptRunOptions, installOptions, isTrue, normalizeName, repackPkgs, versionArg } from '../states/pkg/args';
import { plain, type ExecFunction } from './contract';
import type { MinionRuntime } from '../runtime';

/** A Salt argument given by position or by keyword. */
function arg(args: unknown[], kwargs: Dict, index: number, key: string): unknown {
  return kwargs[key] !== undefined ? kwargs[key] : args[index];
}

function runOpts(kwargs: Dict, m: MinionRuntime): AptRunOptions {
  return aptRunOptions(kwargs, m.config.raw);
}

/** A list_pkgs-style map, versions joined by commas unless `versions_as_list`. */
function shaped(map: VersionMap, kwargs: Dict): Dict {
  return isTrue(kwargs.versions_as_list) ? { ...map } : stringifyVersions(map);
}

/** Salt's parse_targets: `pkgs` (names or `{name: version}`), else the comma-separated `name`. */
async function parseTargets(name: unknown, pkgs: unknown, version: string | null): Promise<Array<[string, string | null]>> {
  if (pkgs !== undefined && pkgs !== null && !(Array.isArray(pkgs) && !pkgs.length)) {
    const repacked = await repackPkgs(pkgs);
    return repacked ? [...repacked] : [];
  }
  if (name === undefined || name === null || name === '') return [];
  const arch = await nativeArch();
  const names = pyStr(name).split(',').map((n) => normalizeName(n, arch));
  return names.map((n) => [n, names.length === 1 ? version : null]);
}

async function latestVersion(args: unknown[], kwargs: Dict, m: MinionRuntime): Promise<unknown> {
  const names = args.map(pyStr);
  if (!names.length) return '';
  const run = runOpts(kwargs, m);
  if (kwargs.repo !== undefined) throw new Error("The 'repo' argument is invalid, use 'fromrepo' instead");
  if (isTrue(kwargs.refresh ?? true)) await refreshDb({ cacheValidTime: Number(kwargs.cache_valid_time ?? 0) || 0 }, run);
  const installed = listPkgs(await readPackageDb(run));
  const fromrepo = kwargs.fromrepo ? pyStr(kwargs.fromrepo) : undefined;
  const ret = upgradeCandidates(names, installed, await candidates(names, fromrepo, run), isTrue(kwargs.show_installed));
  return names.length === 1 ? ret[names[0]] : ret;
}

async function holdOrUnhold(hold: boolean, args: unknown[], kwargs: Dict, m: MinionRuntime): Promise<unknown> {
  const name = arg(args, kwargs, 0, 'name');
  const pkgs = arg(args, kwargs, 1, 'pkgs');
  if (!name && !pkgs && !kwargs.sources) throw new Error('One of name, pkgs, or sources must be specified.');
  if (pkgs && kwargs.sources) throw new Error('Only one of pkgs or sources can be specified.');
  const list = Array.isArray(pkgs) && pkgs.length ? pkgs : [name];
  const names = list.map((p) => (p !== null && typeof p === 'object' ? Object.keys(p)[0] : pyStr(p)));
  return setHolds(names, hold, isTrue(kwargs.test), runOpts(kwargs, m));
}

async function uninstall(action: 'remove' | 'purge', args: unknown[], kwargs: Dict, m: MinionRuntime): Promise<unknown> {
  const targets = await parseTargets(arg(args, kwargs, 0, 'name'), arg(args, kwargs, 1, 'pkgs'), null);
  if (!targets.length) return {};
  return removePackages(targets.map(([n]) => n), action, runOpts(kwargs, m));
}

/** The registry of pkg functions. */
export const pkgFunctions: Record<string, ExecFunction> = {
  'pkg.list_pkgs': async (_args, kwargs, m) => {
    const db = await readPackageDb(runOpts(kwargs, m));
    return plain(shaped(listPkgs(db, { removed: isTrue(kwargs.removed), purgeDesired: isTrue(kwargs.purge_desired) }), kwargs));
  },

  'pkg.version': async (args, kwargs, m) => {
    const names = args.map(pyStr);
    if (!names.length) return plain({});
    const pkgs = listPkgs(await readPackageDb(runOpts(kwargs, m)));
    const found: VersionMap = {};
    let glob = false;
    for (const n of names) {
      if (n.includes('*')) {
        glob = true;
        for (const hit of Object.keys(pkgs).filter(compileFnmatch(n))) found[hit] = pkgs[hit];
      } else found[n] = pkgs[n] ?? [];
    }
    const out = shaped(found, kwargs);
    const keys = Object.keys(out);
    return plain(keys.length === 1 && !glob ? out[keys[0]] : out);
  },

  'pkg.latest_version': async (args, kwargs, m) => plain(await latestVersion(args, kwargs, m)),
  'pkg.available_version': async (args, kwargs, m) => plain(await latestVersion(args, kwargs, m)),
  'pkg.upgrade_available': async (args, kwargs, m) => plain((await latestVersion(args.slice(0, 1), kwargs, m)) !== ''),

  'pkg.install': async (args, kwargs, m) => {
    const targets = await parseTargets(arg(args, kwargs, 0, 'name'), arg(args, kwargs, 5, 'pkgs'), versionArg(kwargs.version));
    if (!targets.length) return plain({});
    const opts = installOptions({ ...kwargs, fromrepo: arg(args, kwargs, 2, 'fromrepo'), skip_verify: arg(args, kwargs, 3, 'skip_verify') });
    const refresh = isTrue(arg(args, kwargs, 1, 'refresh'));
    return plain(await installPackages({ ...opts, pkgs: targets, refresh }, runOpts(kwargs, m)));
  },

  'pkg.remove': async (args, kwargs, m) => plain(await uninstall('remove', args, kwargs, m)),
  'pkg.purge': async (args, kwargs, m) => plain(await uninstall('purge', args, kwargs, m)),

  'pkg.refresh_db': async (args, kwargs, m) => {
    const cacheValidTime = Number(arg(args, kwargs, 0, 'cache_valid_time') ?? 0) || 0;
    return plain(await refreshDb({ cacheValidTime, failhard: isTrue(arg(args, kwargs, 1, 'failhard')) }, runOpts(kwargs, m)));
  },

  'pkg.hold': async (args, kwargs, m) => plain(await holdOrUnhold(true, args, kwargs, m)),
  'pkg.unhold': async (args, kwargs, m) => plain(await holdOrUnhold(false, args, kwargs, m)),

  'pkg.version_cmp': (args, kwargs) => {
    const a = pyStr(arg(args, kwargs, 0, 'pkg1') ?? '');
    const b = pyStr(arg(args, kwargs, 1, 'pkg2') ?? '');
    return plain(compareDebVersions(a, b, isTrue(arg(args, kwargs, 2, 'ignore_epoch'))) ?? null);
  },
};
