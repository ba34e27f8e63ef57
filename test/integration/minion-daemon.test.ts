/**
 * `brine minion` as a real process against a real nats-server and a fake master built from
 * the protocol libraries: key creation and acceptance, master key pinning, jobs (functions
 * and compiled states), refused jobs, progress, state serialization, SIGTERM and a
 * nats-server restart in the middle of a job.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LowChunk } from '../../common/types';
import type { MinionEvent, MinionJobMessage } from '../../common/protocol';
import { BRINE_VERSION } from '../../common/version';
import { publicKeysFingerprint } from '../../common/wire/fingerprint';
import { generateIdentity, publicDocument } from '../../common/wire/keys';
import { jidToTime } from '../../common/jid';
import { FakeMaster, type ReceivedMessage } from '../helpers/fake-master';
import { startTestNats, type TestNats } from '../helpers/nats-server';
import { MinionProcess } from '../helpers/minion-process';

const BRINE = path.resolve(__dirname, '..', '..', '..', 'bin', 'brine');

async function until<T>(what: string | (() => string), check: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A minion process of these tests (grains role=daemon-test), with its own temp root, pki_dir and cachedir. */
class TestMinion extends MinionProcess {
  constructor(id: string, url: string, extraConfig = '') {
    super(id, url, `grains:\n  role: daemon-test\n${extraConfig}`);
  }

  /** Wait for a log line matching `re`. */
  waitLog(re: RegExp, timeoutMs = 20_000): Promise<void> {
    return this.waitCount(re, 1, timeoutMs);
  }
}

describe('brine minion (daemon, real nats-server, fake master)', function () {
  this.timeout(120_000);
  let nats: TestNats;
  let master: FakeMaster;
  const minions: TestMinion[] = [];

  function minion(id: string, extraConfig = ''): TestMinion {
    const m = new TestMinion(id, nats.url, extraConfig);
    minions.push(m);
    return m;
  }

  function startEventOf(id: string): Promise<ReceivedMessage> {
    return master.waitFor(`the start event of ${id}`, (r) => r.stream === 'events' && r.header.from === id && (r.payload as MinionEvent).type === 'start');
  }

  /** A minion whose key the master accepted before its first start, started and announced. */
  async function acceptedMinion(id: string, extraConfig = ''): Promise<TestMinion> {
    const m = minion(id, extraConfig);
    master.keys.register(id, m.makeKeys());
    master.keys.accept(id);
    m.start();
    await startEventOf(id);
    return m;
  }

  before(async () => {
    nats = await startTestNats();
    master = await FakeMaster.start(nats.url);
  });
  after(async () => {
    await Promise.all(minions.map((m) => m.cleanup()));
    await master?.stop();
    await nats?.stop();
  });

  describe('first start and acceptance', () => {
    it('creates its key pair (0600), waits while pending, announces itself with its grains once accepted', async () => {
      const m = minion('first-start');
      m.start();
      await until('three pending auth requests', () => master.authCount('first-start') >= 3);
      assert.ok(master.authLog.filter((a) => a.id === 'first-start').every((a) => a.status === 'pending'));
      assert.equal(fs.statSync(path.join(m.pki, 'minion.pem')).mode & 0o777, 0o600);
      assert.ok(fs.statSync(path.join(m.pki, 'minion.pub')).isFile());
      assert.equal(m.count(/^\[WARNING \] Waiting for the master to accept the key of first-start \(brine key accept first-start\)$/), 1);

      master.keys.accept('first-start');
      const start = await startEventOf('first-start');
      const event = start.payload as Extract<MinionEvent, { type: 'start' | 'grains' }>;
      assert.equal(start.header.sealed, true);
      assert.equal(start.subject, 'brine.evt.minion.first-start.start');
      assert.equal(event.version, BRINE_VERSION);
      assert.equal(event.grains.id, 'first-start');
      assert.equal(event.grains.role, 'daemon-test');
      // trust on first use: the master's key is pinned
      assert.equal(fs.readFileSync(path.join(m.pki, 'minion_master.pub'), 'utf8'), master.publicDocument);
      assert.ok(m.running());
    });

    it('starts with a matching master_finger', async () => {
      await acceptedMinion('finger-ok', `master_finger: '${master.fingerprint.toUpperCase()}'`);
    });

    it('refuses to start with a reserved id, and on a config error', () => {
      const m = minion('placeholder');
      fs.writeFileSync(path.join(m.configDir, 'minion'), `id: master\nmaster: ${nats.url}\npki_dir: ${m.pki}\ncachedir: ${path.join(m.dir, 'cache')}\n`);
      const reserved = spawnSync(process.execPath, [BRINE, 'minion', '-c', m.configDir], { encoding: 'utf8', timeout: 20_000 });
      assert.equal(reserved.status, 1);
      assert.match(reserved.stderr, /^brine minion: .*the minion id "master" is reserved for Brine itself/m);
      assert.equal(fs.existsSync(path.join(m.pki, 'minion.pem')), false);

      fs.writeFileSync(path.join(m.configDir, 'minion'), 'id: [unclosed\n');
      const broken = spawnSync(process.execPath, [BRINE, 'minion', '-c', m.configDir], { encoding: 'utf8', timeout: 20_000 });
      assert.equal(broken.status, 1);
      assert.match(broken.stderr, new RegExp(`^brine minion: ${escape(path.join(m.configDir, 'minion'))}`, 'm'));
    });

    it('keeps asking after a rejection, and gets in once the key is accepted', async () => {
      const m = minion('rejected-one');
      master.keys.register('rejected-one', m.makeKeys());
      master.keys.reject('rejected-one');
      m.start();
      await m.waitLog(/The master has rejected the key of rejected-one/);
      await until('two more auth requests', () => master.authCount('rejected-one') >= 3);
      assert.equal(m.count(/^\[ERROR   \] The master has rejected the key of rejected-one .*Brine keeps asking every 1\.2 s/), 1);
      assert.ok(m.running());
      master.keys.accept('rejected-one', { includeRejected: true });
      await startEventOf('rejected-one');
    });
  });

  describe('master key pinning', () => {
    it('refuses a master whose key does not match master_finger', async () => {
      const wrong = publicKeysFingerprint(generateIdentity().publicKeys);
      const m = minion('finger-bad', `master_finger: '${wrong}'`);
      master.keys.register('finger-bad', m.makeKeys());
      master.keys.accept('finger-bad');
      m.start();
      await until('three auth requests', () => master.authCount('finger-bad') >= 3);
      const line = new RegExp(
        `^\\[ERROR   \\] Not authenticating with this master: the master's key fingerprint ${escape(master.fingerprint)} does not match master_finger ${escape(wrong)} `,
      );
      await m.waitLog(line);
      assert.equal(m.count(line), 1);
      assert.equal(fs.existsSync(path.join(m.pki, 'minion_master.pub')), false);
      assert.equal(master.received.some((r) => r.header.from === 'finger-bad'), false);
      assert.ok(m.running());
    });

    it('refuses a master whose key changed after it was pinned', async () => {
      const m = minion('tofu-changed');
      master.keys.register('tofu-changed', m.makeKeys());
      master.keys.accept('tofu-changed');
      const old = generateIdentity().publicKeys;
      fs.writeFileSync(path.join(m.pki, 'minion_master.pub'), publicDocument(old));
      m.start();
      await until('three auth requests', () => master.authCount('tofu-changed') >= 3);
      const line = new RegExp(
        `^\\[ERROR   \\] Not authenticating with this master: the master's key has changed: the pinned key ${escape(publicKeysFingerprint(old))} \\(.*minion_master\\.pub\\) does not match the key the master presented, ${escape(master.fingerprint)};`,
      );
      await m.waitLog(line);
      assert.equal(m.count(line), 1);
      assert.equal(fs.readFileSync(path.join(m.pki, 'minion_master.pub'), 'utf8'), publicDocument(old));
      assert.equal(master.received.some((r) => r.header.from === 'tofu-changed'), false);
    });
  });

  describe('jobs', () => {
    let m: TestMinion;
    before(async () => {
      m = await acceptedMinion('worker');
    });

    it('answers test.ping with only a return signed by the minion (no started for a quick job)', async () => {
      const jid = master.send('worker', { fun: 'test.ping' });
      const ret = await master.returnOf(jid, 'worker');
      assert.deepEqual(
        master.messagesOf(jid, 'worker').map((msg) => msg.type),
        ['return'],
      );
      assert.equal(ret.data, true);
      assert.equal(ret.retcode, 0);
      assert.equal(ret.success, true);
      assert.equal(ret.outputter, 'nested');
      assert.ok(ret.startedAt <= ret.finishedAt);
      const envelopes = master.received.filter((r) => r.header.jid === jid);
      assert.ok(envelopes.every((r) => r.header.from === 'worker' && r.header.sealed && r.subject === `brine.ret.${jid}.worker`));
      // the fake master opened them with the accepted key, which is the minion's own
      assert.equal(master.keys.publicDocumentOf('worker'), fs.readFileSync(path.join(m.pki, 'minion.pub'), 'utf8'));
    });

    it('runs cmd.run', async () => {
      const jid = master.send('worker', { fun: 'cmd.run', args: ['echo hi'] });
      const ret = await master.returnOf(jid, 'worker');
      assert.deepEqual({ data: ret.data, retcode: ret.retcode, success: ret.success }, { data: 'hi', retcode: 0, success: true });
    });

    it('says started first for a job that runs longer than a moment', async () => {
      const jid = master.send('worker', { fun: 'cmd.run', args: ['sleep 0.5; echo done'] });
      const ret = await master.returnOf(jid, 'worker');
      assert.equal(ret.data, 'done');
      assert.deepEqual(master.messagesOf(jid, 'worker').map((msg) => msg.type).filter((t) => t !== 'progress'), ['started', 'return']);
    });

    it('runs compiled states with the master pillar', async () => {
      const target = path.join(m.work, 'motd');
      const chunks: LowChunk[] = [
        { state: 'file', name: target, __sls__: 'motd', __env__: 'base', __id__: 'motd', fun: 'managed', order: 10000, contents: 'hello from the master' },
        { state: 'cmd', name: 'echo greeted', __sls__: 'motd', __env__: 'base', __id__: 'greet', fun: 'run', order: 10001 },
      ];
      const jid = master.send('worker', { fun: 'state.apply', args: ['motd'], pillar: { secret: 'not-logged' }, states: { chunks, files: {}, saltenv: 'base', test: false } });
      const ret = await master.returnOf(jid, 'worker');
      assert.equal(ret.retcode, 0);
      assert.equal(ret.outputter, 'highstate');
      const data = ret.data as Record<string, { result: boolean; changes: Record<string, unknown>; __run_num__: number }>;
      assert.deepEqual(Object.keys(data).sort(), [`cmd_|-greet_|-echo greeted_|-run`, `file_|-motd_|-${target}_|-managed`]);
      assert.equal(data[`file_|-motd_|-${target}_|-managed`].result, true);
      assert.equal(data[`file_|-motd_|-${target}_|-managed`].changes.diff, 'New file');
      assert.equal(data[`cmd_|-greet_|-echo greeted_|-run`].changes.stdout, 'greeted');
      assert.equal(fs.readFileSync(target, 'utf8'), 'hello from the master\n');
      assert.equal(m.log().includes('not-logged'), false);
    });

    it("returns the master's compile errors as Salt does", async () => {
      const jid = master.send('worker', { fun: 'state.apply', errors: ["Rendering SLS 'base:broken' failed: mapping values are not allowed here"] });
      const ret = await master.returnOf(jid, 'worker');
      assert.deepEqual(
        { data: ret.data, retcode: ret.retcode, success: ret.success, outputter: ret.outputter },
        { data: ["Rendering SLS 'base:broken' failed: mapping values are not allowed here"], retcode: 1, success: false, outputter: 'highstate' },
      );
    });

    it('sends progress beats while a long job runs, before its return', async () => {
      const jid = master.send('worker', { fun: 'cmd.run', args: ['sleep 2'], progressIntervalMs: 200 });
      const ret = await master.returnOf(jid, 'worker');
      assert.equal(ret.retcode, 0);
      const types = master.messagesOf(jid, 'worker').map((msg) => msg.type);
      assert.equal(types[0], 'started');
      assert.equal(types[types.length - 1], 'return');
      const beats = master.messagesOf(jid, 'worker').filter((msg): msg is Extract<MinionJobMessage, { type: 'progress' }> => msg.type === 'progress');
      assert.ok(beats.length >= 3, `only ${beats.length} progress beats`);
      assert.deepEqual(beats[0], { type: 'progress', jid, at: beats[0].at, done: 0, total: 0, current: 'cmd.run' });
    });

    it('runs one state job at a time (Salt\'s "is running as PID" answer), other functions meanwhile', async () => {
      const slow: LowChunk[] = [{ state: 'cmd', name: 'sleep 2', __sls__: 'slow', __env__: 'base', __id__: 'slow', fun: 'run', order: 10000 }];
      const first = master.send('worker', { fun: 'state.apply', args: ['slow'], states: { chunks: slow, files: {}, saltenv: 'base', test: false } });
      await master.waitFor('the start of the first state job', (r) => r.header.jid === first && (r.payload as MinionJobMessage).type === 'started');
      const second = master.send('worker', { fun: 'state.sls', args: ['slow'], states: { chunks: slow, files: {}, saltenv: 'base', test: false } });
      const ping = master.send('worker', { fun: 'test.ping' });
      const secondRet = await master.returnOf(second, 'worker');
      assert.deepEqual(secondRet.data, [`The function "state.apply" is running as PID ${m.child?.pid} and was started at ${jidToTime(first)} with jid ${first}`]);
      assert.equal(secondRet.retcode, 1);
      assert.equal((await master.returnOf(ping, 'worker')).data, true);
      const firstRet = await master.returnOf(first, 'worker');
      assert.equal(firstRet.retcode, 0);
      const seq = (jid: string) => master.received.find((r) => r.header.jid === jid && (r.payload as MinionJobMessage).type === 'return')?.seq ?? 0;
      assert.ok(seq(second) < seq(first) && seq(ping) < seq(first));
    });

    it('runs none of the forged, unsealed, expired, misaddressed, malformed or replayed jobs, and logs each once', async () => {
      const marker = (name: string) => path.join(m.work, `ran-${name}`);
      const touch = (name: string) => ({ fun: 'cmd.run', args: [`touch ${marker(name)}`] });
      const replayed = master.job('worker', touch('replayed'));
      master.publish('worker', replayed.bytes);
      await master.returnOf(replayed.jid, 'worker');
      fs.rmSync(marker('replayed'));

      const bad = {
        'bad-signature': master.job('worker', touch('forged'), { signer: generateIdentity().privateKeys }),
        'decrypt-failed': master.job('worker', touch('unsealed'), { sealed: false }),
        expired: master.job('worker', touch('expired'), { now: Date.now() - 10 * 60_000, ttlMs: 1000 }),
        'wrong-recipient': master.job('worker', touch('elsewhere'), { to: 'other-minion', recipient: generateIdentity().publicKeys }),
        malformed: master.job('worker', { ...touch('malformed'), jid: 'not-a-jid' }),
        replayed,
      };
      for (const job of Object.values(bad)) master.publish('worker', job.bytes);
      const barrier = master.send('worker', { fun: 'test.ping' });
      await master.returnOf(barrier, 'worker');

      for (const name of ['forged', 'unsealed', 'expired', 'elsewhere', 'malformed', 'replayed']) assert.equal(fs.existsSync(marker(name)), false, `${name} ran`);
      for (const [code, job] of Object.entries(bad)) {
        const line = new RegExp(`^\\[WARNING \\] Refused a job on brine\\.job\\.worker: ${code} \\(claimed sender "master", jid ${escape(job.jid)}\\): .*; nothing was run$`);
        assert.equal(m.count(line), 1, `${code} logged ${m.count(line)} times:\n${m.log()}`);
        if (code !== 'replayed') assert.deepEqual(master.messagesOf(job.jid, 'worker'), []);
      }
      assert.equal(m.log().includes('touch'), false, 'a job payload was logged');
    });
  });

  describe('stopping and restarts', () => {
    it('on SIGTERM, lets the running job finish and return, then exits 0', async () => {
      const m = await acceptedMinion('stopper');
      const jid = master.send('stopper', { fun: 'cmd.run', args: ['sleep 2; echo finished'] });
      await master.waitFor('the start of the job', (r) => r.header.jid === jid && (r.payload as MinionJobMessage).type === 'started');
      m.child?.kill('SIGTERM');
      assert.equal(await m.exited, 0);
      const ret = await master.returnOf(jid, 'stopper');
      assert.deepEqual({ data: ret.data, retcode: ret.retcode }, { data: 'finished', retcode: 0 });
      const phases = [
        /^\[WARNING \] The minion stopper received a SIGTERM: no new jobs are taken, shutting down$/,
        new RegExp(`^\\[INFO    \\] Waiting up to 30 s for 1 running job\\(s\\) to finish and return \\(${jid}\\)$`),
        /^\[INFO    \] Every running job finished and returned$/,
        /^\[INFO    \] Closing the connection to the master's bus$/,
        /^\[INFO    \] The minion stopper stopped$/,
      ];
      for (const re of phases) assert.equal(m.count(re), 1, `${re} in:\n${m.log()}`);
    });

    it('stores the return of a job during which nats-server restarted', async () => {
      await acceptedMinion('survivor');
      const jid = master.send('survivor', { fun: 'cmd.run', args: ['sleep 3; echo survived'] });
      await master.waitFor('the start of the job', (r) => r.header.jid === jid && (r.payload as MinionJobMessage).type === 'started');
      await nats.restart();
      const ret = await master.returnOf(jid, 'survivor', 60_000);
      assert.deepEqual({ data: ret.data, retcode: ret.retcode }, { data: 'survived', retcode: 0 });
    });
  });
});
