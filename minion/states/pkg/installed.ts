/**
 * pkg.installed: make sure packages are installed (at the wanted versions), in one apt
 * transaction for a `pkgs` list; optionally hold or release them. Salt 3006's comments and
 * changes: test mode reports `{pkg: {new: installed, old: ''}}` for each target.
 *
 * Arguments: name, version, pkgs (names or `{name: version}`), fromrepo, refresh, skip_verify,
 * hold, allow_updates, ignore_epoch, install_recommends, only_upgrade, force_conf_new,
 * lock_timeout. Example:
 *
 *     tools:
 *       pkg.installed:
 *         - pkgs: [vim, {sl: 5.02-1+b1}]
 *         - hold: True
 */
import type { Dict } from '../../../common/types';
import { listPkgs, readPackageDb, type VersionMap } from '../../backends/apt/facts';
import { AptCommandError } from '../../backends/apt/errors';
import { installPackages, predictHolds, setHolds, type HoldResult } from '../../backends/apt/operations';
import type { AptRunOptions } from '../../backends/apt/runner';
import { fulfillsVersionString } from '../../backends/apt/versions';
import { stateFunction, type Applied, type StateContext } from '../contract';
import { aptRunOptions, desiredPkgText, ignoreEpochArg, installOptions, isTrue, rawPkgNames, versionArg, type Desired } from './args';
import { foldHoldsIntoSatisfied, groupHolds, mergeHoldChanges } from './hold';
import { findInstallTargets } from './install-targets';

/** What apply does: only change holds, or install the targets (then apply holds). */
type InstalledPlan =
  | { kind: 'holds'; base: string; names: string[]; hold: boolean; selections: Record<string, string> }
  | { kind: 'install'; desired: Desired; targets: Desired; refreshed: boolean };

/** Salt's _verify_install: which wanted packages are now present at a matching version. */
function verifyInstall(desired: Desired, now: VersionMap, ignoreEpoch: boolean | undefined): { ok: string[]; failed: string[] } {
  const ok: string[] = [];
  const failed: string[] = [];
  for (const [pkg, ver] of desired) {
    const cver = now[pkg.split('=')[0]];
    if (!cver?.length) failed.push(pkg);
    else if (!ver || ver === 'latest') ok.push(pkg);
    else if (ver.endsWith('*') && cver[0].startsWith(ver.slice(0, -1))) ok.push(pkg);
    else if (fulfillsVersionString(cver, ver, ignoreEpoch)) ok.push(pkg);
    else failed.push(pkg);
  }
  return { ok, failed };
}

const plural = (n: number, one: string, many: string): string => (n > 1 ? many : one);

/** Install the targets, apply holds, and word the outcome as Salt does. */
async function install(args: Dict, plan: Extract<InstalledPlan, { kind: 'install' }>, run: AptRunOptions): Promise<Applied> {
  let changes: Dict;
  try {
    changes = { ...(await installPackages({ ...installOptions(args), pkgs: [...plan.targets], refresh: isTrue(args.refresh) && !plan.refreshed }, run)) };
  } catch (e) {
    if (!(e instanceof AptCommandError)) throw e;
    const comment = e.info ? e.withoutChanges : `An error was encountered while installing package(s): ${e.message}`;
    return { result: false, changes: e.changes, comment };
  }
  const comment: string[] = [];
  let holds: { modified: HoldResult[]; notModified: HoldResult[]; failed: HoldResult[] } = { modified: [], notModified: [], failed: [] };
  if ('hold' in args) {
    try {
      holds = groupHolds(await setHolds([...plan.desired.keys()], isTrue(args.hold), false, run));
    } catch (e) {
      if (!(e instanceof AptCommandError)) throw e;
      return { result: false, changes, comment: [...comment, e.message].join('\n') };
    }
  }

  const now = listPkgs(await readPackageDb(run));
  const verified = verifyInstall(plan.desired, now, ignoreEpochArg(args.ignore_epoch));
  const modified = verified.ok.filter((p) => plan.targets.has(p));
  const notModified = verified.ok.filter((p) => !plan.targets.has(p));
  const failed = verified.failed.filter((p) => plan.targets.has(p));
  const text = (pkgs: string[]): string => pkgs.map((p) => desiredPkgText(p, plan.desired)).join(', ');

  if (modified.length) {
    const summary = text(modified);
    comment.push(
      summary.length < 20
        ? `The following packages were installed/updated: ${summary}`
        : `${modified.length} targeted package${plural(modified.length, '', 's')} ${plural(modified.length, 'was', 'were')} installed/updated.`,
    );
  }
  comment.push(...mergeHoldChanges(changes, holds.modified));
  if (notModified.length) {
    comment.push(
      notModified.length <= 20
        ? `The following packages were already installed: ${text(notModified)}`
        : `${notModified.length} targeted package${plural(notModified.length, '', 's')} ${plural(notModified.length, 'was', 'were')} already installed`,
    );
  }
  comment.push(...holds.notModified.map((h) => h.comment));
  let result = true;
  if (failed.length) {
    comment.unshift(`The following packages failed to install/update: ${text(failed)}`);
    result = false;
  }
  if (holds.failed.length) {
    comment.push(...holds.failed.map((h) => h.comment));
    result = false;
  }
  return { result, changes, comment: comment.join('\n') };
}

/** pkg.installed */
export const installed = stateFunction<InstalledPlan>({
  async check(name, args, ctx: StateContext) {
    if (Array.isArray(args.pkgs) && args.pkgs.length === 0) return { kind: 'in-state', comment: 'No packages to install provided' };
    const run = aptRunOptions(args, ctx.opts);
    const db = await readPackageDb(run);
    const found = await findInstallTargets(
      {
        name,
        version: versionArg(args.version),
        pkgs: args.pkgs,
        ignoreEpoch: ignoreEpochArg(args.ignore_epoch),
        allowUpdates: isTrue(args.allow_updates),
        refresh: isTrue(args.refresh),
        fromrepo: installOptions(args).fromrepo,
      },
      db,
      run,
    );
    if (found.kind === 'error') return { kind: 'invalid', comment: found.comment };
    if (found.kind === 'satisfied') {
      if (!('hold' in args)) return { kind: 'in-state', comment: found.comment };
      const names = rawPkgNames(name, args.pkgs);
      const hold = isTrue(args.hold);
      const predicted = predictHolds(names, hold, db.selections);
      const folded = foldHoldsIntoSatisfied(found.comment, predicted);
      if (Object.values(predicted).some((r) => r.result === null)) {
        return { kind: 'drift', changes: {}, testComment: folded.comment, plan: { kind: 'holds', base: found.comment, names, hold, selections: db.selections } };
      }
      if (folded.result === false) return { kind: 'invalid', comment: folded.comment };
      return { kind: 'in-state', comment: folded.comment };
    }
    const changes: Dict = {};
    for (const pkg of found.targets.keys()) changes[pkg] = { new: 'installed', old: '' };
    return {
      kind: 'drift',
      changes,
      testComment: `The following packages would be installed/updated: ${[...found.targets.keys()].join(', ')}`,
      plan: { kind: 'install', desired: found.desired, targets: found.targets, refreshed: found.refreshed },
    };
  },

  async apply(name, args, ctx, plan) {
    const run = aptRunOptions(args, ctx.opts);
    if (plan.kind === 'install') return install(args, plan, run);
    try {
      const folded = foldHoldsIntoSatisfied(plan.base, await setHolds(plan.names, plan.hold, false, run, plan.selections));
      return { result: folded.result !== false, changes: folded.changes, comment: folded.comment };
    } catch (e) {
      if (!(e instanceof AptCommandError)) throw e;
      return { result: false, changes: {}, comment: e.message };
    }
  },
});
