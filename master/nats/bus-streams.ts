/**
 * The master's JetStream streams on its bus: BRINE_RETURNS and BRINE_EVENTS with the number
 * of copies `nats.replicas` asks for, after checking that the bus can keep that many.
 */
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../../common/log';
import { NatsSetupError } from '../../common/nats/errors';
import { ensureBrineStreams, type EnsureResult } from '../../common/nats/streams';

/**
 * Create or update the master's streams with `replicas` copies each. More than one copy on a
 * server outside any cluster is refused with a clear error (such a server stores the number
 * it is given and keeps one copy all the same); one copy on a cluster is allowed with a warning.
 */
export async function ensureMasterStreams(nc: NatsConnection, jsm: JetStreamManager, replicas: number, log: Logger): Promise<Record<string, EnsureResult>> {
  const cluster = nc.info?.cluster;
  const server = nc.info?.server_name ?? nc.getServer();
  if (replicas > 1 && !cluster) {
    throw new NatsSetupError(`nats.replicas is ${replicas}, but the NATS server ${server} is not part of a cluster (no cluster block in its configuration): it keeps one copy of a stream; set nats.replicas to 1 or name the nodes of a JetStream cluster in nats.servers`);
  }
  if (replicas === 1 && cluster) {
    log.warning(`The NATS server ${server} is part of cluster ${cluster}, but nats.replicas is 1: the returns and events streams live on one node, and the returns wait while it is down; set nats.replicas: 3 for a three-node cluster`);
  }
  const done = await ensureBrineStreams(jsm, { replicas });
  log.info(`JetStream streams with ${replicas} replica(s)${cluster ? ` on cluster ${cluster}` : ''}: ${Object.entries(done).map(([name, what]) => `${name} ${what}`).join(', ')}`);
  return done;
}
