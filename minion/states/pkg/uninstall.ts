/**
 * pkg.removed and pkg.purged (Salt's _uninstall): remove installed packages (only those at a
 * matching version when one is given); purged also clears packages left with configuration
 * files. Salt 3006's comments; test mode reports `{pkg: {new: removed|purged, old: ''}}`.
 *
 * Arguments: name, version, pkgs, ignore_epoch, lock_timeout. Example:
 *
 *     old-tools:
 *       pkg.purged:
 *         - pkgs: [sl, {hello: 2.10-3}]
 */
import type { Dict } from '../../../common/types';
import { AptCommandError } from '../../backends/apt/errors';
import { listPkgs, nativeArch, readPackageDb, type PackageDb } from '../../backends/apt/facts';
import { removePackages } from '../../backends/apt/operations';
import { fulfillsVersionString } from '../../backends/apt/versions';
import { stateFunction, type CheckOutcome, type StateFunction } from '../contract';
import { aptRunOptions, desiredFromName, ignoreEpochArg, normalizeName, repackPkgs, versionArg, type Desired } from './args';

type Action = 'remove' | 'purge';

interface UninstallPlan {
  /** The packages named (Salt's pkg_params), passed on to apt. */
  params: string[];
  targets: string[];
}

/** Salt's parse_targets: the `pkgs` names, or the comma-separated names in `name`. */
async function targetParams(name: string, pkgs: unknown): Promise<string[] | undefined> {
  if (Array.isArray(pkgs) && pkgs.length) {
    const repacked = await repackPkgs(pkgs);
    return repacked ? [...repacked.keys()] : undefined;
  }
  const arch = await nativeArch();
  return name.split(',').map((n) => normalizeName(n, arch));
}

/** Salt's _find_remove_targets: installed packages to remove, or the reason there are none. */
async function findRemoveTargets(name: string, args: Dict, db: PackageDb): Promise<string[] | { result: boolean; comment: string }> {
  const cur = listPkgs(db);
  let toRemove: Desired | undefined;
  if (Array.isArray(args.pkgs) && args.pkgs.length) {
    toRemove = await repackPkgs(args.pkgs);
    if (!toRemove?.size) return { result: false, comment: 'Invalidly formatted pkgs parameter. See minion log.' };
  } else toRemove = await desiredFromName(name, versionArg(args.version));
  let versionSpec = false;
  const targets: string[] = [];
  for (const [pkg, ver] of toRemove) {
    const cver = cur[pkg] ?? [];
    if (!cver.length) continue;
    if (ver === null) {
      targets.push(pkg);
      continue;
    }
    versionSpec = true;
    if (fulfillsVersionString(cver, ver, ignoreEpochArg(args.ignore_epoch))) targets.push(pkg);
  }
  if (!targets.length) {
    return { result: true, comment: `All specified packages${versionSpec ? ' (matching specified versions)' : ''} are already absent` };
  }
  return targets;
}

function uninstall(action: Action): StateFunction<UninstallPlan> {
  const done = `${action}d`;
  return stateFunction<UninstallPlan>({
    async check(name, args, ctx): Promise<CheckOutcome<UninstallPlan>> {
      const params = await targetParams(name, args.pkgs);
      if (!params) return { kind: 'invalid', comment: 'Invalidly formatted pkgs parameter. See minion log.' };
      const db = await readPackageDb(aptRunOptions(args, ctx.opts));
      const found = await findRemoveTargets(name, args, db);
      let targets: string[];
      if (!Array.isArray(found)) {
        if (action !== 'purge') return found.result ? { kind: 'in-state', comment: found.comment } : { kind: 'invalid', comment: found.comment };
        targets = [];
      } else targets = found;
      if (action === 'purge') for (const p of params) if (p in db.removed && !targets.includes(p)) targets.push(p);
      targets.sort();
      if (!targets.length) {
        return { kind: 'in-state', comment: `None of the targeted packages are installed${action === 'purge' ? ' or partially installed' : ''}` };
      }
      const changes: Dict = {};
      for (const t of targets) changes[t] = { new: done, old: '' };
      return { kind: 'drift', changes, testComment: `The following packages will be ${done}: ${targets.join(', ')}.`, plan: { params, targets } };
    },

    async apply(_name, args, ctx, plan) {
      const run = aptRunOptions(args, ctx.opts);
      let changes: Dict;
      try {
        changes = (await removePackages(plan.params, action, run)) as Dict;
      } catch (e) {
        if (!(e instanceof AptCommandError)) throw e;
        const verb = action === 'purge' ? 'purging' : 'removing';
        return { result: false, changes: e.changes, comment: e.info ? e.withoutChanges : `An error was encountered while ${verb} package(s): ${e.message}` };
      }
      const after = await readPackageDb(run);
      const now = listPkgs(after);
      const failed = plan.params.filter((p) => p in now);
      if (action === 'purge') failed.push(...plan.params.filter((p) => p in after.removed));
      failed.sort();
      if (failed.length) return { result: false, changes, comment: `The following packages failed to ${action}: ${failed.join(', ')}.` };
      const notInstalled = plan.params.filter((p) => !plan.targets.includes(p)).sort();
      const comment = notInstalled.length
        ? `The following packages were not installed: ${notInstalled.join(', ')} The following packages were ${done}: ${plan.targets.join(', ')}.`
        : `All targeted packages were ${done}.`;
      return { result: true, changes, comment };
    },
  });
}

/** pkg.removed */
export const removed = uninstall('remove');
/** pkg.purged */
export const purged = uninstall('purge');
