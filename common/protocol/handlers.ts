/**
 * The allowlist of what Brine's processes listen to on NATS. Each process kind subscribes to
 * these subjects only (plus its own reply inboxes, which NATS.js makes for requests and
 * JetStream consumers); a test enumerates the subscriptions nats-server reports and fails on
 * anything else, so a new handler cannot appear without being added here.
 */
import { AUTH_SUBJECT, jobSubject, MASTER_COMMAND_SUBJECT } from './subjects';

/** The kinds of Brine processes on the bus. */
export type BusClientKind = 'master' | 'minion' | 'cli' | 'guest';

/** The connection names each kind uses (`brine-minion <id>` for minions, `brine-guest <id>` for one not accepted yet). */
export const BUS_CLIENT_NAMES = { master: 'brine-master', cli: 'brine-cli', minionPrefix: 'brine-minion ', guestPrefix: 'brine-guest ' } as const;

/** The request handlers of each kind (core NATS subscriptions that act on what they receive). */
export function handlerSubjects(kind: BusClientKind, minionId?: string): string[] {
  switch (kind) {
    case 'master':
      return [AUTH_SUBJECT, MASTER_COMMAND_SUBJECT];
    case 'minion':
      return minionId ? [jobSubject(minionId)] : [];
    case 'cli':
    case 'guest':
      return [];
  }
}

/**
 * NATS.js reply inboxes: `_INBOX.<nuid>`, the request muxer's `_INBOX.<nuid>.*`, JetStream
 * consumers' `_INBOX.<nuid>.<n>`; clients with an nkey use `_INBOX_<nkey>` as prefix (inboxPrefixOf).
 */
const INBOX = /^_INBOX(_U[A-Z2-7]{55})?\.[A-Za-z0-9]+(\.\*|\.[0-9]+)?$/;

/** Whether a process of `kind` may hold a subscription on `subject`. */
export function allowedSubscription(kind: BusClientKind, subject: string, minionId?: string): boolean {
  return INBOX.test(subject) || handlerSubjects(kind, minionId).includes(subject);
}
