/**
 * Pacing of the dials after a lost connection: exponential backoff with "full jitter". The
 * n-th dial since the connection was last up waits a random time in [0, min(max, first·2ⁿ))
 * before it goes out, on top of nats.js's own wait between two dials of the same server.
 *
 * Without it, nats.js dials the next server the instant the socket closes: when a server
 * (or a master with its embedded server) restarts under 10,000 minions, all of them would
 * knock within the same few milliseconds. With it, their first dials spread evenly over
 * `firstWindowMs`, and those that keep failing (the server is still down) spread ever wider,
 * up to `maxWindowMs`, so a long outage does not end in a synchronized storm either.
 */

/** The windows of the random wait before a reconnect dial. */
export interface ReconnectBackoff {
  /** Window of the first dial after the connection was lost (ms; Salt's `recon_default`). */
  firstWindowMs: number;
  /** Largest window, reached by doubling (ms; Salt's `recon_max`). */
  maxWindowMs: number;
  /** Draw the wait at random within the window (default); false waits the whole window (Salt's `recon_randomize`). */
  randomize?: boolean;
}

/** Salt's defaults: recon_default 1000 ms, recon_max 10 000 ms, recon_randomize on. */
export const DEFAULT_RECONNECT_BACKOFF: Readonly<ReconnectBackoff> = Object.freeze({ firstWindowMs: 1000, maxWindowMs: 10_000, randomize: true });

/** The wait (ms) before dial number `attempt` (0 = the first) since the connection was lost. */
export function reconnectDelay(attempt: number, backoff: ReconnectBackoff, random: () => number = Math.random): number {
  const first = Math.max(0, backoff.firstWindowMs);
  const max = Math.max(first, backoff.maxWindowMs);
  // 2^attempt overflows to Infinity for huge attempts; min() keeps the window at max
  const window = Math.min(max, first * 2 ** Math.max(0, attempt));
  return Math.floor(backoff.randomize === false ? window : random() * window);
}

/** Counts the dials since the connection was last up and gives each its wait. */
export class ReconnectPacer {
  private attempt = 0;

  constructor(
    private readonly backoff: ReconnectBackoff,
    private readonly random: () => number = Math.random,
  ) {}

  /** The wait before the next dial (and count it). */
  nextDelay(): number {
    return reconnectDelay(this.attempt++, this.backoff, this.random);
  }

  /** The connection is up again: the next loss starts from the first window. */
  reset(): void {
    this.attempt = 0;
  }
}
