import * as assert from 'node:assert/strict';
import { JidGenerator, formatJid, isJid, jidToTime, newJid } from '../../master/jobcache/index';

describe('jobcache: jids', () => {
  it("formats a UTC time as Salt's YYYYMMDDhhmmssffffff", () => {
    const micros = Date.UTC(2024, 0, 5, 12, 34, 56, 123) * 1000 + 456;
    assert.equal(formatJid(micros), '20240105123456123456');
  });

  it('gives one microsecond more when the clock has not moved on or went back', () => {
    const times = [1_700_000_000_000_000, 1_700_000_000_000_000, 1_699_999_999_999_000, 1_700_000_000_000_500];
    const gen = new JidGenerator(() => times.shift() as number);
    assert.deepEqual(
      [gen.next(), gen.next(), gen.next(), gen.next()],
      ['20231114221320000000', '20231114221320000001', '20231114221320000002', '20231114221320000500'],
    );
  });

  it('newJid hands out 2000 distinct, increasing, well-formed jids', () => {
    const jids = Array.from({ length: 2000 }, () => newJid());
    assert.equal(new Set(jids).size, 2000);
    for (let i = 1; i < jids.length; i++) assert.ok(jids[i] > jids[i - 1], `${jids[i]} after ${jids[i - 1]}`);
    assert.ok(jids.every((jid) => /^[0-9]{20}$/.test(jid)));
  });

  it("accepts what Salt's is_jid accepts", () => {
    assert.equal(isJid('20240105123456123456'), true);
    assert.equal(isJid('20240105123456123456_4242'), true);
    assert.equal(isJid('2024010512345612345'), false);
    assert.equal(isJid('20240105123456123456x'), false);
    assert.equal(isJid('2024010512345612345a'), false);
    assert.equal(isJid(20240105123456123456), false);
  });

  it("renders the start time as Salt's jid_to_time", () => {
    assert.equal(jidToTime('20240105123456123456'), '2024, Jan 05 12:34:56.123456');
    assert.equal(jidToTime('20241231235959000001_77'), '2024, Dec 31 23:59:59.000001');
    assert.equal(jidToTime('not-a-jid'), '');
  });
});
