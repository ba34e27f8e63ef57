/**
 * pip.installed: Python packages installed with pip, in the system's python3 or in the
 * environment of `bin_env` (a virtualenv directory, a python binary or a pip binary).
 *
 * Example:
 *
 *     django:
 *       pip.installed:
 *         - name: django >= 1.6, <= 1.7
 *         - bin_env: /srv/venv
 *         - index_url: https://pypi.example.org/simple
 *
 *     app-deps:
 *       pip.installed:
 *         - requirements: salt://app/requirements.txt
 *         - bin_env: /srv/venv/bin/python3
 *         - user: app
 *
 * Arguments: name (a requirement specifier), pkgs (list of specifiers or `{name: spec}`),
 * requirements (path or salt://, list or comma-separated), editable, bin_env (pip_bin),
 * index_url, extra_index_url, find_links, no_index, trusted_host, upgrade, force_reinstall,
 * ignore_installed, no_deps, pre_releases, env_vars, user, cwd, log, proxy, timeout, cert,
 * target, cache_dir, no_cache_dir, no_binary, exists_action, install_options,
 * global_options, extra_args (and Salt's older pip options, passed through to pip).
 *
 * The environment's packages are read once per check (`pip list`); packages already
 * satisfied are left alone. A requirements file is always handed to pip, as in Salt; it
 * counts as a change only when pip installed something.
 */
import type { Dict } from '../../../common/types';
import {
  compareVersions,
  firstMissingRequirements,
  installArgs,
  installedPackages,
  installOptionsOf,
  installPackages,
  localRequirements,
  missingRequirementsMessage,
  parseRequirement,
  PipError,
  RequirementError,
  truthy,
  type InstalledPackage,
  type InstallOptions,
  type PipTarget,
  type Requirement,
} from '../../backends/pip';
import type { CmdResult } from '../cmd/runner';
import { stateFunction, type Applied, type CheckOutcome, type StateContext } from '../contract';
import { editableShown, pipTargetOf, requestedPackages, requirementsOf, requirementsShown } from './args';
import { alreadySatisfied, findInstalled } from './satisfied';
import { installedChanges, successfullyInstalled } from './outcome';

/** What check learned for apply. */
export interface InstalledPlan {
  target: PipTarget;
  options: InstallOptions;
  pipVer: string | null;
  /** Requirements files / editable installs (always run) instead of named packages. */
  requirementsMode: boolean;
  /** The requested packages that are not satisfied yet. */
  missing: Requirement[];
  /** Salt's "was already installed" comments of the satisfied ones. */
  alreadyInstalled: string[];
  before: InstalledPackage[];
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Salt refuses pip options the detected pip no longer (or not yet) has. */
function versionGate(args: Dict, pipVer: string | null): string | undefined {
  if (pipVer === null) return undefined;
  for (const opt of ['use_wheel', 'no_use_wheel']) {
    if (truthy(args[opt]) && (compareVersions(pipVer, '1.4') < 0 || compareVersions(pipVer, '9.0.3') > 0)) {
      return `The '${opt}' option is only supported in pip between 1.4 and 9.0.3. The version of pip detected was ${pipVer}.`;
    }
  }
  if (truthy(args.no_binary) && compareVersions(pipVer, '7.0.0') < 0) {
    return `The 'no_binary' option is only supported in pip 7.0.0 and newer. The version of pip detected was ${pipVer}.`;
  }
  return undefined;
}

function allInstalledComment(already: string[], upgrade: boolean): string {
  const last = `All specified packages are already installed${upgrade ? ' and up-to-date' : ''}`;
  return already.length ? `${already.join('\n')}\n${last}` : last;
}

function toInstallComment(requested: Requirement[], missing: Requirement[]): string {
  if (requested.length > 1) return `Python package(s) set to be installed:${requested.map((r) => `\n${r.text}`).join('')}`;
  return `Python package ${missing[0].text} is set to be installed`;
}

function requirementsCheck(args: Dict, ctx: StateContext, plan: InstalledPlan): CheckOutcome<InstalledPlan> {
  const reqs = requirementsOf(args);
  const missing = firstMissingRequirements(reqs, ctx.files, ctx.saltenv);
  if (missing) {
    return { kind: 'invalid', comment: `Unable to process requirements file "${requirementsShown(args)}" Error: ${missingRequirementsMessage(missing)}` };
  }
  const comments: string[] = [];
  if (reqs.length) comments.push(`Requirements file '${requirementsShown(args)}' will be processed.`);
  if (plan.options.editable?.length) {
    comments.push(`Package will be installed in editable mode (i.e. setuptools "develop mode") from ${editableShown(args)}.`);
  }
  return { kind: 'drift', changes: {}, testComment: comments.join(' '), plan };
}

async function check(name: string, args: Dict, ctx: StateContext): Promise<CheckOutcome<InstalledPlan>> {
  const pkgs = requestedPackages(name, args);
  if (!pkgs) return { kind: 'invalid', comment: 'pkgs argument must be formatted as a list' };
  let target: PipTarget;
  let before: InstalledPackage[];
  try {
    target = pipTargetOf(args);
    before = await installedPackages(target);
  } catch (e) {
    return { kind: 'invalid', comment: `Error installing '${name}': ${message(e)}` };
  }
  const pipVer = findInstalled(before, 'pip')?.version ?? null;
  const gate = versionGate(args, pipVer);
  if (gate) return { kind: 'invalid', comment: gate };
  const options = installOptionsOf(args);
  const reqs = requirementsOf(args);
  try {
    installArgs(pkgs, reqs, options, pipVer);
  } catch (e) {
    if (e instanceof PipError) return { kind: 'invalid', comment: e.message };
    throw e;
  }
  const plan: InstalledPlan = { target, options, pipVer, requirementsMode: false, missing: [], alreadyInstalled: [], before };
  if (reqs.length || options.editable?.length) return requirementsCheck(args, ctx, { ...plan, requirementsMode: true });

  const requested: Requirement[] = [];
  const errors: string[] = [];
  for (const p of pkgs) {
    try {
      requested.push(parseRequirement(p));
    } catch (e) {
      if (!(e instanceof RequirementError)) throw e;
      errors.push(e.message);
    }
  }
  if (errors.length) return { kind: 'invalid', comment: errors.join('\n') };

  const flags = { upgrade: !!options.upgrade, forceReinstall: !!options.forceReinstall, ignoreInstalled: !!options.ignoreInstalled };
  for (const req of requested) {
    const ok = await alreadySatisfied(req, before, flags, target, options);
    if (ok === undefined) plan.missing.push(req);
    else plan.alreadyInstalled.push(ok);
  }
  if (!plan.missing.length) return { kind: 'in-state', comment: allInstalledComment(plan.alreadyInstalled, flags.upgrade) };
  return { kind: 'drift', changes: {}, testComment: toInstallComment(requested, plan.missing), plan };
}

async function applyRequirements(args: Dict, ctx: StateContext, plan: InstalledPlan): Promise<Applied> {
  const reqs = requirementsOf(args);
  const editable = plan.options.editable ?? [];
  let r: CmdResult;
  try {
    const local = localRequirements(reqs, ctx.files, ctx.saltenv, plan.target.user);
    try {
      r = await installPackages(plan.target, [], local.paths, plan.options, plan.pipVer);
    } finally {
      local.cleanup();
    }
  } catch (e) {
    if (!(e instanceof PipError)) throw e;
    r = { pid: 0, retcode: 1, stdout: '', stderr: e.message };
  }
  const comments: string[] = [];
  const changes: Dict = {};
  if (r.retcode !== 0) {
    if (reqs.length) comments.push(`Unable to process requirements file "${requirementsShown(args)}"`);
    if (editable.length) comments.push(`Unable to install from VCS checkout ${editableShown(args)}.`);
    comments.push(`Error: ${r.stdout} ${r.stderr}`);
    return { result: false, changes, comment: comments.join(' ') };
  }
  if (reqs.length) {
    if (successfullyInstalled(r.stdout).size) {
      changes.requirements = true;
      comments.push(`Successfully processed requirements file ${requirementsShown(args)}.`);
    } else comments.push('Requirements were already installed.');
  }
  if (editable.length) {
    comments.push(`Package successfully installed from VCS checkout ${editableShown(args)}.`);
    changes.editable = true;
  }
  return { result: true, changes, comment: comments.join(' ') };
}

async function applyPackages(plan: InstalledPlan): Promise<Applied> {
  const already = plan.alreadyInstalled.length ? `${plan.alreadyInstalled.join('\n')}\n` : '';
  let r: CmdResult;
  try {
    r = await installPackages(plan.target, plan.missing.map((m) => m.text), [], plan.options, plan.pipVer);
  } catch (e) {
    if (!(e instanceof PipError)) throw e;
    r = { pid: 0, retcode: 1, stdout: '', stderr: e.message };
  }
  if (r.retcode !== 0) {
    const names = plan.missing.map((m) => m.text).join(', ');
    return { result: false, changes: {}, comment: `${already}Failed to install packages: ${names}. Error: ${r.stdout} ${r.stderr}` };
  }
  let after: InstalledPackage[];
  try {
    after = await installedPackages(plan.target);
  } catch (e) {
    return { result: false, changes: {}, comment: `${already}Error installing '${plan.missing.map((m) => m.text).join(', ')}': ${message(e)}` };
  }
  const { changes, notFound } = installedChanges(plan.missing, plan.before, after, r.stdout);
  const summary = notFound.length ? notFound.join('\n') : 'All packages were successfully installed';
  return { result: true, changes, comment: `${already}${summary}` };
}

/** Salt's pip.installed. */
export const installed = stateFunction<InstalledPlan>({
  check,
  apply: (_name, args, ctx, plan) => (plan.requirementsMode ? applyRequirements(args, ctx, plan) : applyPackages(plan)),
});
