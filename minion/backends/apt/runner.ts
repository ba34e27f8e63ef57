/**
 * Running apt-get, apt-cache, apt-mark, dpkg and dpkg-query: no prompts (Salt's DPKG_ENV_VARS,
 * stdin closed), C messages, and waiting for the apt/dpkg lock when another process holds it.
 */
import { runCommand, type CmdResult } from '../../states/cmd/runner';
import { AptCommandError } from './errors';
import { busyLock, DEFAULT_LOCK_TIMEOUT, lockHolderLine } from './lock';

/** The environment Salt gives apt and dpkg so nothing asks a question. */
export const DPKG_ENV: Readonly<Record<string, string>> = {
  APT_LISTBUGS_FRONTEND: 'none',
  APT_LISTCHANGES_FRONTEND: 'none',
  DEBIAN_FRONTEND: 'noninteractive',
  UCF_FORCE_CONFFOLD: '1',
};

/** How to run a command that may meet the apt/dpkg lock. */
export interface AptRunOptions {
  /** Seconds to keep retrying while the lock is held (default 300). */
  lockTimeout?: number;
  /** Told each time the command found the lock taken and is about to wait (for progress and tests). */
  onLockWait?: (lock: string) => void;
  /** Text fed on stdin (dpkg --set-selections); otherwise stdin is /dev/null. */
  stdin?: string;
  /** Waits between attempts (tests may replace it). */
  sleep?: (ms: number) => Promise<void>;
}

/** Quote one word for /bin/sh. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Run one command (argv, no shell expansion) and return its result. While it fails because the
 * apt/dpkg lock is taken, retry with growing pauses (0.5 s up to 5 s); after `lockTimeout`
 * seconds throw an AptCommandError naming the lock and its holder.
 * Example: `await runApt(['apt-get', '-q', 'update'], { lockTimeout: 60 })`.
 */
export async function runApt(argv: readonly string[], opts: AptRunOptions = {}): Promise<CmdResult> {
  const timeout = opts.lockTimeout ?? DEFAULT_LOCK_TIMEOUT;
  const sleep = opts.sleep ?? defaultSleep;
  const deadline = Date.now() + timeout * 1000;
  let pause = 500;
  for (;;) {
    const r = await runCommand({
      cmd: argv.map(shellQuote).join(' '),
      shell: '/bin/sh',
      cwd: '/',
      env: { ...DPKG_ENV },
      stdin: opts.stdin,
      stdinRawNewlines: true,
    });
    const lock = r.retcode === 0 ? undefined : busyLock(r.stderr, r.stdout);
    if (!lock) return r;
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new AptCommandError(
        `Timed out after ${timeout} seconds waiting for the package manager lock ${lock} ` +
          `(another apt or dpkg process holds it): ${lockHolderLine(r.stderr)}`,
      );
    }
    opts.onLockWait?.(lock);
    await sleep(Math.min(pause, left));
    pause = Math.min(pause * 2, 5000);
  }
}
