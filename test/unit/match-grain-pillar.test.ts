import * as assert from 'node:assert/strict';
import { ValidationError } from '../../common/errors';
import { matchMinion, validateTarget, type MinionFacts, type TargetType } from '../../common/match/index';
import { pyRepr } from '../../common/python/repr';

const ctrl1: MinionFacts = {
  id: 'ctrl-1.lab',
  grains: {
    os: 'Debian',
    osmajorrelease: 12,
    roles: ['rabbitmq', 'galera', 'HAProxy'],
    selinux: { enabled: false, enforced: 'Disabled' },
    systemd: { version: '252', features: '+PAM +AUDIT' },
    gpus: [{ model: 'Virtio GPU', vendor: 'unknown' }],
    time: '10:30',
    empty: {},
    nothing: null,
    ratio: 0.5,
    virtual: 'kvm',
  },
  pillar: {
    firstnode: 'ctrl-1',
    role: 'Controller',
    rabbitmq: { cluster: { nodes: ['ctrl-1', 'ctrl-2', 'ctrl-3'] } },
    flag: true,
  },
};

function check(type: TargetType, expr: string, expected: boolean, delimiter?: string): void {
  assert.equal(matchMinion(expr, type, ctrl1, delimiter ? { delimiter } : {}), expected, `${type} ${expr}`);
}

describe('match: grain (Salt subdict_match)', () => {
  it('globs a grain value, case-insensitively', () => {
    check('grain', 'os:Debian', true);
    check('grain', 'os:debian', true);
    check('grain', 'os:DEB*', true);
    check('grain', 'os:Ubuntu', false);
    check('grain', 'os:Deb', false);
  });

  it('matches a list grain when any element matches', () => {
    check('grain', 'roles:galera', true);
    check('grain', 'roles:haproxy', true);
    check('grain', 'roles:gal', false);
    check('grain', 'roles:gal*', true);
  });

  it('compares numbers, booleans and None as Python prints them', () => {
    check('grain', 'osmajorrelease:12', true);
    check('grain', 'osmajorrelease:1*', true);
    check('grain', 'selinux:enabled:False', true);
    check('grain', 'selinux:enabled:false', true);
    check('grain', 'selinux:enabled:True', false);
    check('grain', 'nothing:None', true);
    check('grain', 'nothing:*', true);
    check('grain', 'ratio:0.5', true);
  });

  it('walks nested keys, list indexes and dicts inside lists', () => {
    check('grain', 'selinux:enforced:disabled', true);
    check('grain', 'gpus:model:Virtio*', true);
    check('grain', 'gpus:0:vendor:unknown', true);
    check('grain', 'gpus:-1:vendor:unknown', true);
    check('grain', 'gpus:1:vendor:unknown', false);
  });

  it('lets the value contain the delimiter (a:b:c also tries a == "b:c")', () => {
    check('grain', 'time:10:30', true);
    check('grain', 'time:10:*', true);
  });

  it('matches a dict grain by key name or *, but not an empty dict or a missing grain', () => {
    check('grain', 'selinux:enabled', true);
    check('grain', 'selinux:*', true);
    check('grain', 'selinux:missing', false);
    check('grain', 'empty:*', false);
    check('grain', 'missing:*', false);
  });

  it('searches every grain with a leading *', () => {
    check('grain', '*:kvm', true);
    check('grain', '*:Debian', true);
    check('grain', '*:nonexistent', false);
  });

  it('uses the delimiter option', () => {
    check('grain', 'selinux|enabled|False', true, '|');
    check('grain', 'time|10:30', true, '|');
    assert.throws(() => validateTarget('selinux|enabled|False', 'grain'), /needs a key and a value separated by ":"/);
  });

  it('refuses a grain target without a value or with an empty key', () => {
    assert.throws(
      () => validateTarget('os', 'grain'),
      (e: unknown) =>
        e instanceof ValidationError && e.message === 'grain target "os" needs a key and a value separated by ":"',
    );
    assert.throws(() => validateTarget(':Debian', 'grain'), /has an empty key/);
  });
});

describe('match: grain_pcre', () => {
  it('applies re.match to the value, case-insensitively', () => {
    check('grain_pcre', 'os:(Debian|Ubuntu)', true);
    check('grain_pcre', 'os:deb', true);
    check('grain_pcre', 'os:ian', false);
    check('grain_pcre', 'os:.*ian$', true);
    check('grain_pcre', 'roles:gal.*', true);
    check('grain_pcre', 'systemd:features:\\+PAM\\s\\+', true);
  });

  it('keeps upper-case escapes meaningful (Salt lowercases \\S into \\s)', () => {
    check('grain_pcre', 'os:\\S+$', true);
  });

  it('refuses a bad regex up front', () => {
    assert.throws(
      () => validateTarget('os:(Debian', 'grain_pcre'),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.message ===
          'grain_pcre target "os:(Debian": invalid regular expression "(Debian": missing ), unterminated subpattern',
    );
  });
});

describe('match: pillar, pillar_pcre, pillar_exact', () => {
  it('globs pillar values (I@), not grains', () => {
    check('pillar', 'role:control*', true);
    check('pillar', 'rabbitmq:cluster:nodes:ctrl-2', true);
    check('pillar', 'flag:true', true);
    check('grain', 'role:controller', false);
    check('pillar', 'os:Debian', false);
  });

  it('applies a regex with pillar_pcre (J@)', () => {
    check('pillar_pcre', 'role:contr', true);
    check('pillar_pcre', 'firstnode:ctrl-[12]$', true);
    check('pillar_pcre', 'firstnode:ctrl-[23]', false);
  });

  it('compares exactly (still ignoring case) with pillar_exact', () => {
    check('pillar_exact', 'role:control*', false);
    check('pillar_exact', 'role:Controller', true);
    check('pillar_exact', 'role:controller', true);
    check('pillar_exact', 'rabbitmq:cluster:nodes:ctrl-3', true);
  });
});

describe('match: Python repr of values', () => {
  it('prints values as Python does', () => {
    assert.equal(pyRepr([1, 'a', true, null, { k: 0.5 }]), "[1, 'a', True, None, {'k': 0.5}]");
    assert.equal(pyRepr("it's"), '"it\'s"');
    assert.equal(pyRepr(1e-5), '1e-05');
    assert.equal(pyRepr(0.0001), '0.0001');
    assert.equal(pyRepr(2.5e-10), '2.5e-10');
  });
});
