/**
 * pip.removed: a Python package not installed (pip uninstall) in the system's python3 or
 * the environment of `bin_env`.
 *
 * Example:
 *
 *     old-client:
 *       pip.removed:
 *         - name: python-novaclient
 *         - bin_env: /srv/venv
 *
 * Arguments: name, requirements (also uninstall what these files list), bin_env, user,
 * cwd, env_vars, log, proxy, timeout.
 */
import type { Dict } from '../../../common/types';
import {
  installedPackages,
  localRequirements,
  PipError,
  uninstallArgs,
  uninstallOptionsOf,
  uninstallPackages,
  type InstalledPackage,
  type PipTarget,
} from '../../backends/pip';
import type { CmdResult } from '../cmd/runner';
import { stateFunction, type Applied, type CheckOutcome, type StateContext } from '../contract';
import { pipTargetOf, requirementsOf } from './args';
import { findInstalled } from './satisfied';

/** What check learned for apply. */
export interface RemovedPlan {
  target: PipTarget;
}

async function check(name: string, args: Dict): Promise<CheckOutcome<RemovedPlan>> {
  let target: PipTarget;
  let listed: InstalledPackage[];
  try {
    target = pipTargetOf(args);
    uninstallArgs([name], [], uninstallOptionsOf(args));
    listed = await installedPackages(target);
  } catch (e) {
    return { kind: 'invalid', comment: `Error uninstalling '${name}': ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!findInstalled(listed, name)) return { kind: 'in-state', comment: 'Package is not installed.' };
  return { kind: 'drift', changes: {}, testComment: `Package ${name} is set to be removed`, plan: { target } };
}

async function apply(name: string, args: Dict, ctx: StateContext, plan: RemovedPlan): Promise<Applied> {
  let r: CmdResult;
  try {
    const local = localRequirements(requirementsOf(args), ctx.files, ctx.saltenv, plan.target.user);
    try {
      r = await uninstallPackages(plan.target, [name], local.paths, uninstallOptionsOf(args));
    } finally {
      local.cleanup();
    }
  } catch (e) {
    if (!(e instanceof PipError)) throw e;
    r = { pid: 0, retcode: 1, stdout: '', stderr: e.message };
  }
  if (r.retcode === 0) return { result: true, changes: { [name]: 'Removed' }, comment: 'Package was successfully removed.' };
  return { result: false, changes: {}, comment: `Could not remove package.${r.stderr ? ` Error: ${r.stderr}` : ''}` };
}

/** Salt's pip.removed. */
export const removed = stateFunction<RemovedPlan>({ check, apply });
