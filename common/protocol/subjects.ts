/**
 * The NATS subjects of Brine's bus. Jobs are per minion (a minion only ever needs its own),
 * returns are per job and minion and go through the BRINE_RETURNS stream, events through
 * BRINE_EVENTS, so that a restarted master loses neither.
 */
import { validateMinionId } from '../paths';

/** Minions ask to be accepted here (core request/reply). */
export const AUTH_SUBJECT = 'brine.auth';
/** How long a minion waits for the answer to one auth request unless configured (Salt's auth_timeout, in seconds). */
export const DEFAULT_AUTH_TIMEOUT_S = 5;
/** The CLI's requests to the master (core request/reply). */
export const MASTER_COMMAND_SUBJECT = 'brine.master.cmd';
/** The id the master signs with; refused as a minion id. */
export const MASTER_ID = 'master';
/** The id the CLI on the master host signs with; refused as a minion id. */
export const OPERATOR_ID = 'operator';
/** Ids no minion may take. */
export const RESERVED_IDS: ReadonlySet<string> = new Set([MASTER_ID, OPERATOR_ID]);

/** Where the master publishes the jobs of minion `id`. */
export function jobSubject(id: string): string {
  return `brine.job.${validateMinionId(id)}`;
}

/** Where minion `id` publishes what it has to say about job `jid` (started, progress, return). */
export function returnSubject(jid: string, id: string): string {
  return `brine.ret.${jid}.${validateMinionId(id)}`;
}

/** The jid and minion id of a return subject, or undefined when it is not one. */
export function parseReturnSubject(subject: string): { jid: string; minion: string } | undefined {
  const m = /^brine\.ret\.([0-9]{1,40})\.(.+)$/.exec(subject);
  return m ? { jid: m[1], minion: m[2] } : undefined;
}

/** The events a minion publishes about itself (start, grains refresh). */
export function minionEventSubject(id: string, type: string): string {
  return `brine.evt.minion.${validateMinionId(id)}.${type}`;
}

/** Filter of every minion event (the master's durable consumer). */
export const MINION_EVENTS_FILTER = 'brine.evt.minion.>';

/** The events the master publishes about job `jid` (for the CLI and `brine events`). */
export function jobEventSubject(jid: string, type: string): string {
  return `brine.evt.job.${jid}.${type}`;
}

/** Filter of every event the master publishes about job `jid`. */
export function jobEventsFilter(jid: string): string {
  return `brine.evt.job.${jid}.>`;
}

/** The events the master publishes about itself and its minions (start, key changes, minion start). */
export function masterEventSubject(type: string): string {
  return `brine.evt.master.${type}`;
}
