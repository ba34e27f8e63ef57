/**
 * Test helper: a real nats-server per suite, on a free loopback port, with JetStream and a
 * temp store. Use in mocha `before`/`after`:
 *
 *   let nats: TestNats;
 *   before(async () => { nats = await startTestNats(); });
 *   after(() => nats.stop());
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { NatsServer, type NatsServerEvent, type NatsServerOptions } from '../../master/nats/server';

/** A running test server. */
export interface TestNats {
  /** `nats://127.0.0.1:<port>` (unchanged by restarts). */
  readonly url: string;
  readonly port: number;
  /** The server's `store_dir` (a temp dir; JetStream data is in `<storeDir>/jetstream`). */
  readonly storeDir: string;
  /** The supervised server, for tests of supervision itself. */
  readonly server: NatsServer;
  /** Stop the server and delete its temp dir. */
  stop(): Promise<void>;
  /** Stop and start the server again on the same port and store (persisted streams survive). */
  restart(): Promise<void>;
}

/** Start a nats-server for a test suite; `overrides` adjust the server (e.g. `maxPayload`). */
export async function startTestNats(overrides: Partial<Omit<NatsServerOptions, 'dir'>> = {}): Promise<TestNats> {
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-nats-'));
  const server = new NatsServer({
    dir: storeDir,
    host: '127.0.0.1',
    port: 0,
    serverName: 'brine-test',
    stopGraceMs: 5000,
    restart: { initialDelayMs: 50, maxDelayMs: 500 },
    ...overrides,
  });
  try {
    await server.start();
  } catch (e) {
    fs.rmSync(storeDir, { recursive: true, force: true });
    throw e;
  }
  return {
    url: server.url,
    port: server.clientPort,
    storeDir,
    server,
    async stop() {
      await server.stop();
      fs.rmSync(storeDir, { recursive: true, force: true });
    },
    restart: () => server.restart(),
  };
}

/** Resolves with the first event of `server` that `match` accepts. */
export function nextServerEvent<T extends NatsServerEvent['type']>(
  server: NatsServer,
  type: T,
  match: (e: Extract<NatsServerEvent, { type: T }>) => boolean = () => true,
): Promise<Extract<NatsServerEvent, { type: T }>> {
  return new Promise((resolve) => {
    const off = server.onEvent((e) => {
      if (e.type === type && match(e as Extract<NatsServerEvent, { type: T }>)) {
        off();
        resolve(e as Extract<NatsServerEvent, { type: T }>);
      }
    });
  });
}

/** Whether a process with this pid runs (a zombie counts as gone). */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** A TCP port free on loopback right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
