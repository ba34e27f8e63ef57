/**
 * Recognising "another apt/dpkg holds the lock" in a command's output, and naming the lock.
 * apt and dpkg lock with fcntl; instead of probing the lock files (fuser, lsof), a command is
 * simply retried while its own error says the lock is taken.
 */

/** The dpkg frontend lock every apt-get/dpkg write takes first. */
export const DPKG_FRONTEND_LOCK = '/var/lib/dpkg/lock-frontend';
/** The dpkg database lock. */
export const DPKG_DB_LOCK = '/var/lib/dpkg/lock';

/** Default seconds to wait for a lock before failing (Brine's `apt_lock_timeout` option). */
export const DEFAULT_LOCK_TIMEOUT = 300;

/**
 * The lock file a failed apt/dpkg command was refused, or undefined when the failure is
 * something else. Example: `busyLock('E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 7 (apt-get)')`
 * → '/var/lib/dpkg/lock-frontend'.
 */
export function busyLock(stderr: string, stdout = ''): string | undefined {
  const text = `${stderr}\n${stdout}`;
  const apt = /Could not get lock (\/\S+?)\.?(?:\s|$)/.exec(text);
  if (apt) return apt[1];
  if (/dpkg frontend lock (?:was locked|is locked) by another process/.test(text)) return DPKG_FRONTEND_LOCK;
  if (/dpkg (?:database lock was locked|status database is locked) by another process/.test(text)) return DPKG_DB_LOCK;
  return undefined;
}

/** The first line of a lock error that says who holds it (for the timeout message). */
export function lockHolderLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /held by process|locked by another process/.test(l)) ?? lines[0] ?? '';
}
