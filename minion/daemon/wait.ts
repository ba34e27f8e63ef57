/** Waiting in the daemon: abortable sleeps and jittered retry delays. */

/** Sleep `ms`, or less when `signal` aborts (resolves either way, never rejects). */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * `ms` plus up to `spread` of it at random (0.25 = up to 25 % more), so that many minions
 * retrying after the same event do not all knock at the same instant.
 */
export function jittered(ms: number, spread = 0.25): number {
  return Math.round(ms * (1 + Math.random() * spread));
}
