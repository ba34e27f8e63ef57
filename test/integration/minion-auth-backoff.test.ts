/**
 * A minion whose master does not answer (down, or too busy with a storm of minions) asks again
 * less and less often, as Salt's does with acceptance_wait_time_max; and an "Authentication
 * Timeout" from a busy server is not taken for the server refusing the minion's key.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuthorizationError } from '@nats-io/transport-node';
import { connectNats } from '../../common/nats/connect';
import { AUTH_SUBJECT } from '../../common/protocol';
import { createLogger } from '../../common/log';
import { loadOrCreateIdentity } from '../../common/wire/keys';
import { waitForAcceptance } from '../../minion/daemon/acceptance';
import { isAuthRefusal } from '../../minion/daemon/bus-login';
import { MasterKeyPin } from '../../minion/daemon/master-key';
import { startTestNats, type TestNats } from '../helpers/nats-server';

describe('minion authentication backoff', function () {
  this.timeout(60_000);
  let nats: TestNats;
  let dir: string;

  before(async () => {
    nats = await startTestNats();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-auth-backoff-'));
  });
  after(async () => {
    await nats?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('doubles the wait after each unanswered attempt up to acceptance_wait_time_max', async () => {
    const nc = await connectNats({ servers: nats.url, name: 'backoff-minion' });
    const watcher = await connectNats({ servers: nats.url, name: 'backoff-watcher' });
    const asked: number[] = [];
    // a master that hears the requests but never answers: every attempt times out
    const sub = watcher.subscribe(AUTH_SUBJECT, {
      callback: () => {
        asked.push(Date.now());
      },
    });
    await watcher.flush();
    const lines: string[] = [];
    const stop = new AbortController();
    const { identity } = loadOrCreateIdentity(path.join(dir, 'pki'), 'minion');
    const waiting = waitForAcceptance(
      { nc, id: 'backoff.test', identity, pin: new MasterKeyPin(path.join(dir, 'pki'), null), timeoutMs: 50 },
      { acceptanceWaitTime: 0.1, acceptanceWaitTimeMax: 0.8, logger: createLogger('debug', (l) => lines.push(l)), signal: stop.signal },
    );
    const deadline = Date.now() + 30_000;
    while (asked.length < 7 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    stop.abort();
    assert.equal(await waiting, undefined, 'gives up only when stopped');
    sub.unsubscribe();
    await Promise.all([nc.close(), watcher.close()]);
    const waits = lines.filter((l) => /does not answer/.test(l)).map((l) => /retrying in ([\d.]+) s/.exec(l)?.[1]);
    assert.deepEqual(waits.slice(0, 6), ['0.1', '0.2', '0.4', '0.8', '0.8', '0.8'], lines.join(''));
    assert.equal(lines.filter((l) => /WARNING/.test(l) && /does not answer/.test(l)).length, 1, 'warned once, the rest at debug level');
  });

  it("takes an Authorization Violation for a refused key, an Authentication Timeout for a busy server", () => {
    assert.equal(isAuthRefusal(new AuthorizationError("'Authorization Violation'")), true);
    assert.equal(isAuthRefusal(new Error('nats: Authorization Violation')), true);
    assert.equal(isAuthRefusal(new AuthorizationError("'Authentication Timeout'")), false);
    assert.equal(isAuthRefusal(new Error('connection refused')), false);
    assert.equal(isAuthRefusal('Authorization Violation'), false);
  });
});
