/**
 * Running a shell command as Salt's cmdmod._run does: `<shell> -c <cmd>` in the runas user's
 * home (or `cwd`), with Salt's environment (C locale unless given), optional stdin, umask and
 * timeout, output captured as text with trailing whitespace stripped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lookupUser } from '../../host/users';
import { CommandError, parseEnv, parseUmask, pyStr, splitInput, successRetcodes } from './args';
import { pyRstrip } from '../file/text';

/** What cmd.run_all returns. */
export interface CmdResult {
  pid: number;
  retcode: number;
  stdout: string;
  stderr: string;
}

/** One command to run. */
export interface RunSpec {
  /** The command line, run with `<shell> -c`. */
  cmd: string;
  shell: string;
  cwd?: string;
  /** The raw `env` argument (mapping or list of mappings). */
  env?: unknown;
  runas?: string;
  stdin?: string;
  /** Keep a literal `\n` in stdin instead of turning it into a newline. */
  stdinRawNewlines?: boolean;
  /** Seconds; the process group is killed when it is exceeded. */
  timeout?: unknown;
  umask?: unknown;
  prependPath?: string;
  successRetcodes?: unknown;
  successStdout?: unknown;
  successStderr?: unknown;
}

const LOCALE_KEYS = [
  'LC_CTYPE', 'LC_NUMERIC', 'LC_TIME', 'LC_COLLATE', 'LC_MONETARY', 'LC_MESSAGES', 'LC_PAPER',
  'LC_NAME', 'LC_ADDRESS', 'LC_TELEPHONE', 'LC_MEASUREMENT', 'LC_IDENTIFICATION', 'LANGUAGE',
];

let setprivPath: string | null | undefined;

/** setpriv (util-linux) switches user with initgroups and no PAM session, as Salt's chugid does. */
function findSetpriv(): string | null {
  if (setprivPath === undefined) {
    setprivPath = ['/usr/bin/setpriv', '/bin/setpriv', '/usr/sbin/setpriv'].find((p) => fs.existsSync(p)) ?? null;
  }
  return setprivPath;
}

function readable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function defaultCwd(runas: string | undefined): string {
  const home = runas ? lookupUser(runas)?.home : process.env.HOME || os.homedir();
  return home && readable(home) ? home : '/';
}

function checkShell(shell: string): void {
  let ok = false;
  try {
    ok = fs.statSync(shell).isFile();
    fs.accessSync(shell, fs.constants.X_OK);
  } catch {
    ok = false;
  }
  if (!ok) throw new CommandError(`The shell ${shell} is not available`);
}

function timeoutSeconds(v: unknown): number | undefined {
  if (v === undefined || v === null || v === false || v === 0) return undefined;
  if (typeof v !== 'number') throw new CommandError(`Error: timeout ${pyStr(v)} must be a number`);
  return v;
}

/** The environment the command gets: the minion's, the runas user's basics, `env`, C locale defaults. */
function commandEnv(spec: RunSpec): NodeJS.ProcessEnv {
  const env = parseEnv(spec.env);
  let overlay: Record<string, string> = env;
  if (spec.runas) {
    const user = lookupUser(spec.runas)!;
    overlay = { HOME: user.home, USER: spec.runas, LOGNAME: spec.runas, SHELL: spec.shell, ...env };
    overlay.USER = spec.runas;
    overlay.HOME = user.home;
  }
  for (const k of LOCALE_KEYS) if (!(k in overlay)) overlay[k] = 'C';
  const runEnv: NodeJS.ProcessEnv = { ...process.env, ...overlay };
  if (spec.prependPath) runEnv.PATH = `${spec.prependPath}:${runEnv.PATH ?? ''}`;
  if (!('NOTIFY_SOCKET' in env)) delete runEnv.NOTIFY_SOCKET;
  return runEnv;
}

function signalCode(signal: NodeJS.Signals | null): number {
  if (!signal) return 1;
  return -(os.constants.signals[signal] ?? 1);
}

/** Commands still running; each leads its own process group (so a timeout kills all of it). */
const running = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/**
 * Signal every command still running (their whole process groups). Commands run detached
 * from the minion's process group, so a daemon shutting down should call this.
 */
export function killRunningCommands(signal: NodeJS.Signals = 'SIGTERM'): void {
  for (const child of running) killGroup(child, signal);
}

/** Run a command and collect its result (Salt's cmd.run_all); throws CommandError for Salt's refusals. */
export async function runCommand(spec: RunSpec): Promise<CmdResult> {
  const cwd = spec.cwd ? spec.cwd : defaultCwd(spec.runas);
  checkShell(spec.shell);
  const user = spec.runas ? lookupUser(spec.runas) : undefined;
  if (spec.runas && !user) throw new CommandError(`User '${spec.runas}' is not available`);
  const env = commandEnv(spec);
  const umask = parseUmask(spec.umask);
  if (!path.isAbsolute(cwd) || !fs.statSync(cwd, { throwIfNoEntry: false })?.isDirectory()) {
    throw new CommandError(`Specified cwd '${cwd}' either not absolute or does not exist`);
  }
  const okCodes = successRetcodes(spec.successRetcodes);
  const okStdout = splitInput(spec.successStdout);
  const okStderr = splitInput(spec.successStderr);
  const timeout = timeoutSeconds(spec.timeout);

  let file = spec.shell;
  let argv = ['-c', spec.cmd];
  let ids: { uid?: number; gid?: number } = {};
  if (user && (user.uid !== process.getuid?.() || user.gid !== process.getgid?.())) {
    const setpriv = findSetpriv();
    if (setpriv) {
      argv = [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--', spec.shell, '-c', spec.cmd];
      file = setpriv;
    } else ids = { uid: user.uid, gid: user.gid };
  }

  const oldUmask = umask === undefined ? undefined : process.umask(umask);
  let child: ChildProcess;
  try {
    child = spawn(file, argv, { cwd, env, detached: true, stdio: [spec.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], ...ids });
  } finally {
    if (oldUmask !== undefined) process.umask(oldUmask);
  }

  running.add(child);
  return new Promise<CmdResult>((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (r: CmdResult | Error): void => {
      if (done) return;
      done = true;
      running.delete(child);
      if (timer) clearTimeout(timer);
      if (r instanceof Error) reject(r);
      else resolve(r);
    };
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => finish(new CommandError(`Unable to run command '${spec.cmd}' with the context '{'cwd': '${cwd}', 'shell': True, 'executable': '${spec.shell}'}', reason: ${e.message}`)));
    if (spec.stdin !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(spec.stdinRawNewlines ? spec.stdin : spec.stdin.split('\\n').join('\n'));
    }
    if (timeout !== undefined) {
      timer = setTimeout(() => {
        killGroup(child);
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish({ pid: child.pid ?? 0, retcode: 1, stdout: `${spec.cmd} : Timed out after ${pyStr(timeout)} seconds`, stderr: '' });
      }, timeout * 1000);
    }
    child.on('close', (code, signal) => {
      const stdout = pyRstrip(Buffer.concat(out).toString('utf8'));
      const stderr = pyRstrip(Buffer.concat(err).toString('utf8'));
      let retcode = code ?? signalCode(signal);
      if (okCodes.includes(retcode)) retcode = 0;
      if (okStdout.some((s) => stdout.includes(s)) || okStderr.some((s) => stderr.includes(s))) retcode = 0;
      finish({ pid: child.pid ?? 0, retcode, stdout, stderr });
    });
  });
}
