/**
 * Reconnect pacing on a real nats-server: after the server went away, a client waits its paced
 * delay before it redials (rather than the instant the socket closed), and a client closed
 * while it waits leaves no connection behind on the server.
 */
import assert from 'node:assert/strict';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats } from '../../common/nats/connect';
import { freePort, startTestNats, type TestNats } from '../helpers/nats-server';

/** Names of the clients nats-server knows (its /connz). */
async function clientNames(monitorPort: number): Promise<string[]> {
  const res = await fetch(`http://127.0.0.1:${monitorPort}/connz?limit=1000`);
  const body = (await res.json()) as { connections?: { name?: string }[] };
  return (body.connections ?? []).map((c) => c.name ?? '');
}

describe('reconnect pacing (real nats-server)', function () {
  this.timeout(60_000);
  let nats: TestNats;
  let monitorPort: number;
  const opened: NatsConnection[] = [];

  before(async () => {
    monitorPort = await freePort();
    nats = await startTestNats({ monitorPort });
  });

  after(async () => {
    for (const nc of opened) await nc.close().catch(() => {});
    await nats?.stop();
  });

  it('redials only after the paced wait, not the instant the server went away', async () => {
    const windowMs = 1500;
    const at: Partial<Record<'disconnect' | 'reconnect', number>> = {};
    let reconnected: () => void = () => {};
    const reconnect = new Promise<void>((resolve) => (reconnected = resolve));
    const nc = await connectNats({
      servers: nats.url,
      name: 'paced-client',
      reconnectTimeWaitMs: 50,
      reconnectJitterMs: 0,
      reconnectBackoff: { firstWindowMs: windowMs, maxWindowMs: windowMs, randomize: false },
      onStatus: (s) => {
        if (s.type === 'disconnect') at.disconnect ??= Date.now();
        if (s.type === 'reconnect') {
          at.reconnect = Date.now();
          reconnected();
        }
      },
    });
    opened.push(nc);
    await nats.restart();
    await reconnect;
    await nc.flush();
    // the status is reported a little after the socket closed: allow for that, not more
    assert.ok(at.reconnect! - at.disconnect! >= windowMs - 100, `redialled ${at.reconnect! - at.disconnect!} ms after the disconnect`);
    assert.ok((await clientNames(monitorPort)).includes('paced-client'));
  });

  it('leaves no connection behind when the client is closed while it waits to redial', async () => {
    const windowMs = 4000;
    let disconnectedAt = 0;
    let disconnected: () => void = () => {};
    const disconnect = new Promise<void>((resolve) => (disconnected = resolve));
    const nc = await connectNats({
      servers: nats.url,
      name: 'closed-while-waiting',
      // nats.js's own wait between two dials of a server is counted from the last dial (the
      // connect just now): kept tiny, so that the wait the client is in is the paced one
      reconnectTimeWaitMs: 1,
      reconnectJitterMs: 0,
      connectTimeoutMs: 2000,
      reconnectBackoff: { firstWindowMs: windowMs, maxWindowMs: windowMs, randomize: false },
      onStatus: (s) => {
        if (s.type === 'disconnect' && !disconnectedAt) {
          disconnectedAt = Date.now();
          disconnected();
        }
      },
    });
    await nc.flush();
    await nats.restart();
    await disconnect;
    await nc.close(); // within the wait: nats.js still dials once when the wait ends
    // a negative check: wait past the moment that dial goes out and it would have logged in
    const dialAt = disconnectedAt + windowMs;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, dialAt - Date.now()) + 1000));
    assert.equal((await clientNames(monitorPort)).includes('closed-while-waiting'), false, 'a closed client logged in again');
  });
});
