/**
 * Attack suite on a real fleet (a `brine master` and two minion processes): the pillar of
 * ctrl-1 never reaches ctrl-2's jobs (every message on the bus is captured and ctrl-2's jobs are
 * opened with ctrl-2's own key), the logs or `brine events`; ctrl-2 cannot open ctrl-1's jobs;
 * salt:// sources leading out of file_roots are not sent; grains holding template syntax stay
 * data when the master renders a minion's states.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { readChunkHeaders } from '../../common/nats/chunk-headers';
import { ChunkAssembler } from '../../common/nats/chunks';
import { jobSubject, MASTER_ID } from '../../common/protocol/subjects';
import { decode, encode } from '../../common/wire/codec';
import { openEnvelope } from '../../common/wire/envelope';
import { isWireError } from '../../common/wire/errors';
import { loadIdentity, parsePublicDocument, type NodeIdentity, type PublicKeys } from '../../common/wire/keys';
import { ReplayGuard } from '../../common/wire/replay';
import { BRINE, Fleet, waitFor } from '../helpers/fleet';

const IDS = ['ctrl-1.lab', 'ctrl-2.lab'] as const;
const tag = crypto.randomBytes(4).toString('hex');
const SECRET: Record<string, string> = { 'ctrl-1.lab': `ctrl1-secret-${tag}`, 'ctrl-2.lab': `ctrl2-secret-${tag}` };
/** A pillar key only ctrl-1 has (its name must not travel to ctrl-2 either). */
const CTRL1_ONLY_KEY = `only_ctrl1_${tag}`;

/** One whole message seen on the bus (chunked payloads put back together). */
interface Seen {
  subject: string;
  data: Uint8Array;
}

describe('security: a real fleet keeps each minion to its own pillar and data', function () {
  this.timeout(120_000);
  let fleet: Fleet;
  let nc: NatsConnection;
  let masterPub: PublicKeys;
  const seen: Seen[] = [];
  const minionKeys = (id: string): NodeIdentity => loadIdentity(path.join(fleet.rootOf(id), 'etc', 'brine', 'pki', 'minion'), 'minion');
  const work = (id: string) => path.join(fleet.rootOf(id), 'work');
  const logs = () => [fleet.master!.log(), ...IDS.map((id) => fleet.minions.get(id)!.log())].join('\n');

  /** Open a captured job for `id` with `id`'s own key; undefined when it cannot. */
  function openJobAs(id: string, bytes: Uint8Array): { payload?: unknown; error?: string } {
    try {
      const keys = minionKeys(id);
      const opened = openEnvelope(bytes, {
        expectKind: 'job',
        expectTo: id,
        senderKeys: (s) => (s === MASTER_ID ? masterPub : undefined),
        recipient: keys.privateKeys,
        replay: ReplayGuard.inMemory(),
        maxSkewMs: 3_600_000,
      });
      return { payload: opened.payload };
    } catch (e) {
      if (!isWireError(e)) throw e;
      return { error: e.code };
    }
  }

  /** The text of a decoded value, binary included (attached files are bytes). */
  const textOf = (v: unknown) => JSON.stringify(decode(encode(v)), (_k, x: unknown) => (x && typeof x === 'object' && (x as { type?: string }).type === 'Buffer' ? Buffer.from((x as { data: number[] }).data).toString('latin1') : x));

  /** `brine ARGS -c <master dir>`, killed after `ms` (a CLI waiting on a dead master waits forever). */
  function cliWithin(ms: number, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [BRINE, ...args, '-c', fleet.masterDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      child.once('exit', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr });
      });
    });
  }

  /** `brine events --all` until the event `last` is printed; its output. */
  function eventsUntil(last: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BRINE, 'events', '--all', '-c', fleet.masterDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
      let out = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`brine events never showed ${last}:\n${out}`));
      }, 30_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes(`${last}\t`)) child.kill('SIGTERM');
      });
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(out);
      });
    });
  }

  before(async () => {
    fleet = new Fleet();
    fleet
      .state('top.sls', "base:\n  '*': []\n")
      .state('use-secret.sls', [
        "{{ grains['workdir'] }}/secret:",
        '  file.managed:',
        "    - contents: {{ pillar['secret']|yaml }}",
        "{{ grains['workdir'] }}/templated:",
        '  file.managed:',
        '    - source: salt://files/secret.jinja',
        '    - template: jinja',
        '',
      ].join('\n'))
      .state('files/secret.jinja', "{{ pillar['secret'] }} {{ pillar|length }}\n")
      .state('bad.sls', "boom:\n  test.nop:\n    - x: {{ pillar[pillar['secret']] }}\n")
      .state('grains-data.sls', [
        "{{ grains['workdir'] }}/grain-data:",
        '  file.managed:',
        "    - contents: {{ grains['evil']|yaml }}",
        '',
      ].join('\n'))
      .state('outside.sls', [
        "{{ grains['workdir'] }}/via-link:",
        '  file.managed:',
        '    - source: salt://link.txt',
        "{{ grains['workdir'] }}/via-dotdot:",
        '  file.managed:',
        '    - source: salt://../outside/secret.txt',
        'script-via-link:',
        '  cmd.script:',
        '    - source: salt://link.sh',
        '',
      ].join('\n'))
      .state('loop.sls', "{% for i in range(grains['cpus']) %}{% endfor %}\nx:\n  test.nop\n")
      .pillar('top.sls', "base:\n  '*':\n    - common\n  'ctrl-1.lab':\n    - ctrl1\n  'ctrl-2.lab':\n    - ctrl2\n")
      .pillar('common.sls', 'color: blue\n')
      .pillar('ctrl1.sls', `secret: ${SECRET['ctrl-1.lab']}\n${CTRL1_ONLY_KEY}: ${SECRET['ctrl-1.lab']}-bis\n`)
      .pillar('ctrl2.sls', `secret: ${SECRET['ctrl-2.lab']}\n`);
    const outside = path.join(fleet.dir, 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'secret.txt'), `${SECRET['ctrl-1.lab']}-outside\n`);
    fs.writeFileSync(path.join(outside, 'secret.sh'), `#!/bin/sh\necho ${SECRET['ctrl-1.lab']}-script\n`);
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(fleet.states, 'link.txt'));
    fs.symlinkSync(path.join(outside, 'secret.sh'), path.join(fleet.states, 'link.sh'));
    await fleet.startMaster();
    fleet.startMinion('ctrl-1.lab');
    fleet.startMinion('ctrl-2.lab', { evil: "{{ salt['cmd.run']('touch MARKER') }}{% raw %}{{ 7*7 }}", cpus: 1_000_000_000 });
    await fleet.acceptWhenPending(IDS);
    await fleet.waitReady(IDS);
    masterPub = parsePublicDocument(fs.readFileSync(path.join(fleet.masterDir, 'pki', 'master.pub'), 'utf8'));
    // the master's own bus identity: sees every subject, to prove what travels and that the minions check more than the server does
    nc = await fleet.bus('master');
    const assembler = new ChunkAssembler();
    nc.subscribe('brine.>', {
      callback: (_e, m) => {
        const meta = readChunkHeaders(m.headers);
        if (!meta) seen.push({ subject: m.subject, data: m.data });
        else {
          const r = assembler.add({ meta, data: m.data });
          if (r.status === 'complete') seen.push({ subject: m.subject, data: r.payload });
        }
      },
    });
    await nc.flush();
  });

  after(async () => {
    await nc?.close();
    if (fleet) await fleet.cleanup();
  });

  it("never puts ctrl-1's pillar into ctrl-2's jobs, which ctrl-2 opens with its own key", async () => {
    for (const args of [
      ['state', 'apply', 'ctrl-*', 'use-secret'],
      ['state', 'apply', 'ctrl-2.lab', 'use-secret', '--test'],
      ['run', 'ctrl-2.lab', 'pillar.items'],
      ['run', '*', 'pillar.get', 'color'],
      ['run', '-I', 'color:blue', 'test.ping'],
    ]) {
      const r = await fleet.cliAsync(...args, '--out', 'json');
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    }
    await nc.flush();
    assert.equal(fs.readFileSync(path.join(work('ctrl-1.lab'), 'secret'), 'utf8'), `${SECRET['ctrl-1.lab']}\n`);
    assert.equal(fs.readFileSync(path.join(work('ctrl-2.lab'), 'templated'), 'utf8'), `${SECRET['ctrl-2.lab']} 2\n`);

    const ctrl2Jobs = seen.filter((s) => s.subject === jobSubject('ctrl-2.lab'));
    assert.ok(ctrl2Jobs.length >= 4, `saw ${ctrl2Jobs.length} jobs for ctrl-2`);
    let sawOwnSecret = false;
    for (const job of ctrl2Jobs) {
      const opened = openJobAs('ctrl-2.lab', job.data);
      assert.ok(opened.payload !== undefined, `ctrl-2 could not open its own job: ${opened.error}`);
      const text = textOf(opened.payload);
      assert.equal(text.includes(SECRET['ctrl-1.lab']), false, `ctrl-1's secret is in a job of ctrl-2: ${text.slice(0, 1500)}`);
      assert.equal(text.includes(CTRL1_ONLY_KEY), false, `ctrl-1's pillar key is in a job of ctrl-2: ${text.slice(0, 1500)}`);
      sawOwnSecret ||= text.includes(SECRET['ctrl-2.lab']);
    }
    assert.ok(sawOwnSecret, "ctrl-2's own pillar was in none of its jobs: the check above proves nothing");

    const ctrl1Jobs = seen.filter((s) => s.subject === jobSubject('ctrl-1.lab'));
    assert.ok(ctrl1Jobs.length >= 2);
    for (const job of ctrl1Jobs) assert.ok(['wrong-recipient', 'decrypt-failed'].includes(openJobAs('ctrl-2.lab', job.data).error ?? 'opened'), "ctrl-2 opened a job of ctrl-1");

    const clear = Buffer.concat(seen.map((s) => Buffer.from(s.data))).toString('latin1');
    for (const id of IDS) assert.equal(clear.includes(SECRET[id]), false, `the secret of ${id} travelled readable on the bus`);
  });

  it("shows no pillar of ctrl-1 in brine events, which does show ctrl-2's pillar.items return", async () => {
    const before = fleet.jobs()[0]?.jid ?? '';
    const r = await fleet.cliAsync('run', 'ctrl-2.lab', 'pillar.items', '--out', 'json');
    assert.equal(r.status, 0, r.stderr);
    const jid = await waitFor('the pillar.items job done', () => fleet.jobs().find((j) => j.jid > before && j.status === 'done')?.jid);
    const out = await eventsUntil(`brine.evt.job.${jid}.done`);
    assert.ok(out.includes(SECRET['ctrl-2.lab']), 'brine events did not show the return of pillar.items (the test proves nothing)');
    assert.equal(out.includes(SECRET['ctrl-1.lab']), false, `ctrl-1's secret is in brine events: ${out.split('\n').filter((l) => l.includes(SECRET['ctrl-1.lab'])).join('\n')}`);
    assert.equal(out.includes(CTRL1_ONLY_KEY), false, `ctrl-1's pillar key is in brine events`);
  });

  it('keeps pillar values out of the logs, also when a render error quotes one', async () => {
    const r = await fleet.cliAsync('state', 'apply', 'ctrl-1.lab', 'bad', '--out', 'json');
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.ok(r.stdout.includes(SECRET['ctrl-1.lab']), 'the render error does not quote the value (the test proves nothing)');
    await waitFor('the job to be done', () => fleet.jobs()[0]?.status === 'done');
    for (const id of IDS) assert.equal(logs().includes(SECRET[id]), false, `the secret of ${id} is in a log`);
    assert.equal(logs().includes(CTRL1_ONLY_KEY), false);
  });

  it('sends no salt:// source that leads out of file_roots; the minion states fail', async () => {
    const from = seen.length;
    const r = await fleet.cliAsync('state', 'apply', 'ctrl-2.lab', 'outside', '--out', 'json');
    assert.equal(r.status, 2, r.stdout + r.stderr);
    await nc.flush();
    const ret = (JSON.parse(r.stdout) as Record<string, Record<string, { result: boolean; comment: string }>>)['ctrl-2.lab'];
    assert.deepEqual(Object.values(ret).map((x) => x.result), [false, false, false], JSON.stringify(ret));
    assert.equal(r.stdout.includes(`${SECRET['ctrl-1.lab']}-`), false);
    for (const f of ['via-link', 'via-dotdot']) assert.equal(fs.existsSync(path.join(work('ctrl-2.lab'), f)), false);
    for (const job of seen.slice(from).filter((s) => s.subject === jobSubject('ctrl-2.lab'))) {
      assert.equal(textOf(openJobAs('ctrl-2.lab', job.data).payload).includes(`${SECRET['ctrl-1.lab']}-`), false, 'a file from outside the roots is in the job');
    }
  });

  it("writes a minion's grains holding template syntax as data when the master renders its states", async () => {
    const r = await fleet.cliAsync('state', 'apply', 'ctrl-2.lab', 'grains-data', '--out', 'json');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(fs.readFileSync(path.join(work('ctrl-2.lab'), 'grain-data'), 'utf8'), "{{ salt['cmd.run']('touch MARKER') }}{% raw %}{{ 7*7 }}\n");
    for (const dir of [fleet.dir, process.cwd()]) assert.equal(fs.existsSync(path.join(dir, 'MARKER')), false);
  });

  // HOLE: a minion's grains drive the master's rendering: with a grain cpus: 1000000000 and an SLS
  // looping `range(grains['cpus'])`, common/render/globals.ts range() builds the whole list before
  // its MAX_RANGE check and V8 aborts the master process a few seconds later (SIGTRAP, "Fatal
  // JavaScript invalid size error"; render worker threads cannot contain it). Same with
  // `[x] * grains['cpus']` (python-ops.ts repeat()). Meanwhile the job reports the minion as
  // "Minion did not return. [No response]" (it was never sent the job), and a CLI still waiting
  // when the master dies waits forever. Reproduce: this test with it.skip -> it.
  it("survives a minion whose grains make a template loop a billion times (the master renders it)", async () => {
    // -t 30: the job waits for the render (a fixed master answers with an OverflowError at once)
    const r = await cliWithin(60_000, 'state', 'apply', 'ctrl-2.lab', 'loop', '-t', '30', '--out', 'json');
    const master = fleet.master!.child;
    assert.deepEqual([master.exitCode, master.signalCode], [null, null], `the master died:\n${fleet.master!.log().slice(-2000)}`);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /Range too big|OverflowError|MAX_RANGE/, `${r.stdout}${r.stderr}\nmaster log:\n${fleet.master!.log().slice(-3000)}`);
    assert.equal(fleet.cli('run', 'ctrl-1.lab', 'test.ping').status, 0);
  });
});
