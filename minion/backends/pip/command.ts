/**
 * Which pip to run for a `bin_env` (Salt's salt.modules.pip._get_pip_bin): a virtualenv
 * directory runs its own python with `-m pip`, a python binary runs `-m pip`, a pip
 * binary runs itself; without `bin_env` the host's python3 runs `-m pip`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findExecutable, isExecutableFile, pathDirs } from '../../../common/which';
import { PipError } from './errors';

function canExecute(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable named `name` on PATH. */
function which(name: string): string | undefined {
  return findExecutable(name, pathDirs());
}

/**
 * The argv prefix that runs pip for `binEnv`.
 *
 * Arguments: binEnv — a virtualenv directory, a python binary, a pip binary, or undefined
 * for the host's python3.
 *
 * Example: pipCommand('/srv/venv') -> ['/srv/venv/bin/python', '-m', 'pip']
 */
export function pipCommand(binEnv?: string): string[] {
  if (!binEnv) {
    const python = which('python3') ?? which('python');
    if (!python) throw new PipError('Could not find a `pip` binary');
    return [python, '-m', 'pip'];
  }
  if (fs.statSync(binEnv, { throwIfNoEntry: false })?.isDirectory()) {
    for (const candidate of [path.join(binEnv, 'python'), path.join(binEnv, 'bin', 'python'), path.join(binEnv, 'Scripts', 'python')]) {
      if (isExecutableFile(candidate)) return [path.normalize(candidate), '-m', 'pip'];
    }
    throw new PipError(`Could not find a pip binary in virtualenv ${binEnv}`);
  }
  if (!canExecute(binEnv)) throw new PipError(`Access denied to ${binEnv}, could not find a pip binary`);
  if (!isExecutableFile(binEnv)) throw new PipError(`Could not find a pip binary within ${binEnv}`);
  if (path.basename(binEnv).includes('python')) return [path.normalize(binEnv), '-m', 'pip'];
  return [path.normalize(binEnv)];
}
