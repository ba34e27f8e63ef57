/**
 * cmd.run: run a shell command (every time, unless the engine's `unless`/`onlyif`/`creates`
 * skip it). The result is the command's success; changes are its pid, retcode, stdout and
 * stderr.
 *
 * Example:
 *
 *     a2enmod proxy:
 *       cmd.run:
 *         - runas: root
 *         - cwd: /etc/apache2
 *         - env:
 *           - LC_ALL: C
 *         - timeout: 60
 *
 * Arguments: name, cwd, env (mapping or list of mappings), runas, shell (default: the
 * `shell` grain, else /bin/sh),
 * timeout, ignore_timeout, stdin, stdin_raw_newlines, umask, prepend_path, success_retcodes,
 * success_stdout, success_stderr, hide_output, output_loglevel (accepted, logging only).
 */
import type { Dict } from '../../../common/types';
import { isDir } from '../../host/stat';
import { stateFunction, type Applied, type CheckOutcome, type StateContext } from '../contract';
import { envShapeOk, pyStr } from './args';
import { runCommand, type CmdResult, type RunSpec } from './runner';

/** The command `check` settled on. */
export interface RunPlan {
  cmd: string;
}

/** The shell commands run with when `shell` is not given. */
export const DEFAULT_SHELL = '/bin/sh';

/** The RunSpec of the common cmd arguments; the shell defaults to the `shell` grain, as in Salt. */
export function runSpecOf(cmd: string, args: Dict, grains: Dict): RunSpec {
  const opt = (k: string): string | undefined => (args[k] === undefined || args[k] === null ? undefined : pyStr(args[k]));
  return {
    cmd,
    shell: opt('shell') || (typeof grains.shell === 'string' && grains.shell) || DEFAULT_SHELL,
    cwd: opt('cwd'),
    env: args.env,
    runas: opt('runas'),
    stdin: opt('stdin'),
    stdinRawNewlines: args.stdin_raw_newlines === true,
    timeout: args.timeout,
    umask: args.umask,
    prependPath: opt('prepend_path'),
    successRetcodes: args.success_retcodes,
    successStdout: args.success_stdout,
    successStderr: args.success_stderr,
  };
}

/** The changes of a finished command (stdout/stderr blanked with hide_output). */
export function resultChanges(r: CmdResult, hide: boolean): Dict {
  return { pid: r.pid, retcode: r.retcode, stderr: hide ? '' : r.stderr, stdout: hide ? '' : r.stdout };
}

/** Salt's check that `cwd`, when given, is a directory. */
export function missingCwd(args: Dict): string | undefined {
  const cwd = args.cwd;
  if (cwd === undefined || cwd === null || cwd === '') return undefined;
  return isDir(pyStr(cwd)) ? undefined : `Desired working directory "${pyStr(cwd)}" is not available`;
}

function checkRun(name: string, args: Dict): CheckOutcome<RunPlan> {
  if (!envShapeOk(args.env)) return { kind: 'invalid', comment: "Invalidly-formatted 'env' parameter. See documentation." };
  const cmd = pyStr(name);
  return { kind: 'drift', changes: {}, testComment: `Command "${cmd}" would have been executed`, plan: { cmd } };
}

async function applyRun(args: Dict, ctx: StateContext, plan: RunPlan): Promise<Applied> {
  const bad = missingCwd(args);
  if (bad) return { result: false, changes: {}, comment: bad };
  let r: CmdResult;
  try {
    r = await runCommand(runSpecOf(plan.cmd, args, ctx.grains));
  } catch (e) {
    return { result: false, changes: {}, comment: (e as Error).message };
  }
  const changes = resultChanges(r, args.hide_output === true);
  let result = r.retcode === 0;
  if (args.ignore_timeout === true && r.retcode === 1 && String(changes.stdout).includes('Timed out after')) {
    changes.retcode = 0;
    result = true;
  }
  return { result, changes, comment: `Command "${plan.cmd}" run` };
}

/** cmd.run as a check-then-apply state function. */
export const run = stateFunction<RunPlan>({
  check: (name, args) => checkRun(name, args),
  apply: (_name, args, ctx, plan) => applyRun(args, ctx, plan),
});
