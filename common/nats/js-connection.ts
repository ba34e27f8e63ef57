/** The NATS connection behind a JetStream client (nats.js keeps it as `nc`, outside its published type). */
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/** The connection `js` was made from, when it can be found. */
export function connectionOf(js: JetStreamClient): NatsConnection | undefined {
  const nc = (js as unknown as { nc?: unknown }).nc;
  return typeof nc === 'object' && nc !== null && 'isClosed' in nc && 'publish' in nc ? (nc as NatsConnection) : undefined;
}
