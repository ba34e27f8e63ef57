import * as assert from 'node:assert/strict';
import { SoakLedger, complete, roundTripMs, type SoakJob } from '../../bench/soak-ledger';
import { JOB_KINDS, kindOf, parseMix } from '../../bench/soak-mix';
import { account, everyReturnAccounted, memoryFloor, memoryVerdict, memoryVerdicts, percentile } from '../../bench/soak-stats';
import type { StoredCounts } from '../../bench/soak-cache-check';

function job(seq: number, kind = JOB_KINDS.echo): SoakJob {
  return { seq, phase: 'measure', kind, token: `soak-measure-${seq}`, sentAt: 1000, expected: 0, received: 0, wrong: 0, extra: 0, noResponse: 0 };
}

const ret = (jid: string, minion: string, data: unknown, retcode = 0) => ({ type: 'ret' as const, jid, minion, data, retcode, success: retcode === 0, outputter: 'nested', at: 0 });

describe('npm run soak: its figures', () => {
  it('percentile is the nearest rank, NaN for nothing', () => {
    const v = Array.from({ length: 100 }, (_, i) => 100 - i);
    assert.equal(percentile(v, 50), 50);
    assert.equal(percentile(v, 99), 99);
    assert.equal(percentile(v, 100), 100);
    assert.equal(percentile([7], 99), 7);
    assert.ok(Number.isNaN(percentile([], 50)));
  });

  it('spreads each kind of the mix over the jobs in proportion to its weight', () => {
    const mix = parseMix('ping=85,echo=10,grains=4,cmd=1');
    const counts = new Map<string, number>();
    for (let seq = 0; seq < 1000; seq++) counts.set(kindOf(mix, seq).name, (counts.get(kindOf(mix, seq).name) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(counts), { ping: 850, echo: 100, grains: 40, cmd: 10 });
    assert.throws(() => parseMix('ping=1,nope=2'), /unknown job kind 'nope'/);
    assert.throws(() => parseMix('ping=0'), /positive integer/);
  });

  it('the ledger counts each expected return once, checks its data, and takes early events when the reply comes', () => {
    const ledger = new SoakLedger();
    const a = job(1);
    ledger.add(a);
    ledger.event(ret('J1', 'm1.lab', 'soak-measure-1'), 1100); // before the publish reply
    ledger.replied(a, 'J1', ['m1.lab', 'm2.lab'], 1010);
    assert.equal(ledger.inflight, 1);
    ledger.event(ret('J1', 'm1.lab', 'soak-measure-1'), 1150); // repeated
    ledger.event(ret('J1', 'm3.lab', 'soak-measure-1'), 1160); // not expected
    ledger.event(ret('J1', 'm2.lab', 'wrong answer'), 1200);
    assert.equal(complete(a), true);
    assert.equal(roundTripMs(a), 200);
    assert.deepEqual([a.received, a.extra, a.wrong, ledger.inflight, ledger.returnsSeen], [2, 2, 1, 0, 2]);
  });

  it('a job the master closed with a silent minion is no longer under way; its late return still counts', () => {
    const ledger = new SoakLedger();
    const b = job(2, JOB_KINDS.ping);
    ledger.add(b);
    ledger.replied(b, 'J2', ['m1.lab', 'm2.lab'], 1010);
    ledger.event(ret('J2', 'm1.lab', true), 1100);
    ledger.event({ type: 'done', jid: 'J2', answered: ['m1.lab'], failed: [], noResponse: ['m2.lab'], at: 0 }, 1200);
    assert.equal(ledger.inflight, 0);
    assert.equal(complete(b), false);
    ledger.event(ret('J2', 'm2.lab', true), 5000);
    assert.equal(complete(b), true);
    assert.equal(ledger.inflight, 0);
    assert.equal(b.noResponse, 1);
  });

  it('every return is accounted for only when each was seen live and stored with the right answer', () => {
    const ledger = new SoakLedger();
    const c = job(3, JOB_KINDS.ping);
    ledger.add(c);
    ledger.replied(c, 'J3', ['m1.lab', 'm2.lab'], 1010);
    ledger.event(ret('J3', 'm1.lab', true), 1100);
    ledger.event(ret('J3', 'm2.lab', true), 1100);
    const stored: StoredCounts = { jobs: 1, jobsMissing: 0, expected: 2, answered: 2, wrong: 0, missing: 0, unexpected: 0, returnErrors: 0 };
    assert.equal(everyReturnAccounted(account(ledger.jobs, stored, 0), 2), true);
    assert.equal(everyReturnAccounted(account(ledger.jobs, { ...stored, answered: 1, missing: 1 }, 0), 2), false);
    assert.equal(everyReturnAccounted(account(ledger.jobs, stored, 0), 3), false, 'the master expected fewer minions than the fleet has');
    assert.equal(everyReturnAccounted(account(ledger.jobs, stored, 1), 2), false, 'an event of a job this run did not publish');
  });

  it('memory is flat within the larger of the percentage and the slack', () => {
    assert.equal(memoryVerdict('m', 50 * 1024, 66 * 1024, 20, 16).flat, true);
    assert.equal(memoryVerdict('m', 50 * 1024, 67 * 1024, 20, 16).flat, false);
    assert.equal(memoryVerdict('m', 200 * 1024, 240 * 1024, 20, 16).flat, true);
    assert.equal(memoryVerdict('m', 200 * 1024, 241 * 1024, 20, 16).flat, false);
  });

  it("judges the floor of each process's samples: a sawtooth is flat, a rising floor is not", () => {
    const mib = (v: number) => v * 1024;
    const at = (master: number, nats: number, minions: number[]) => ({ master: mib(master), nats: mib(nats), minions: minions.map(mib) });
    const early = [at(200, 30, [70, 71]), at(360, 40, [72, 70])];
    const late = [at(210, 90, [70, 90]), at(340, 95, [71, 95])];
    assert.deepEqual(memoryFloor(early), at(200, 30, [70, 70]));
    const v = memoryVerdicts(memoryFloor(early), memoryFloor(late), 20, 16);
    assert.deepEqual(v.map((x) => [x.what, x.flat]), [
      ['master (node)', true],
      ['nats-server', false],
      ['minion, mean of all', true],
      ['minion #2, grew most', false],
    ]);
  });
});
