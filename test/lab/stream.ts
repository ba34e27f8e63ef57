/**
 * A command whose output is read line by line as it comes (the orchestration's plain display,
 * followed live), with a handle to signal it by its pid.
 */
import { spawn } from 'node:child_process';
import type { CommandResult } from './proc';

/** A running command. */
export interface Streamed {
  pid: number;
  /** Resolves when it has ended, with everything it printed. */
  done: Promise<CommandResult>;
  /** Send it a signal (nothing when it has ended). */
  signal(sig: NodeJS.Signals): void;
}

/** Start `argv`; `onLine` gets each complete line of its stdout and stderr as it is printed. */
export function spawnLines(argv: readonly string[], onLine: (line: string, stream: 'stdout' | 'stderr') => void): Streamed {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new Error('spawnLines: empty argv');
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let ended = false;
  const out = { stdout: '', stderr: '' };
  const partial = { stdout: '', stderr: '' };
  const feed = (which: 'stdout' | 'stderr') => (d: Buffer): void => {
    const text = d.toString();
    out[which] += text;
    const lines = (partial[which] + text).split('\n');
    partial[which] = lines.pop() ?? '';
    for (const l of lines) onLine(l, which);
  };
  child.stdout.on('data', feed('stdout'));
  child.stderr.on('data', feed('stderr'));
  const done = new Promise<CommandResult>((resolve) => {
    child.on('error', (e) => {
      ended = true;
      resolve({ argv, code: 127, signal: null, stdout: out.stdout, stderr: out.stderr + e.message });
    });
    child.on('close', (code, signal) => {
      ended = true;
      for (const which of ['stdout', 'stderr'] as const) if (partial[which]) onLine(partial[which], which);
      resolve({ argv, code, signal, stdout: out.stdout, stderr: out.stderr });
    });
  });
  return {
    pid: child.pid ?? -1,
    done,
    signal: (sig) => {
      if (!ended) child.kill(sig);
    },
  };
}
