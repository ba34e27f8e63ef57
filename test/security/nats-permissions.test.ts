/**
 * Least privilege on the bus, enforced by nats-server itself: each accepted minion connects
 * with its own key as its nkey and may only use its own subjects; a client without credentials
 * (the guest) may only ask to be accepted; the CLI's operator identity may only send commands
 * and read events; a key that is not accepted cannot connect. Accepting and deleting keys
 * changes the server's users without restarting it.
 */
import assert from 'node:assert/strict';
import { AuthorizationError, type NatsConnection } from '@nats-io/transport-node';
import { AUTH_SUBJECT, jobSubject, MASTER_COMMAND_SUBJECT, minionEventSubject, returnSubject } from '../../common/protocol/subjects';
import { Fleet, waitFor } from '../helpers/fleet';
import { natsServerPid } from '../helpers/drill';

/** Errors the server sent each connection (permission violations arrive as asynchronous errors). */
const serverErrors = new WeakMap<NatsConnection, string[]>();

function collectErrors(nc: NatsConnection): NatsConnection {
  const errors: string[] = [];
  serverErrors.set(nc, errors);
  void (async () => {
    for await (const s of nc.status()) if (s.type === 'error') errors.push(s.error.message);
  })().catch(() => {});
  return nc;
}

/** The server's verdict on one operation: 'refused' (permissions violation) or 'allowed'. */
async function verdict(nc: NatsConnection, op: { sub: string } | { pub: string }): Promise<'refused' | 'allowed'> {
  const errors = serverErrors.get(nc) ?? [];
  const subject = 'sub' in op ? op.sub : op.pub;
  const refusal = `Permissions Violation for ${'sub' in op ? 'Subscription' : 'Publish'} to "${subject}"`;
  const sub = 'sub' in op ? nc.subscribe(op.sub) : undefined;
  if ('pub' in op) nc.publish(op.pub, new Uint8Array([1]));
  // the server answers in order: its -ERR for the operation comes before the PONG of this flush
  await nc.flush();
  await new Promise((r) => setImmediate(r));
  sub?.unsubscribe();
  return errors.includes(refusal) ? 'refused' : 'allowed';
}

describe('security: least privilege on NATS (nkeys and permissions)', function () {
  this.timeout(120_000);
  let fleet: Fleet;
  const ids = ['ctrl-1.lab', 'ctrl-2.lab'];
  const open: NatsConnection[] = [];
  const bus = async (who: Parameters<Fleet['bus']>[0]) => {
    const nc = collectErrors(await fleet.bus(who));
    open.push(nc);
    return nc;
  };

  before(async () => {
    fleet = new Fleet();
    await fleet.startMaster();
    for (const id of ids) fleet.startMinion(id, {});
    await fleet.acceptWhenPending(ids);
    await fleet.waitReady(ids);
  });

  after(async () => {
    for (const nc of open) await nc.close().catch(() => {});
    if (fleet) await fleet.cleanup();
  });

  it("lets an accepted minion use its own subjects only", async () => {
    const nc = await bus({ minion: 'ctrl-1.lab' });
    const other = 'ctrl-2.lab';
    for (const sub of [jobSubject(other), 'brine.job.*', 'brine.>', '>', 'brine.ret.>', '_INBOX.>', 'brine.evt.>', MASTER_COMMAND_SUBJECT]) {
      assert.equal(await verdict(nc, { sub }), 'refused', `subscribe ${sub}`);
    }
    for (const pub of [jobSubject('ctrl-1.lab'), jobSubject(other), returnSubject('123', other), minionEventSubject(other, 'start'), MASTER_COMMAND_SUBJECT, '$JS.API.STREAM.DELETE.BRINE_RETURNS', 'brine.evt.master.start']) {
      assert.equal(await verdict(nc, { pub }), 'refused', `publish ${pub}`);
    }
    assert.equal(await verdict(nc, { sub: jobSubject('ctrl-1.lab') }), 'allowed');
    assert.equal(await verdict(nc, { pub: minionEventSubject('ctrl-1.lab', 'event') }), 'allowed');
  });

  it('lets a client without credentials only ask to be accepted', async () => {
    const nc = await bus('guest');
    for (const sub of [jobSubject('ctrl-1.lab'), 'brine.>', '>']) assert.equal(await verdict(nc, { sub }), 'refused', `subscribe ${sub}`);
    for (const pub of [jobSubject('ctrl-1.lab'), returnSubject('123', 'ctrl-1.lab'), MASTER_COMMAND_SUBJECT, minionEventSubject('ctrl-1.lab', 'start')]) {
      assert.equal(await verdict(nc, { pub }), 'refused', `publish ${pub}`);
    }
    assert.equal(await verdict(nc, { pub: AUTH_SUBJECT }), 'allowed');
  });

  it('gives the operator commands and events, not jobs or returns', async () => {
    const nc = await bus('operator');
    for (const sub of [jobSubject('ctrl-1.lab'), 'brine.ret.>', '>']) assert.equal(await verdict(nc, { sub }), 'refused', `subscribe ${sub}`);
    for (const pub of [jobSubject('ctrl-1.lab'), returnSubject('123', 'ctrl-1.lab'), '$JS.API.STREAM.DELETE.BRINE_EVENTS']) assert.equal(await verdict(nc, { pub }), 'refused', `publish ${pub}`);
    const ping = fleet.cli('run', '*', 'test.ping');
    assert.equal(ping.status, 0, ping.stderr);
    const events = await fleet.cliAsync('events', '--count', '1', '--all');
    assert.equal(events.status, 0, events.stderr);
  });

  it('refuses a key the master has not accepted; accepting it opens the bus without a restart, deleting it closes it', async () => {
    const pid = natsServerPid(fleet);
    assert.ok(pid !== undefined, 'the nats-server pid file names a running server');
    fleet.startMinion('ctrl-3.lab', {});
    await waitFor('ctrl-3 pending', () => fleet.keys().list().minions_pre.includes('ctrl-3.lab'));
    await assert.rejects(fleet.bus({ minion: 'ctrl-3.lab' }), (e: unknown) => e instanceof AuthorizationError || /Authorization Violation/.test(String(e)));

    const accepted = fleet.cli('key', 'accept', 'ctrl-3.lab', '-y');
    assert.equal(accepted.status, 0, accepted.stderr);
    await fleet.waitReady(['ctrl-3.lab']);
    const nc = await bus({ minion: 'ctrl-3.lab' });
    assert.equal(await verdict(nc, { sub: jobSubject('ctrl-3.lab') }), 'allowed');
    assert.equal(natsServerPid(fleet), pid, 'nats-server was not restarted');

    const deleted = fleet.cli('key', 'delete', 'ctrl-3.lab', '-y');
    assert.equal(deleted.status, 0, deleted.stderr);
    await waitFor('the server to drop the deleted key', () => (serverErrors.get(nc) ?? []).some((e) => /Authorization Violation/.test(e)), 20_000);
    await assert.rejects(fleet.bus({ minion: 'ctrl-3.lab' }), /Authorization Violation|AuthorizationError/);
    assert.equal(natsServerPid(fleet), pid, 'nats-server was not restarted');
    await fleet.stopMinion('ctrl-3.lab');
  });
});
