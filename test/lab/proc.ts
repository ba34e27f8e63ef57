/**
 * Running host commands for the lab: argv arrays only (never a shell line built from data),
 * output captured, and daemons started detached with their output in a log file.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

/** What a finished command said. */
export interface CommandResult {
  argv: readonly string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A command that exited with a non-zero status (or was killed) when it had to succeed. */
export class LabCommandError extends Error {
  constructor(readonly result: CommandResult) {
    const how = result.signal ? `was killed by ${result.signal}` : `exited with status ${result.code}`;
    const said = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-12).join('\n');
    super(`${result.argv.join(' ')} ${how}${said ? `:\n${said}` : ''}`);
    this.name = 'LabCommandError';
  }
}

/** Options of a captured run. */
export interface RunOptions {
  /** Written to the command's stdin (closed otherwise). */
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Kill the command (SIGKILL) after this long; its result then has signal SIGKILL. */
  timeoutMs?: number;
}

/** Run a command to completion and capture its output, whatever its exit status. */
export function run(argv: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    const [cmd, ...args] = argv;
    if (cmd === undefined) throw new Error('run: empty argv');
    const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
    const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      resolve({ argv, code: 127, signal: null, stdout, stderr: stderr + String(e.message) });
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ argv, code, signal, stdout, stderr });
    });
  });
}

/** Run a command that must succeed: resolves with its output, throws LabCommandError otherwise. */
export async function runOk(argv: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  const r = await run(argv, opts);
  if (r.code !== 0) throw new LabCommandError(r);
  return r;
}

/** Run a command on the caller's terminal (stdio inherited); resolves with its exit status. */
export function runInherit(argv: readonly string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<number> {
  return new Promise((resolve) => {
    const [cmd, ...args] = argv;
    if (cmd === undefined) throw new Error('runInherit: empty argv');
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: 'inherit' });
    child.on('error', (e) => {
      process.stderr.write(`${cmd}: ${e.message}\n`);
      resolve(127);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/**
 * Start a long-lived process in its own session (it outlives this CLI), stdin closed and
 * stdout/stderr appended to `logFile`; returns its pid.
 */
export function spawnDetached(argv: readonly string[], logFile: string, env?: NodeJS.ProcessEnv): number {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new Error('spawnDetached: empty argv');
  const out = fs.openSync(logFile, 'a');
  try {
    const child = spawn(cmd, args, { env: env ?? process.env, detached: true, stdio: ['ignore', out, out] });
    if (child.pid === undefined) throw new Error(`could not start ${argv.join(' ')}`);
    child.unref();
    return child.pid;
  } finally {
    fs.closeSync(out);
  }
}

/** Sleep for `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Poll `check` every `everyMs` until it returns a value other than undefined/false, or throw
 * an Error naming `what` after `timeoutMs`.
 */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, everyMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** The last `lines` lines of a log file ('' when it does not exist). */
export function tail(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
