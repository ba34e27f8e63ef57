import * as assert from 'node:assert/strict';
import { ValidationError } from '../../common/errors';
import type { MinionFacts } from '../../common/match/index';
import { mergeTops, topMatches } from '../../common/top';

function ctrl(n: number): MinionFacts {
  return {
    id: `ctrl-${n}.lab`,
    grains: { os: 'Debian', ipv4: ['127.0.0.1', `10.0.0.1${n}`] },
    pillar: { role: 'controller' },
  };
}
const CTRL1 = ctrl(1);
const CTRL2 = ctrl(2);
const DB1: MinionFacts = { id: 'db-1.lab', grains: { os: 'Ubuntu', ipv4: ['10.0.1.5'] }, pillar: { role: 'db' } };
const WEB1: MinionFacts = { id: 'web-1.lab', grains: { os: 'Debian', ipv4: ['10.0.2.5'] }, pillar: { role: 'web' } };

function topError(tops: Record<string, unknown>, minion: MinionFacts = CTRL1): ValidationError {
  try {
    topMatches(tops, minion);
  } catch (e) {
    assert.ok(e instanceof ValidationError, `expected ValidationError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a ValidationError');
}

describe('topMatches: one top file', () => {
  const tops = {
    base: {
      '*': ['common'],
      'ctrl-*': [{ match: 'glob' }, 'rabbitmq-server.deploy'],
      'G@os:Debian and ctrl-2*': [{ match: 'compound' }, 'ha.deploy'],
    },
  };

  it('lists the SLS of every matching target, in top-file order', () => {
    assert.deepEqual(topMatches(tops, CTRL2), { base: ['common', 'rabbitmq-server.deploy', 'ha.deploy'] });
    assert.deepEqual(topMatches(tops, CTRL1), { base: ['common', 'rabbitmq-server.deploy'] });
    assert.deepEqual(topMatches(tops, DB1), { base: ['common'] });
  });

  it('uses the compound matcher when no match is given', () => {
    const t = { base: { 'G@os:Debian and not ctrl-*': ['debian-only'], 'ctrl-* or db-*': ['infra'] } };
    assert.deepEqual(topMatches(t, WEB1), { base: ['debian-only'] });
    assert.deepEqual(topMatches(t, DB1), { base: ['infra'] });
    assert.deepEqual(topMatches(t, CTRL1), { base: ['infra'] });
  });

  it('supports every matcher named by match:', () => {
    const t = {
      base: {
        'os:Debian': [{ match: 'grain' }, 'by-grain'],
        'os:(ubuntu|centos)': [{ match: 'grain_pcre' }, 'by-grain-pcre'],
        'ctrl-[2-9]': [{ match: 'pcre' }, 'by-pcre'],
        'ctrl-1.lab,db-1.lab': [{ match: 'list' }, 'by-list'],
        'role:contr*': [{ match: 'pillar' }, 'by-pillar'],
        'role:(db|web)$': [{ match: 'pillar_pcre' }, 'by-pillar-pcre'],
        'role:WEB': [{ match: 'pillar_exact' }, 'by-pillar-exact'],
        '10.0.0.0/24': [{ match: 'ipcidr' }, 'by-ipcidr'],
        webs: [{ match: 'nodegroup' }, 'by-nodegroup'],
        'web-*': [{ match: 'glob' }, 'by-glob'],
        'db-* or web-*': [{ match: 'compound' }, 'by-compound'],
      },
    };
    const opts = { nodegroups: { webs: 'web-*' } };
    assert.deepEqual(topMatches(t, CTRL1, opts), { base: ['by-grain', 'by-list', 'by-pillar', 'by-ipcidr'] });
    assert.deepEqual(topMatches(t, CTRL2, opts), { base: ['by-grain', 'by-pcre', 'by-pillar', 'by-ipcidr'] });
    assert.deepEqual(topMatches(t, DB1, opts), { base: ['by-grain-pcre', 'by-list', 'by-pillar-pcre', 'by-compound'] });
    assert.deepEqual(topMatches(t, WEB1, opts), {
      base: ['by-grain', 'by-pillar-pcre', 'by-pillar-exact', 'by-nodegroup', 'by-glob', 'by-compound'],
    });
  });

  it('uses the last match: item of a target', () => {
    const t = { base: { 'os:Debian': [{ match: 'glob' }, 'x', { match: 'grain' }] } };
    assert.deepEqual(topMatches(t, WEB1), { base: ['x'] });
  });

  it('drops repeated SLS, keeping the first place', () => {
    const t = { base: { '*': ['a', 'b'], 'ctrl-*': ['b', 'c', 'a', 'c'] } };
    assert.deepEqual(topMatches(t, CTRL1), { base: ['a', 'b', 'c'] });
  });

  it('keeps a saltenv whose matching targets list no SLS, and returns {} when nothing matches', () => {
    assert.deepEqual(topMatches({ base: { 'ctrl-*': [{ match: 'glob' }] } }, CTRL1), { base: [] });
    assert.deepEqual(topMatches({ base: { 'ctrl-*': ['x'] } }, DB1), {});
    assert.deepEqual(topMatches({}, DB1), {});
  });

  it('lists each section of the top file as its own saltenv, and honours saltenv', () => {
    const t = { base: { '*': ['core'] }, dev: { 'ctrl-*': ['devtools'] } };
    assert.deepEqual(topMatches(t, CTRL1), { base: ['core'], dev: ['devtools'] });
    assert.deepEqual(topMatches(t, CTRL1, { saltenv: 'dev' }), { dev: ['devtools'] });
    assert.deepEqual(topMatches(t, DB1, { saltenv: 'dev' }), {});
  });

  it('adds "- saltenv: sls" items to that saltenv when it is known', () => {
    const t = { base: { 'ctrl-*': ['a', { dev: 'b' }, { nowhere: 'c' }] }, dev: {} };
    assert.deepEqual(topMatches(t, CTRL1), { base: ['a'], dev: ['b'] });
  });

  it('applies subfilter targets inside a matching target', () => {
    const t = {
      base: {
        'G@os:Debian': [{ subfilter: { 'ctrl-2*': ['ha.deploy'], 'db-*': ['db'], 'web-*': 'web' } }, 'common'],
      },
    };
    assert.deepEqual(topMatches(t, CTRL2), { base: ['ha.deploy', 'common'] });
    assert.deepEqual(topMatches(t, WEB1), { base: ['web', 'common'] });
    assert.deepEqual(topMatches(t, DB1), {});
  });
});

describe('topMatches: top files of several saltenvs (merge strategy)', () => {
  const tops = {
    base: { base: { '*': ['core'] }, dev: { '*': ['dev-from-base'] } },
    dev: { dev: { '*': ['dev-own'] }, base: { '*': ['base-from-dev'] } },
    qa: { qa: { '*': ['qa-own'] }, base: { '*': ['base-from-qa'] } },
    prod: null,
  };

  it('takes every section of base, and only its own section from other saltenvs', () => {
    assert.deepEqual(topMatches(tops, CTRL1), { base: ['core'], dev: ['dev-from-base'], qa: ['qa-own'] });
    assert.deepEqual(mergeTops(tops), {
      base: { '*': ['core'] },
      dev: { '*': ['dev-from-base'] },
      qa: { '*': ['qa-own'] },
    });
  });

  it('reads only the top file of the saltenv being applied', () => {
    assert.deepEqual(topMatches(tops, CTRL1, { saltenv: 'dev' }), { dev: ['dev-own'] });
    assert.deepEqual(topMatches(tops, CTRL1, { saltenv: 'base' }), { base: ['core'] });
    assert.deepEqual(topMatches(tops, CTRL1, { saltenv: 'prod' }), {});
  });

  it('merges included top files after the main one, a repeated target keeping its place', () => {
    const withIncludes = {
      base: [
        { base: { '*': ['a'], 'web-*': ['w'] }, include: ['extra'] },
        { base: { '*': ['b'], 'ctrl-*': ['c'] } },
      ],
      // Salt skips a later top file's own section once that section exists.
      dev: [{ dev: { '*': ['d1'] } }, { dev: { '*': ['d2'], 'ctrl-*': ['d3'] } }],
    };
    assert.deepEqual(topMatches(withIncludes, CTRL1), { base: ['b', 'c'], dev: ['d1'] });
    assert.deepEqual(topMatches(withIncludes, WEB1), { base: ['b', 'w'], dev: ['d1'] });
  });
});

describe('topMatches: bad top data', () => {
  it('refuses a target that is not a list, naming the top file and target', () => {
    const e = topError({ base: { 'ctrl-*': 'rabbitmq' } });
    assert.equal(e.describe(), 'top file: target "ctrl-*" in saltenv "base" must be a list of SLS files, got a string ("rabbitmq")');
  });

  it('refuses a saltenv without targets', () => {
    assert.equal(
      topError({ base: null }).describe(),
      'top file: saltenv "base" has no targets: it must map targets to lists of SLS files, got nothing',
    );
    assert.equal(
      topError({ base: { base: { '*': ['x'] } }, dev: { dev: ['x'] } }).describe(),
      `top file (saltenv 'dev'): saltenv "dev" has no targets: it must map targets to lists of SLS files, got a list`,
    );
  });

  it('refuses a top file that is not a mapping', () => {
    assert.equal(
      topError({ base: ['just a string'] }).describe(),
      `top file (saltenv 'base'): top data did not render to a dictionary, got a string ("just a string")`,
    );
  });

  it("refuses Salt's verify_tops errors: empty SLS, option without value, unknown matcher, non-string SLS", () => {
    assert.equal(topError({ base: { '*': [''] } }).message, 'target "*" in saltenv "base" contains an empty SLS name');
    assert.equal(
      topError({ base: { '*': [{ match: null }, 'x'] } }).message,
      'improperly formatted top file option "match" for target "*" in saltenv "base": it has no value',
    );
    assert.equal(
      topError({ base: { '*': [{ match: 'data' }, 'x'] } }).message,
      'unknown matcher "data" for target "*" in saltenv "base" (expected one of glob, pcre, list, grain, grain_pcre, pillar, pillar_pcre, pillar_exact, ipcidr, compound, nodegroup)',
    );
    assert.equal(
      topError({ base: { '*': [5] } }).message,
      'target "*" in saltenv "base" lists a number (5) where an SLS name was expected',
    );
  });

  it('checks every target, including those that do not match this minion', () => {
    assert.equal(topError({ base: { 'db-*': [''] } }, CTRL1).message, 'target "db-*" in saltenv "base" contains an empty SLS name');
    const e = topError({ base: { '*': ['x'], 'db-(1': [{ match: 'pcre' }, 'y'] } });
    assert.equal(
      e.describe(),
      'top file: target "db-(1" in saltenv "base": invalid regular expression "db-(1": missing ), unterminated subpattern',
    );
  });

  it('refuses a nodegroup target whose nodegroup is not configured', () => {
    assert.equal(
      topError({ base: { webs: [{ match: 'nodegroup' }, 'x'] } }).message,
      'target "webs" in saltenv "base": unknown nodegroup "webs" (no nodegroups are configured)',
    );
  });
});
