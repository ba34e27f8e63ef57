/**
 * Waiting until the master accepts this minion's key: authentication attempts in a loop,
 * with Salt's acceptance_wait_time between them and a log line each time the situation
 * changes (not on every retry). While the master does not answer (down, or busy with ten
 * thousand minions asking at once), the wait doubles up to acceptance_wait_time_max, as
 * Salt's does, so that a fleet backs off instead of asking ever faster than it is answered.
 * Unlike Salt's minion, a rejected key does not stop the minion: it keeps asking, slowly, so
 * that an operator can fix the key on the master.
 */
import { whenNatsConnected } from '../../common/nats/connect';
import type { Logger } from '../../common/log';
import type { PublicKeys } from '../../common/wire/keys';
import { authenticateOnce, type AuthContext, type AuthOutcome } from './auth';
import { jittered, pause } from './wait';

/** How much longer than acceptance_wait_time a minion waits after a rejection. */
export const REJECTED_WAIT_FACTOR = 6;

/** Timing of the acceptance loop. */
export interface AcceptanceOptions {
  /** Salt's acceptance_wait_time, in seconds. */
  acceptanceWaitTime: number;
  /** Salt's acceptance_wait_time_max, in seconds (0 or not above acceptance_wait_time = the wait never grows). */
  acceptanceWaitTimeMax?: number;
  logger: Logger;
  /** Ends the loop (the minion is stopping). */
  signal: AbortSignal;
}

/** The master's key once this minion is accepted, or undefined when `signal` aborted first. */
export async function waitForAcceptance(ctx: AuthContext, opts: AcceptanceOptions): Promise<{ masterKeys: PublicKeys; fingerprint: string } | undefined> {
  const log = opts.logger;
  const waitMs = opts.acceptanceWaitTime * 1000;
  const maxWaitMs = Math.max(waitMs, (opts.acceptanceWaitTimeMax ?? 0) * 1000);
  let unansweredWaitMs = waitMs;
  let lastSituation = '';
  while (!opts.signal.aborted) {
    if (!(await whenNatsConnected(ctx.nc, Math.max(waitMs, 1000)))) {
      if (ctx.nc.isClosed()) return undefined;
      continue;
    }
    const outcome = await authenticateOnce(ctx);
    if (opts.signal.aborted) return undefined;
    const situation = situationOf(outcome);
    const changed = situation !== lastSituation;
    lastSituation = situation;
    if (outcome.kind === 'answer' && outcome.pinnedNow) {
      log.info(`Pinned the master's key ${outcome.fingerprint} in ${ctx.pin.file}`);
    }
    if (outcome.kind === 'answer' && outcome.status === 'accepted') {
      log.info(`Authenticated with the master: the key of ${ctx.id} is accepted (master key ${outcome.fingerprint})`);
      return { masterKeys: outcome.masterKeys, fingerprint: outcome.fingerprint };
    }
    const unanswered = outcome.kind === 'no-master';
    const { level, text, delayMs } = describe(outcome, ctx.id, unanswered ? unansweredWaitMs : waitMs);
    if (changed) log[level](text);
    else log.debug(`${text} (still)`);
    unansweredWaitMs = unanswered ? Math.min(unansweredWaitMs * 2, maxWaitMs) : waitMs;
    await pause(jittered(delayMs), opts.signal);
  }
  return undefined;
}

/** What stays the same across attempts that meet the same situation (for logging once). */
function situationOf(o: AuthOutcome): string {
  switch (o.kind) {
    case 'answer':
      return `answer:${o.status}:${o.error ?? ''}`;
    case 'untrusted-master':
      return `untrusted:${o.fingerprint}`;
    case 'no-master':
      return 'no-master';
    case 'bad-reply':
      return `bad-reply:${o.reason}`;
  }
}

function describe(o: AuthOutcome, id: string, waitMs: number): { level: 'error' | 'warning' | 'info'; text: string; delayMs: number } {
  const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  switch (o.kind) {
    case 'no-master':
      return { level: 'warning', text: `The master does not answer (${o.reason}); retrying in ${seconds(waitMs)}`, delayMs: waitMs };
    case 'bad-reply':
      return { level: 'warning', text: `Refused the master's answer to authentication: ${o.reason}; retrying every ${seconds(waitMs)}`, delayMs: waitMs };
    case 'untrusted-master':
      return { level: 'error', text: `Not authenticating with this master: ${o.reason}; retrying every ${seconds(waitMs)}`, delayMs: waitMs };
    case 'answer':
      break;
  }
  const slow = waitMs * REJECTED_WAIT_FACTOR;
  const keepTrying = `Salt's minion would exit here; Brine keeps asking every ${seconds(slow)} so that an operator can fix the key on the master`;
  switch (o.status) {
    case 'pending':
      return { level: 'warning', text: `Waiting for the master to accept the key of ${id} (brine key accept ${id})`, delayMs: waitMs };
    case 'rejected':
      return { level: 'error', text: `The master has rejected the key of ${id} (brine key delete ${id} on the master, then accept it again). ${keepTrying}`, delayMs: slow };
    case 'denied':
      return {
        level: 'error',
        text: `The master holds a different key for ${id} and denied this one (if this minion was reinstalled, delete its old key on the master: brine key delete ${id}). ${keepTrying}`,
        delayMs: slow,
      };
    default:
      return { level: 'error', text: `The master refused the authentication of ${id}: ${o.error ?? 'no reason given'}. ${keepTrying}`, delayMs: slow };
  }
}
