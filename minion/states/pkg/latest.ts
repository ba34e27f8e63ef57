/**
 * pkg.latest: install packages, or upgrade them to apt's candidate version. Salt 3006's
 * comments; test mode lists what would be installed/upgraded (changes empty, as in 3006).
 * With `refresh: True` the lists are updated before comparing, in test mode too (as Salt).
 *
 * Arguments: name, pkgs, fromrepo, refresh, skip_verify, install_recommends, only_upgrade,
 * force_conf_new, lock_timeout. Example:
 *
 *     vim:
 *       pkg.latest:
 *         - refresh: True
 */
import type { Dict } from '../../../common/types';
import { AptCommandError } from '../../backends/apt/errors';
import { candidates, listPkgs, readPackageDb, stringifyVersions, upgradeCandidates } from '../../backends/apt/facts';
import { installPackages, refreshDb } from '../../backends/apt/operations';
import { stateFunction } from '../contract';
import { aptRunOptions, installOptions, isTrue, repackPkgs } from './args';

interface LatestPlan {
  /** Package → the version it will be upgraded to. */
  targets: Record<string, string>;
  upToDate: string[];
}

const sorted = (xs: Iterable<string>): string[] => [...xs].sort();

function upToDateText(upToDate: string[], past: boolean): string {
  if (upToDate.length <= 10) return `The following packages were already up-to-date: ${sorted(upToDate).join(', ')}`;
  return `${upToDate.length} packages were already up-to-date${past ? ' ' : ''}`;
}

/** Salt's comments once pkg.install returned `changes` for the targets. */
function outcome(plan: LatestPlan, changes: Dict): { result: boolean; comment: string } {
  const targets = Object.keys(plan.targets);
  if (Object.keys(changes).length) {
    const failed = targets.filter((x) => {
      const c = changes[x] as { new?: unknown } | undefined;
      if (!c) return true;
      return c.new !== null && c.new !== undefined && !String(c.new).split(',').includes(plan.targets[x]) && plan.targets[x] !== 'latest';
    });
    const ok = targets.filter((x) => !failed.includes(x));
    const comments: string[] = [];
    if (failed.length) comments.push(`The following packages failed to update: ${sorted(failed).join(', ')}`);
    if (ok.length) comments.push(`The following packages were successfully installed/upgraded: ${sorted(ok).join(', ')}`);
    if (plan.upToDate.length) comments.push(upToDateText(plan.upToDate, true));
    return { result: !failed.length, comment: comments.join(' ') };
  }
  let comment: string;
  if (targets.length > 10) comment = `${targets.length} targeted packages failed to update. See debug log for details.`;
  else if (targets.length > 1) comment = `The following targeted packages failed to update. See debug log for details: (${sorted(targets).join(', ')}).`;
  else comment = `Package ${targets[0]} failed to update.`;
  if (plan.upToDate.length) {
    comment += plan.upToDate.length <= 10 ? ` ${upToDateText(plan.upToDate, false)}` : `${plan.upToDate.length} packages were already up-to-date`;
  }
  return { result: false, comment };
}

/** pkg.latest */
export const latest = stateFunction<LatestPlan>({
  async check(name, args, ctx) {
    if (args.sources) return { kind: 'invalid', comment: 'The "sources" parameter is not supported.' };
    let desired: string[];
    if (Array.isArray(args.pkgs) && args.pkgs.length) {
      const repacked = await repackPkgs(args.pkgs);
      if (!repacked?.size) return { kind: 'invalid', comment: 'Invalidly formatted "pkgs" parameter. See minion log.' };
      desired = [...repacked.keys()];
    } else if (Array.isArray(args.pkgs)) {
      return { kind: 'in-state', comment: 'No packages to install provided' };
    } else desired = [name];

    const run = aptRunOptions(args, ctx.opts);
    let avail: Record<string, string>;
    let cur: Record<string, string>;
    try {
      if (isTrue(args.refresh)) await refreshDb({}, run);
      const installed = listPkgs(await readPackageDb(run));
      avail = upgradeCandidates(desired, installed, await candidates(desired, installOptions(args).fromrepo, run));
      const current = stringifyVersions(installed);
      cur = Object.fromEntries(desired.map((d) => [d, current[d] ?? '']));
    } catch (e) {
      if (!(e instanceof AptCommandError)) throw e;
      return { kind: 'invalid', comment: `An error was encountered while checking the newest available version of package(s): ${e.message}` };
    }

    const targets: Record<string, string> = {};
    const problems: string[] = [];
    for (const pkg of desired) {
      if (avail[pkg]) targets[pkg] = avail[pkg];
      else if (!cur[pkg]) problems.push(`No information found for '${pkg}'.`);
    }
    if (problems.length) return { kind: 'invalid', comment: problems.join(' ') };

    if (!Object.keys(targets).length) {
      let comment: string;
      if (desired.length > 10) comment = `All ${desired.length} packages are up-to-date.`;
      else if (desired.length > 1) comment = `All packages are up-to-date (${sorted(desired).join(', ')}).`;
      else comment = `Package ${desired[0]} is already up-to-date`;
      return { kind: 'in-state', comment };
    }
    const upToDate = Array.isArray(args.pkgs) ? desired.filter((x) => !(x in targets)) : [];
    const comments = [`The following packages would be installed/upgraded: ${sorted(Object.keys(targets)).join(', ')}`];
    if (upToDate.length) {
      comments.push(
        upToDate.length <= 10
          ? `The following packages are already up-to-date: ${sorted(upToDate).map((x) => `${x} (${cur[x]})`).join(', ')}`
          : `${upToDate.length} packages are already up-to-date`,
      );
    }
    return { kind: 'drift', changes: {}, testComment: comments.join('\n'), plan: { targets, upToDate } };
  },

  async apply(_name, args, ctx, plan) {
    const run = aptRunOptions(args, ctx.opts);
    let changes: Dict;
    try {
      changes = await installPackages({ ...installOptions(args), pkgs: Object.keys(plan.targets).map((t) => [t, null] as const), refresh: false }, run);
    } catch (e) {
      if (!(e instanceof AptCommandError)) throw e;
      return { result: false, changes: {}, comment: `An error was encountered while installing package(s): ${e.message}` };
    }
    return { ...outcome(plan, changes), changes };
  },
});
