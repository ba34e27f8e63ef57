/**
 * MinionDaemon run in-process (real nats-server, fake master) for the paths a spawned
 * process would take too long to reach: a job outliving the shutdown grace time is returned
 * as interrupted, and a long disconnect makes the minion announce itself again.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMinionConfig } from '../../common/config';
import { createLogger } from '../../common/log';
import type { MinionEvent, MinionJobMessage } from '../../common/protocol';
import { loadOrCreateIdentity, publicDocument } from '../../common/wire/keys';
import { MinionDaemon, type MinionDaemonOptions } from '../../minion/daemon/index';
import { FakeMaster } from '../helpers/fake-master';
import { startTestNats, type TestNats } from '../helpers/nats-server';

describe('MinionDaemon in-process (real nats-server, fake master)', function () {
  this.timeout(60_000);
  let nats: TestNats;
  let master: FakeMaster;
  let dir: string;
  let lines: string[];
  let daemon: MinionDaemon | undefined;

  function startEvents(id: string): number {
    return master.received.filter((r) => r.stream === 'events' && r.header.from === id && (r.payload as MinionEvent).type === 'start').length;
  }

  async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; log:\n${lines.join('')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** An accepted minion daemon running in this process, once it announced itself. */
  async function runDaemon(id: string, options: Partial<MinionDaemonOptions>): Promise<MinionDaemon> {
    const etc = path.join(dir, id);
    fs.mkdirSync(etc, { recursive: true });
    fs.writeFileSync(path.join(etc, 'minion'), `id: ${id}\nmaster: ${nats.url}\npki_dir: ${path.join(etc, 'pki')}\ncachedir: ${path.join(etc, 'cache')}\nacceptance_wait_time: 0.2\n`);
    master.keys.register(id, publicDocument(loadOrCreateIdentity(path.join(etc, 'pki'), 'minion').identity.publicKeys));
    master.keys.accept(id);
    const d = new MinionDaemon({
      config: loadMinionConfig(etc),
      log: createLogger('info', (l) => lines.push(l)),
      nats: { reconnectTimeWaitMs: 100, reconnectJitterMs: 50 },
      ...options,
    });
    daemon = d;
    void d.run();
    await until(`the start event of ${id}`, () => startEvents(id) === 1);
    return d;
  }

  /** Send test.ping until one is answered (a job published while either side reconnects is lost, as on Salt's bus). */
  async function pingAnswered(id: string): Promise<unknown> {
    for (let attempt = 0; attempt < 40; attempt++) {
      const jid = master.send(id, { fun: 'test.ping' });
      const end = Date.now() + 500;
      while (Date.now() < end) {
        const ret = master.messagesOf(jid, id).find((m) => m.type === 'return');
        if (ret && ret.type === 'return') return ret.data;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error(`${id} never answered test.ping; log:\n${lines.join('')}`);
  }

  before(async () => {
    nats = await startTestNats();
    master = await FakeMaster.start(nats.url);
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-minion-inproc-'));
    lines = [];
  });
  afterEach(async () => {
    await daemon?.stop('the end of the test');
    daemon = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  after(async () => {
    await master?.stop();
    await nats?.stop();
  });

  it('returns a job that outlives the grace time as interrupted, then stops', async () => {
    const d = await runDaemon('slowpoke', { shutdownGraceMs: 300 });
    const jid = master.send('slowpoke', { fun: 'cmd.run', args: ['sleep 4'] });
    await master.waitFor('the start of the job', (r) => r.header.jid === jid && (r.payload as MinionJobMessage).type === 'started');
    await d.stop('a test stop');
    const ret = await master.returnOf(jid, 'slowpoke');
    assert.deepEqual(
      { data: ret.data, retcode: ret.retcode, success: ret.success },
      { data: `The minion slowpoke stopped (a test stop) before job ${jid} (cmd.run) finished: it was interrupted`, retcode: 1, success: false },
    );
    assert.ok(lines.includes(`[WARNING ] 1 job(s) still running after the grace time (${jid}): returning them as interrupted\n`), lines.join(''));
    assert.equal(lines[lines.length - 1], '[INFO    ] The minion slowpoke stopped\n');
    // a job published after the stop is not run
    const late = master.send('slowpoke', { fun: 'test.ping' });
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(master.messagesOf(late, 'slowpoke'), []);
  });

  it('announces itself again after a disconnect longer than restartEventAfterMs', async () => {
    await runDaemon('comeback', { restartEventAfterMs: 0 });
    await nats.restart();
    await until('a second start event', () => startEvents('comeback') === 2);
    assert.ok(lines.some((l) => /^\[INFO    \] Was disconnected for \d+ s: announcing the minion to the master again$/.test(l.trimEnd())), lines.join(''));
    // jobs still arrive on the re-established subscription
    assert.equal(await pingAnswered('comeback'), true);
  });

  it('runs jobs with the grains it announced, not grains collected again per job', async () => {
    await runDaemon('grainy', { grains: { id: 'grainy', host: 'grainy', roles: ['announced'] } });
    const start = master.received.find((r) => r.stream === 'events' && r.header.from === 'grainy' && (r.payload as MinionEvent).type === 'start');
    assert.deepEqual((start?.payload as { grains: unknown }).grains, { id: 'grainy', host: 'grainy', roles: ['announced'] });
    const jid = master.send('grainy', { fun: 'grains.items' });
    const ret = await master.returnOf(jid, 'grainy');
    assert.deepEqual(ret.data, { id: 'grainy', host: 'grainy', roles: ['announced'] });
  });

  it('does not announce itself again after a short disconnect (default threshold)', async () => {
    await runDaemon('steady', {});
    await nats.restart();
    assert.equal(await pingAnswered('steady'), true);
    assert.ok(lines.some((l) => l.includes('NATS (brine-minion steady): reconnected')), lines.join(''));
    assert.equal(startEvents('steady'), 1);
  });
});
