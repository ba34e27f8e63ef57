/**
 * Changing a Python environment with pip: installing and uninstalling packages. Each
 * operation returns what pip printed (Salt's cmd.run_all shape); a failing pip is a result,
 * refused arguments are a PipError.
 */
import type { CmdResult } from '../../states/cmd/runner';
import { pipVersion } from './facts';
import { installArgs, uninstallArgs, type InstallOptions, type UninstallOptions } from './options';
import { runPip, type PipTarget } from './run';

/** What pip.install returns when there is nothing to install (pip itself is not run). */
export const NOTHING_TO_INSTALL: CmdResult = { pid: 0, retcode: 0, stdout: 'No packages to install.', stderr: '' };

/**
 * Install packages and/or requirements files into the target environment.
 *
 * Arguments: target — where pip runs; pkgs — requirement specifiers (one argv entry each,
 * so `django >= 1.6, <= 1.7` stays one requirement); requirements — local requirements
 * files; options — index, upgrade and the other pip options; pipVer — pip's version when
 * already known (asked from pip when version-gated options need it).
 *
 * Example:
 *     await installPackages({binEnv: '/srv/venv'}, ['brinetiny==2.0'], [],
 *                           {findLinks: ['/srv/wheels'], noIndex: true})
 *     -> {retcode: 0, stdout: '... Successfully installed brinetiny-2.0', ...}
 */
export async function installPackages(
  target: PipTarget,
  pkgs: string[],
  requirements: string[],
  options: InstallOptions,
  pipVer?: string | null,
): Promise<CmdResult> {
  if (!pkgs.length && !requirements.length && !options.editable?.length) return NOTHING_TO_INSTALL;
  let ver = pipVer;
  if (ver === undefined && (options.mirrors?.length || options.cacheDir)) ver = await pipVersion(target);
  return runPip(target, installArgs(pkgs, requirements, options, ver ?? null));
}

/**
 * Uninstall packages (and those named in requirements files) from the target environment.
 *
 * Example: await uninstallPackages({binEnv: '/srv/venv'}, ['brinetiny'], [], {})
 *   -> {retcode: 0, stdout: 'Found existing installation: brinetiny 2.0 ...', ...}
 */
export async function uninstallPackages(target: PipTarget, pkgs: string[], requirements: string[], options: UninstallOptions): Promise<CmdResult> {
  return runPip(target, uninstallArgs(pkgs, requirements, options));
}
