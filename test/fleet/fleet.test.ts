/**
 * A master and three minion processes (ctrl-1.lab, ctrl-2.lab, ctrl-3.lab, each with its own
 * root_dir) over a real nats-server: keys, targeting, per-minion pillar, state runs, a minion
 * that stops, and forged, replayed and misattributed messages. Processes killed mid-job, a
 * nats-server restart, a full disk and SIGTERM are drilled in test/faults.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { AUTH_SUBJECT, jobSubject, MASTER_ID, returnSubject } from '../../common/protocol/subjects';
import { decode, encode } from '../../common/wire/codec';
import { createEnvelope } from '../../common/wire/envelope';
import { generateIdentity, loadIdentity, parsePublicDocument, publicDocument } from '../../common/wire/keys';
import { Fleet, waitFor } from '../helpers/fleet';
import { CONTROLLERS, pillarOf, writeFleetTree } from './fleet-tree';

/** Salt's json outputter on one line per minion: parse each line. */
function returnsOf(stdout: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const line of stdout.split('\n').filter((l) => l.startsWith('{'))) Object.assign(out, JSON.parse(line));
  return out;
}

function read(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function lastJid(fleet: Fleet, fun: string, after = ''): string {
  const r = fleet.cli('jobs', 'list', '--out', 'json');
  if (r.status === 0) {
    const jobs = JSON.parse(r.stdout) as Record<string, { Function?: string }>;
    const jid = Object.keys(jobs).sort().reverse().find((j) => jobs[j].Function === fun && j > after);
    if (jid) return jid;
  }
  throw new Error(`no ${fun} job after ${after || 'the start'} in jobs list: ${r.stdout}${r.stderr}`);
}

describe('fleet: master and three minions over NATS', function () {
  this.timeout(180_000);
  let fleet: Fleet;
  let nc: NatsConnection;
  const grainsOf = (id: string) => ({ host: id.split('.')[0], role: id === 'ctrl-1.lab' ? 'db' : 'web' });

  before(async () => {
    fleet = new Fleet("nodegroups: {webs: 'G@role:web', first: 'L@ctrl-1.lab'}");
    writeFleetTree(fleet);
    await fleet.startMaster();
    for (const id of CONTROLLERS) fleet.startMinion(id, grainsOf(id));
    // the master's own bus identity: sees every subject, to prove what travels and that the minions check more than the server does
    nc = await fleet.bus('master');
  });

  after(async () => {
    await nc?.close();
    if (fleet) await fleet.cleanup();
  });

  it('keeps new minions pending and untargeted until brine key accepts them', async () => {
    const keys = fleet.keys();
    await waitFor('three pending keys', () => CONTROLLERS.every((id) => keys.list().minions_pre.includes(id)));
    const listed = fleet.cli('key', 'list');
    assert.equal(listed.status, 0, listed.stderr);
    assert.match(listed.stdout, /Unaccepted Keys:\nctrl-1\.lab\nctrl-2\.lab\nctrl-3\.lab/);
    const early = fleet.cli('run', '*', 'test.ping');
    assert.equal(early.status, 1);
    assert.match(early.stderr, /No minions matched the target/);
    const accepted = fleet.cli('key', 'accept', 'ctrl-*', '-y');
    assert.equal(accepted.status, 0, accepted.stderr);
    for (const id of CONTROLLERS) assert.match(accepted.stdout, new RegExp(`Key for minion ${id.replace(/\./g, '\\.')} accepted\\.`));
    await fleet.waitReady(CONTROLLERS);
    const finger = fleet.cli('key', 'finger', 'master');
    const pinned = fs.readFileSync(path.join(fleet.rootOf('ctrl-1.lab'), 'etc', 'brine', 'pki', 'minion', 'minion_master.pub'), 'utf8');
    assert.equal(fs.readFileSync(path.join(fleet.masterDir, 'pki', 'master.pub'), 'utf8'), pinned);
    assert.match(finger.stdout, /master\.pub: +([0-9a-f]{2}:){31}[0-9a-f]{2}/);
  });

  it("answers test.ping on 'ctrl-*' from all three, with Salt's output and a summary", () => {
    const r = fleet.cli('run', 'ctrl-*', 'test.ping');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    for (const id of CONTROLLERS) assert.match(r.stdout, new RegExp(`^${id.replace(/\./g, '\\.')}:\\n    True$`, 'm'));
    assert.match(r.stdout, /# of minions targeted: 3\n# of minions returned: 3\n# of minions that did not return: 0\n# of minions with errors: 0\n/);
    const json = fleet.cli('run', 'ctrl-*', 'test.ping', '--out', 'json', '--out-indent', '-1');
    assert.deepEqual(returnsOf(json.stdout), { 'ctrl-1.lab': true, 'ctrl-2.lab': true, 'ctrl-3.lab': true });
  });

  it('runs cmd.run on a list target only', () => {
    const r = fleet.cli('run', '-L', 'ctrl-1.lab,ctrl-3.lab', 'cmd.run', 'echo hi from $(basename $PWD)', '--out', 'json', '--out-indent', '-1');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const data = returnsOf(r.stdout);
    assert.deepEqual(Object.keys(data).sort(), ['ctrl-1.lab', 'ctrl-3.lab']);
    for (const v of Object.values(data)) assert.match(String(v), /^hi from /);
  });

  it('targets by pcre, pillar, nodegroup, subnet and compound with I@ and N@', () => {
    const who = (...args: string[]) => {
      const r = fleet.cli('run', ...args, 'test.ping', '--out', 'json', '--out-indent', '-1');
      assert.equal(r.status, 0, r.stdout + r.stderr);
      return Object.keys(returnsOf(r.stdout)).sort();
    };
    assert.deepEqual(who('-E', '^ctrl-[12]\\.lab$'), ['ctrl-1.lab', 'ctrl-2.lab']);
    assert.deepEqual(who('-I', 'color:green'), ['ctrl-2.lab']);
    assert.deepEqual(who('-N', 'webs'), ['ctrl-2.lab', 'ctrl-3.lab']);
    assert.deepEqual(who('-S', '127.0.0.0/8'), [...CONTROLLERS]);
    assert.deepEqual(who('-C', 'I@color:red or ( N@webs and not G@host:ctrl-2 )'), ['ctrl-1.lab', 'ctrl-3.lab']);
    assert.deepEqual(who('-G', 'host:ctrl-[23]'), ['ctrl-2.lab', 'ctrl-3.lab']);
  });

  it('applies an SLS by grain target with each minion its own pillar and files', () => {
    const r = fleet.cli('state', 'apply', '-G', 'role:web', 'fleet', '--out', 'json', '--out-indent', '-1');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.deepEqual(Object.keys(returnsOf(r.stdout)).sort(), ['ctrl-2.lab', 'ctrl-3.lab']);
    for (const id of ['ctrl-2.lab', 'ctrl-3.lab']) {
      const work = path.join(fleet.rootOf(id), 'work');
      assert.equal(read(path.join(work, 'motd')), `managed by brine for ${id}\n`);
      assert.equal(read(path.join(work, 'greeting')), `hello ${id} in ${pillarOf(id).color}\n`);
      assert.equal(read(path.join(work, 'stamp')), `${pillarOf(id).color}\n`);
    }
    assert.equal(read(path.join(fleet.rootOf('ctrl-1.lab'), 'work', 'motd')), undefined);
  });

  it('applies the highstate on a compound target; a second run changes no file', () => {
    const tgt = 'G@host:ctrl-1 or ctrl-3*';
    const first = fleet.cli('state', 'apply', '-C', tgt, '--out', 'json', '--out-indent', '-1');
    assert.equal(first.status, 0, first.stdout + first.stderr);
    assert.deepEqual(Object.keys(returnsOf(first.stdout)).sort(), ['ctrl-1.lab', 'ctrl-3.lab']);
    assert.equal(read(path.join(fleet.rootOf('ctrl-1.lab'), 'work', 'greeting')), 'hello ctrl-1.lab in red\n');
    const second = returnsOf(fleet.cli('state', 'apply', '-C', tgt, '--out', 'json', '--out-indent', '-1').stdout) as Record<string, Record<string, { result: boolean; changes: object }>>;
    for (const id of ['ctrl-1.lab', 'ctrl-3.lab']) {
      const files = Object.entries(second[id]).filter(([k]) => k.startsWith('file_|-'));
      assert.equal(files.length, 2);
      for (const [, ret] of files) assert.deepEqual([ret.result, ret.changes], [true, {}]);
    }
  });

  it('runs in test mode with a pillar override, changing nothing', () => {
    const r = fleet.cli('state', 'apply', 'ctrl-2.lab', 'fleet', '--test', '--pillar', '{"color": "purple"}', '--out', 'json', '--out-indent', '-1');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const ret = returnsOf(r.stdout)['ctrl-2.lab'] as Record<string, { result: boolean | null; comment: string }>;
    const stamp = Object.entries(ret).find(([k]) => k.startsWith('cmd_|-stamp'))![1];
    assert.equal(stamp.result, null);
    assert.match(stamp.comment, /purple/);
    assert.equal(read(path.join(fleet.rootOf('ctrl-2.lab'), 'work', 'stamp')), 'green\n');
  });

  it('does not declare a minion dead while it reports progress on a run longer than the timeout', () => {
    const r = fleet.cli('state', 'apply', 'ctrl-1.lab', 'slow', '-t', '1', '--out', 'json', '--out-indent', '-1');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const ret = returnsOf(r.stdout)['ctrl-1.lab'] as Record<string, { result: boolean; changes: { stdout?: string } }>;
    assert.deepEqual(Object.values(ret).map((x) => [x.result, x.changes.stdout]), [[true, 'slept']]);
  });

  it('reports a render error as that minion failing, naming the file and line', () => {
    const r = fleet.cli('state', 'apply', 'ctrl-1.lab', 'broken');
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /broken\.sls/);
    assert.match(r.stdout, /no_such_key/);
    assert.match(r.stdout, /# of minions with errors: 1/);
  });

  it('never lets a minion pillar travel readable on the bus or into logs', async () => {
    const seen: Uint8Array[] = [];
    const sub = nc.subscribe('brine.>', { callback: (_e, m) => { seen.push(m.data); } });
    const r = await fleet.cliAsync('state', 'apply', 'ctrl-*', 'fleet', '--out', 'quiet');
    await nc.flush();
    sub.unsubscribe();
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.ok(seen.length >= 6, `saw ${seen.length} messages`);
    const all = Buffer.concat(seen.map((b) => Buffer.from(b))).toString('latin1');
    for (const id of CONTROLLERS) {
      assert.ok(!all.includes(pillarOf(id).secret), `secret of ${id} readable on the bus`);
      assert.ok(!all.includes(`managed by brine for ${id}`), `pillar text of ${id} readable on the bus`);
    }
    const logs = fleet.master!.log() + CONTROLLERS.map((id) => fleet.minions.get(id)!.log()).join('');
    for (const id of CONTROLLERS) assert.ok(!logs.includes(pillarOf(id).secret), `secret of ${id} in a log`);
  });

  it('says so when a target matches nothing, and refuses a malformed one', () => {
    const none = fleet.cli('run', 'nomatch*', 'test.ping');
    assert.equal(none.status, 1);
    assert.match(none.stderr, /No minions matched the target\. No command was sent, no jid was assigned\./);
    const bad = fleet.cli('run', '-C', 'G@host:ctrl-1 and (', 'test.ping');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /brine: .*(compound|target)/i);
  });

  it('shows the job on the event bus: published, returns, done', async () => {
    const watcher = fleet.cliAsync('events', '--count', '4');
    await new Promise((r) => setTimeout(r, 1000));
    const r = fleet.cli('run', '-L', 'ctrl-1.lab,ctrl-2.lab', 'test.ping');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const seen = await watcher;
    assert.equal(seen.status, 0, seen.stderr);
    const jid = lastJid(fleet, 'test.ping');
    const tags = seen.stdout.trim().split('\n').map((l) => l.split('\t')[0]);
    assert.ok(tags.includes(`brine.evt.job.${jid}.new`), tags.join('\n'));
    assert.ok(tags.includes(`brine.evt.job.${jid}.ret.ctrl-1.lab`), tags.join('\n'));
    assert.ok(tags.includes(`brine.evt.job.${jid}.ret.ctrl-2.lab`), tags.join('\n'));
    assert.ok(tags.includes(`brine.evt.job.${jid}.done`), tags.join('\n'));
    const done = JSON.parse(seen.stdout.split('\n').find((l) => l.startsWith(`brine.evt.job.${jid}.done\t`))!.split('\t')[1]) as { answered: string[]; noResponse: string[] };
    assert.deepEqual([done.answered, done.noResponse], [['ctrl-1.lab', 'ctrl-2.lab'], []]);
  });

  it('carries files and returns larger than the bus max_payload', () => {
    const big = Buffer.alloc(9 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = 97 + (i % 26);
    fleet.state('files/big.txt', big.toString('latin1'));
    fleet.state('big.sls', "{{ grains['workdir'] }}/big.txt:\n  file.managed:\n    - source: salt://files/big.txt\n");
    const r = fleet.cli('state', 'apply', 'ctrl-2.lab', 'big', '--out', 'quiet');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.ok(read(path.join(fleet.rootOf('ctrl-2.lab'), 'work', 'big.txt')) === big.toString('latin1'), 'the 9 MiB file arrived intact');
    const out = fleet.cli('run', 'ctrl-2.lab', 'cmd.run', `cat ${path.join(fleet.rootOf('ctrl-2.lab'), 'work', 'big.txt')}`, '--out', 'json', '--out-indent', '-1');
    assert.equal(out.status, 0, out.stderr);
    assert.equal((returnsOf(out.stdout)['ctrl-2.lab'] as string).length, big.length);
  });

  it('rejects and logs a forged job; nothing runs', async () => {
    const id = 'ctrl-1.lab';
    const flag = path.join(fleet.rootOf(id), 'work', 'forged');
    const minionKeys = parsePublicDocument(fs.readFileSync(path.join(fleet.masterDir, 'pki', 'minions', id), 'utf8'));
    const impostor = generateIdentity();
    const job = { jid: '20991231235959000001', fun: 'cmd.run', args: [`touch ${flag}`], kwargs: {}, progressIntervalMs: 1000 };
    nc.publish(jobSubject(id), createEnvelope({ kind: 'job', from: MASTER_ID, to: id, jid: job.jid, ttlMs: 60_000, payload: job, signer: impostor.privateKeys, recipient: minionKeys }));
    await waitFor('the rejection in the minion log', () => /bad-signature/.test(fleet.minions.get(id)!.log()));
    assert.equal(fs.existsSync(flag), false);
    assert.equal((fleet.minions.get(id)!.log().match(/bad-signature/g) ?? []).length, 1);
  });

  it('rejects a replayed job: it runs once', async () => {
    const id = 'ctrl-1.lab';
    const file = path.join(fleet.rootOf(id), 'work', 'replay-count');
    const captured: Uint8Array[] = [];
    const sub = nc.subscribe(jobSubject(id), { callback: (_e, m) => { captured.push(m.data); } });
    const r = await fleet.cliAsync('run', id, 'cmd.run', `echo once >> ${file}`);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    await nc.flush();
    sub.unsubscribe();
    assert.equal(captured.length, 1);
    nc.publish(jobSubject(id), captured[0]);
    await waitFor('the replay rejection in the minion log', () => /replayed/.test(fleet.minions.get(id)!.log()));
    assert.equal(read(file), 'once\n');
  });

  it("rejects a return that claims to be another minion's", async () => {
    const r = fleet.cli('run', 'ctrl-2.lab', 'test.ping');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const jid = lastJid(fleet, 'test.ping');
    const ctrl1 = loadIdentity(path.join(fleet.rootOf('ctrl-1.lab'), 'etc', 'brine', 'pki', 'minion'), 'minion');
    const masterPub = parsePublicDocument(fs.readFileSync(path.join(fleet.masterDir, 'pki', 'master.pub'), 'utf8'));
    const forged = { type: 'return', jid, data: 'forged by ctrl-1', retcode: 0, success: true, outputter: 'nested', startedAt: Date.now(), finishedAt: Date.now() };
    const js = jetstream(nc);
    // signed by ctrl-1 but claiming to be ctrl-2, on ctrl-2's return subject
    await js.publish(returnSubject(jid, 'ctrl-2.lab'), createEnvelope({ kind: 'ret', from: 'ctrl-2.lab', to: MASTER_ID, jid, ttlMs: 60_000, payload: forged, signer: ctrl1.privateKeys, recipient: masterPub }));
    // honestly from ctrl-1, on ctrl-2's subject
    await js.publish(returnSubject(jid, 'ctrl-2.lab'), createEnvelope({ kind: 'ret', from: 'ctrl-1.lab', to: MASTER_ID, jid, ttlMs: 60_000, payload: forged, signer: ctrl1.privateKeys, recipient: masterPub }));
    // ctrl-1 on its own subject, for a job it was never sent
    await js.publish(returnSubject(jid, 'ctrl-1.lab'), createEnvelope({ kind: 'ret', from: 'ctrl-1.lab', to: MASTER_ID, jid, ttlMs: 60_000, payload: forged, signer: ctrl1.privateKeys, recipient: masterPub }));
    await waitFor('three rejections in the master log', () => (fleet.master!.log().match(/Rejected return/g) ?? []).length >= 3);
    const job = fleet.job(jid)!;
    assert.deepEqual(job.returns.map((x) => [x.minion, x.state, x.data]), [['ctrl-2.lab', 'answered', true]]);
  });

  it('refuses hostile and reserved minion ids at auth', async () => {
    const someone = generateIdentity();
    const good = decode(createEnvelope({ kind: 'auth', from: 'evil', to: MASTER_ID, ttlMs: 60_000, payload: { pub: publicDocument(someone.publicKeys) }, signer: someone.privateKeys })) as Record<string, unknown>;
    for (const hostile of ['../evil', 'a/b', 'x*', 'x>', 'has space', 'ctl\u0007']) {
      await assert.rejects(nc.request(AUTH_SUBJECT, encode({ ...good, from: hostile }), { timeout: 500 }));
    }
    const reserved = await nc.request(AUTH_SUBJECT, createEnvelope({ kind: 'auth', from: 'master', to: MASTER_ID, ttlMs: 60_000, payload: { pub: publicDocument(someone.publicKeys) }, signer: someone.privateKeys }), { timeout: 5000 });
    const reply = decode(reserved.data) as { body: Uint8Array };
    assert.equal((decode(reply.body) as { status: string }).status, 'refused');
    const listing = fleet.keys().list();
    const all = Object.values(listing).flat();
    assert.ok(!all.some((id) => /evil|master|space|\*/.test(id)), JSON.stringify(listing));
    assert.match(fleet.master!.log(), /Rejected auth request/);
    const bad = fleet.startMinion('bad..id');
    assert.equal(await bad.exited, 1);
    assert.match(bad.log(), /invalid minion id/);
  });

  it('names a stopped minion as not responding; the others answer', async () => {
    await fleet.stopMinion('ctrl-3.lab', 'SIGKILL');
    const r = fleet.cli('run', 'ctrl-*', 'test.ping', '-t', '2');
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^ctrl-1\.lab:\n    True$/m);
    assert.match(r.stdout, /^ctrl-2\.lab:\n    True$/m);
    assert.match(r.stdout, /^ctrl-3\.lab:\n    Minion did not return\. \[No response\]$/m);
    assert.match(r.stdout, /# of minions that did not return: 1\n/);
    assert.match(r.stdout, /Minions not responding: ctrl-3\.lab/);
    fleet.startMinion('ctrl-3.lab', grainsOf('ctrl-3.lab'));
    await waitFor('ctrl-3 back', () => fleet.cli('run', 'ctrl-3.lab', 'test.ping', '-t', '2').status === 0, 30_000, 200);
  });
});
