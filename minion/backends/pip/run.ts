/**
 * Running pip in a target environment: the pip of `bin_env`, as `user`, in `cwd`, with
 * `env_vars` (and VIRTUAL_ENV when `bin_env` is a virtualenv directory), through the
 * minion's one command runner.
 */
import * as fs from 'node:fs';
import { CommandError, shQuote } from '../../states/cmd/args';
import { runCommand, type CmdResult } from '../../states/cmd/runner';
import { pipCommand } from './command';
import { PipError } from './errors';

/** Where and how pip runs (Salt's bin_env, user, cwd, env_vars). */
export interface PipTarget {
  /** A virtualenv directory, a python binary or a pip binary; the host's python3 when absent. */
  binEnv?: string;
  /** The user pip runs as. */
  user?: string;
  /** The directory pip runs in (default: the user's home). */
  cwd?: string;
  /** Extra environment variables. */
  envVars?: Record<string, string>;
}

/** The environment pip gets on top of the minion's. */
function pipEnv(target: PipTarget): Record<string, string> {
  const env: Record<string, string> = {};
  if (target.binEnv && fs.statSync(target.binEnv, { throwIfNoEntry: false })?.isDirectory()) env.VIRTUAL_ENV = target.binEnv;
  return { ...env, ...(target.envVars ?? {}) };
}

/**
 * Run pip with `args` in `target` and return what it printed; throws PipError when pip
 * cannot be found or the user/cwd are refused. A failing pip is a result, not an error.
 *
 * Example: await runPip({binEnv: '/srv/venv'}, ['list', '--format=json'])
 *   -> {pid: 4242, retcode: 0, stdout: '[{"name": "pip", "version": "23.2.1"}]', stderr: ''}
 */
export async function runPip(target: PipTarget, args: string[]): Promise<CmdResult> {
  const argv = [...pipCommand(target.binEnv), ...args];
  try {
    return await runCommand({
      cmd: argv.map(shQuote).join(' '),
      shell: '/bin/sh',
      cwd: target.cwd,
      runas: target.user,
      env: pipEnv(target),
    });
  } catch (e) {
    if (e instanceof CommandError) throw new PipError(e.message);
    throw e;
  }
}

/** Whether a failed pip run means there is no pip in the environment at all. */
export function pipMissing(r: Pick<CmdResult, 'retcode' | 'stderr'>): boolean {
  return r.retcode === 126 || r.retcode === 127 || /No module named pip\b/.test(r.stderr);
}
