/**
 * The master's message bus: its own supervised nats-server, or an existing NATS cluster when
 * `nats.servers` names one (then no process is started and stopping does nothing).
 */
import { NatsServer, type NatsServerOptions } from './server';

/** The servers the master and its minions connect to, and how to release them. */
export interface MasterNats {
  /** `external` when `nats.servers` was given, else `embedded`. */
  readonly mode: 'embedded' | 'external';
  /** Client URLs to connect to. */
  readonly servers: string[];
  /** The supervised server in embedded mode. */
  readonly server?: NatsServer;
  /** Stop the embedded server (nothing in external mode). */
  stop(): Promise<void>;
}

/** Settings of the master's bus: an external cluster, or how to run its own server. */
export interface MasterNatsOptions {
  /** Existing cluster's URLs (`nats://host:4222`, ...): no server is started. */
  servers?: string[];
  /** How to run the embedded server (required unless `servers` is given). */
  embedded?: NatsServerOptions;
}

/** Start the embedded server (ready when this resolves) or adopt the external cluster. */
export async function startMasterNats(opts: MasterNatsOptions): Promise<MasterNats> {
  if (opts.servers && opts.servers.length > 0) {
    return { mode: 'external', servers: [...opts.servers], stop: async () => {} };
  }
  if (!opts.embedded) throw new TypeError('startMasterNats needs either servers or embedded options');
  const server = new NatsServer(opts.embedded);
  await server.start();
  return { mode: 'embedded', servers: [server.url], server, stop: () => server.stop() };
}
