/**
 * The master's own nats-server (a real Debian nats-server): configuration, readiness, free
 * ports, supervision and restarts, clean stops, and the errors an operator sees.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connectNats } from '../../common/nats/connect';
import { findNatsServerBinary } from '../../master/nats/binary';
import { NATS_AUTH_TIMEOUT_S, renderNatsServerConfig } from '../../master/nats/config-file';
import { NatsServerMissingError, NatsServerStartError } from '../../master/nats/errors';
import { startMasterNats } from '../../master/nats/master-nats';
import { NatsServer, type NatsServerEvent } from '../../master/nats/server';
import { freePort, nextServerEvent, processRuns, startTestNats } from '../helpers/nats-server';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'brine-nats-sup-'));
}

describe('nats-server configuration file', () => {
  const base = {
    serverName: 'brine-master',
    host: '127.0.0.1',
    port: 4222,
    maxPayload: 8 * 1024 * 1024,
    storeDir: '/var/cache/brine/master/nats',
    pidFile: '/var/cache/brine/master/nats/nats-server.pid',
    portsFileDir: '/var/cache/brine/master/nats/ports',
  };

  it('writes listen address, JetStream store, max_payload and server name as JSON', () => {
    const conf = JSON.parse(renderNatsServerConfig({ ...base, maxFileStore: 1 << 30 }));
    assert.deepEqual(conf, {
      server_name: 'brine-master',
      host: '127.0.0.1',
      port: 4222,
      max_payload: 8388608,
      pid_file: '/var/cache/brine/master/nats/nats-server.pid',
      ports_file_dir: '/var/cache/brine/master/nats/ports',
      jetstream: { store_dir: '/var/cache/brine/master/nats', max_file_store: 1073741824 },
    });
  });

  it('asks for a random port (-1) when the port is 0, and writes credentials with a fleet-sized authorization timeout', () => {
    const conf = JSON.parse(renderNatsServerConfig({ ...base, port: 0, auth: { user: 'master', password: 'pa"ss$HOME' } }));
    assert.equal(conf.port, -1);
    assert.deepEqual(conf.authorization, { user: 'master', password: 'pa"ss$HOME', timeout: NATS_AUTH_TIMEOUT_S });
    assert.deepEqual(JSON.parse(renderNatsServerConfig({ ...base, auth: { token: 's3cret' } })).authorization, { token: 's3cret', timeout: NATS_AUTH_TIMEOUT_S });
    assert.ok(NATS_AUTH_TIMEOUT_S > 2, "longer than nats-server's default of 2 s");
  });

  it('refuses values nats-server would refuse', () => {
    assert.throws(() => renderNatsServerConfig({ ...base, serverName: 'brine master' }), NatsServerStartError);
    assert.throws(() => renderNatsServerConfig({ ...base, maxPayload: 65 * 1024 * 1024 }), /max_payload 68157440 is not between 1024 and 67108864 bytes/);
    assert.throws(() => renderNatsServerConfig({ ...base, port: 70000 }), /port 70000 is not between 0 and 65535/);
    assert.throws(() => renderNatsServerConfig({ ...base, storeDir: '/tmp/a\nb' }), /store_dir must not contain control characters/);
  });
});

describe('nats-server binary', () => {
  it('tells the operator to apt-get install nats-server when a given path does not exist', () => {
    assert.throws(
      () => findNatsServerBinary('/nonexistent/bin/nats-server'),
      (e: unknown) =>
        e instanceof NatsServerMissingError &&
        e.message === 'nats-server binary "/nonexistent/bin/nats-server" does not exist or is not executable; install it with `apt-get install nats-server`, or name an existing cluster in `nats.servers`',
    );
  });

  it('finds it on PATH first, else in /usr/sbin', () => {
    const dir = tempDir();
    try {
      const fake = path.join(dir, 'nats-server');
      fs.writeFileSync(fake, '#!/bin/sh\n', { mode: 0o755 });
      assert.equal(findNatsServerBinary(undefined, `/nonexistent:${dir}`), fake);
      assert.equal(findNatsServerBinary(undefined, '/nonexistent'), '/usr/sbin/nats-server');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails start() with the same clear error and leaves nothing running', async () => {
    const dir = tempDir();
    const server = new NatsServer({ dir, port: 0, binary: path.join(dir, 'no-such-nats-server') });
    try {
      await assert.rejects(server.start(), (e: unknown) => e instanceof NatsServerMissingError && /apt-get install nats-server/.test(e.message));
      assert.equal(server.state, 'failed');
      assert.equal(server.pid, undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('nats-server supervision (real nats-server)', function () {
  this.timeout(30000);
  const dirs: string[] = [];
  const servers: NatsServer[] = [];
  function track(server: NatsServer): NatsServer {
    servers.push(server);
    return server;
  }
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.stop();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('port 0 picks a free port; the server serves JetStream clients; stop leaves no process', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const server = track(new NatsServer({ dir, port: 0, serverName: 'brine-t1' }));
    await server.start();
    const pid = server.pid;
    assert.ok(pid !== undefined && processRuns(pid));
    assert.ok(server.clientPort > 0 && server.clientPort !== 4222);
    assert.equal(server.url, `nats://127.0.0.1:${server.clientPort}`);
    assert.equal(server.state, 'running');
    const nc = await connectNats({ servers: server.url, name: 'probe', waitOnFirstConnect: false });
    assert.equal(nc.info?.server_name, 'brine-t1');
    assert.equal(nc.info?.max_payload, 8 * 1024 * 1024);
    const jsm = await jetstreamManager(nc);
    const account = await jsm.getAccountInfo();
    assert.equal(account.streams, 0);
    await nc.close();
    assert.ok(fs.existsSync(path.join(dir, 'jetstream')), 'the JetStream store is under the given dir');
    assert.equal(fs.statSync(server.configFile).mode & 0o777, 0o600);
    await server.stop();
    assert.equal(server.state, 'stopped');
    assert.equal(processRuns(pid), false);
    assert.equal(server.pid, undefined);
  });

  it('listens on the configured port', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const port = await freePort();
    const server = track(new NatsServer({ dir, port }));
    await server.start();
    assert.equal(server.clientPort, port);
    assert.equal(server.url, `nats://127.0.0.1:${port}`);
  });

  it('a port in use fails with the server\'s own error and leaves no process', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const server = track(new NatsServer({ dir, port, restart: false }));
      let message = '';
      await assert.rejects(server.start(), (e: unknown) => {
        message = (e as Error).message;
        return e instanceof NatsServerStartError;
      });
      assert.match(message, /^nats-server \(.*nats-server -c .*nats-server\.conf\) exited \(status 1\) before it was ready; its last output:\n/);
      assert.match(message, /address already in use/);
      assert.equal(server.state, 'failed');
      assert.equal(server.pid, undefined);
    } finally {
      blocker.close();
    }
  });

  it('restarts a server that died, on the same port, and clients reconnect', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const events: NatsServerEvent[] = [];
    const server = track(new NatsServer({ dir, port: 0, restart: { initialDelayMs: 20 } }));
    server.onEvent((e) => events.push(e));
    await server.start();
    const port = server.clientPort;
    const firstPid = server.pid as number;
    let reconnected: () => void = () => {};
    const reconnect = new Promise<void>((resolve) => (reconnected = resolve));
    const nc = await connectNats({
      servers: server.url,
      name: 'survivor',
      reconnectTimeWaitMs: 50,
      reconnectJitterMs: 10,
      onStatus: (s) => s.type === 'reconnect' && reconnected(),
    });
    const ready = nextServerEvent(server, 'ready');
    process.kill(firstPid, 'SIGKILL');
    const again = await ready;
    assert.notEqual(again.pid, firstPid);
    assert.equal(again.port, port);
    assert.equal(server.state, 'running');
    assert.deepEqual(
      events.map((e) => e.type),
      ['ready', 'exited', 'restart-scheduled', 'ready'],
    );
    assert.deepEqual(events[1], { type: 'exited', pid: firstPid, code: null, signal: 'SIGKILL', expected: false });
    assert.deepEqual(events[2], { type: 'restart-scheduled', attempt: 1, delayMs: 20 });
    await reconnect;
    await nc.flush(); // answered by the restarted server
    assert.equal(nc.getServer(), `127.0.0.1:${port}`);
    await nc.close();
    assert.equal(processRuns(firstPid), false);
  });

  it('gives up after too many deaths in the window and leaves no process', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const server = track(new NatsServer({ dir, port: 0, restart: { maxRestarts: 1, initialDelayMs: 10, windowMs: 60_000 } }));
    await server.start();
    const ready = nextServerEvent(server, 'ready');
    process.kill(server.pid as number, 'SIGKILL');
    const second = await ready;
    const gaveUp = nextServerEvent(server, 'gave-up');
    process.kill(second.pid, 'SIGKILL');
    assert.deepEqual(await gaveUp, { type: 'gave-up', restarts: 1, windowMs: 60_000 });
    assert.equal(server.state, 'failed');
    assert.equal(server.pid, undefined);
  });

  it('stop() uses SIGKILL when the server ignores SIGTERM past the grace period', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const server = track(new NatsServer({ dir, port: 0, stopGraceMs: 200 }));
    await server.start();
    const pid = server.pid as number;
    const exited = nextServerEvent(server, 'exited');
    process.kill(pid, 'SIGSTOP'); // a hung server: SIGTERM stays pending
    await server.stop();
    assert.deepEqual(await exited, { type: 'exited', pid, code: null, signal: 'SIGKILL', expected: true });
    assert.equal(processRuns(pid), false);
  });

  it('a planned restart keeps port and store and is not counted as a death', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const events: NatsServerEvent[] = [];
    const server = track(new NatsServer({ dir, port: 0 }));
    server.onEvent((e) => events.push(e));
    await server.start();
    const port = server.clientPort;
    const pid = server.pid as number;
    await server.restart();
    assert.equal(server.clientPort, port);
    assert.notEqual(server.pid, pid);
    assert.equal(processRuns(pid), false);
    assert.deepEqual(
      events.map((e) => (e.type === 'exited' ? `exited:${e.expected}` : e.type)),
      ['ready', 'exited:true', 'ready'],
    );
  });

  it('stops a server left running by an earlier master on the same directory before starting', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const orphaned = track(new NatsServer({ dir, port: 0, restart: false }));
    await orphaned.start();
    const oldPid = orphaned.pid as number;
    const gone = nextServerEvent(orphaned, 'exited');
    const successor = track(new NatsServer({ dir, port: 0 }));
    await successor.start();
    await gone;
    assert.equal(processRuns(oldPid), false);
    assert.ok(successor.pid !== undefined && successor.pid !== oldPid && processRuns(successor.pid));
  });

  it('requires the configured credentials', async () => {
    const nats = await startTestNats({ auth: { user: 'brine', password: 'pw$1"x' } });
    try {
      const nc = await connectNats({ servers: nats.url, name: 'authorized', credentials: { user: 'brine', password: 'pw$1"x' }, waitOnFirstConnect: false });
      await nc.flush();
      await nc.close();
      await assert.rejects(
        connectNats({ servers: nats.url, name: 'intruder', credentials: { user: 'brine', password: 'wrong' }, waitOnFirstConnect: false }),
        /Authorization Violation/i,
      );
    } finally {
      await nats.stop();
    }
  });
});

describe('master NATS: embedded or external', function () {
  this.timeout(30000);

  it('starts its own server unless nats.servers is given', async () => {
    const dir = tempDir();
    try {
      const own = await startMasterNats({ embedded: { dir, port: 0 } });
      assert.equal(own.mode, 'embedded');
      const pid = own.server?.pid as number;
      assert.ok(processRuns(pid));
      assert.deepEqual(own.servers, [own.server?.url]);
      const external = await startMasterNats({ servers: own.servers, embedded: { dir: path.join(dir, 'unused'), port: 0 } });
      assert.equal(external.mode, 'external');
      assert.equal(external.server, undefined);
      assert.deepEqual(external.servers, own.servers);
      assert.equal(fs.existsSync(path.join(dir, 'unused')), false);
      await external.stop();
      assert.ok(processRuns(pid), 'stopping the external bus stops nothing');
      await own.stop();
      assert.equal(processRuns(pid), false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('client connection', function () {
  this.timeout(30000);

  it('waits for a server that is not up yet, then reports disconnects and reconnects', async () => {
    const dir = tempDir();
    const port = await freePort();
    const server = new NatsServer({ dir, port });
    try {
      const statuses: string[] = [];
      let reconnected: () => void = () => {};
      const reconnect = new Promise<void>((resolve) => (reconnected = resolve));
      const connecting = connectNats({
        servers: `127.0.0.1:${port}`,
        name: 'early-minion',
        reconnectTimeWaitMs: 50,
        reconnectJitterMs: 20,
        onStatus: (s) => {
          statuses.push(s.type);
          if (s.type === 'reconnect') reconnected();
        },
      });
      await server.start();
      const nc = await connecting;
      assert.equal(nc.getServer(), `127.0.0.1:${port}`);
      await server.restart();
      await reconnect;
      await nc.flush();
      assert.equal(statuses[0], 'disconnect');
      assert.equal(statuses.at(-1), 'reconnect');
      await nc.close();
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
