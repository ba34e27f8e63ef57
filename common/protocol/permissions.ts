/**
 * What each identity may do on the master's bus (least privilege, as Choria does it): an
 * accepted minion may only ask for authentication, receive its own jobs, publish its own
 * returns and events, and receive replies on its own inbox; a minion not accepted yet (the
 * guest) may only ask to be accepted; the CLI (operator) may only send commands to the master
 * and read the event stream. The master itself has every permission.
 */
import { EVENTS_STREAM } from '../nats/streams';
import { inboxPrefixOf } from '../nats/nkey-identity';
import { AUTH_SUBJECT, jobSubject, MASTER_COMMAND_SUBJECT, minionEventSubject, returnSubject } from './subjects';

/** Subjects one identity may publish to and subscribe to. */
export interface BusPermissions {
  publish: string[];
  subscribe: string[];
}

/** The event types a minion publishes about itself. */
export const MINION_EVENT_TYPES = ['start', 'grains', 'event'] as const;

/** The user name a client without credentials is (it can only ask to be accepted). */
export const GUEST_USER = 'brine-guest';

/** Inboxes of clients without an nkey of their own (NATS.js's default prefix). */
const SHARED_INBOXES = '_INBOX.>';

/** The permissions of accepted minion `id` connecting with nkey `nkey`. */
export function minionPermissions(id: string, nkey: string): BusPermissions {
  return {
    publish: [AUTH_SUBJECT, returnSubject('*', id), ...MINION_EVENT_TYPES.map((type) => minionEventSubject(id, type))],
    subscribe: [jobSubject(id), `${inboxPrefixOf(nkey)}.>`],
  };
}

/** The permissions of the guest: ask to be accepted and read the answer. */
export function guestPermissions(): BusPermissions {
  return { publish: [AUTH_SUBJECT], subscribe: [SHARED_INBOXES] };
}

/** The permissions of the operator (the CLI on the master host) connecting with nkey `nkey`. */
export function operatorPermissions(nkey: string): BusPermissions {
  const api = '$JS.API';
  return {
    publish: [
      MASTER_COMMAND_SUBJECT,
      `${api}.INFO`,
      `${api}.STREAM.INFO.${EVENTS_STREAM}`,
      `${api}.CONSUMER.CREATE.${EVENTS_STREAM}`,
      `${api}.CONSUMER.CREATE.${EVENTS_STREAM}.>`,
      `${api}.CONSUMER.INFO.${EVENTS_STREAM}.>`,
      `${api}.CONSUMER.DELETE.${EVENTS_STREAM}.>`,
      `${api}.CONSUMER.MSG.NEXT.${EVENTS_STREAM}.>`,
    ],
    subscribe: [`${inboxPrefixOf(nkey)}.>`],
  };
}
