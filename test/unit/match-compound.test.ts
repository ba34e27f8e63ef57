import * as assert from 'node:assert/strict';
import { ValidationError } from '../../common/errors';
import { compileTarget, matchMinion, validateTarget, type MatchOptions, type MinionFacts } from '../../common/match/index';

function ctrl(n: number): MinionFacts {
  return {
    id: `ctrl-${n}.lab`,
    grains: { os: 'Debian', roles: ['rabbitmq', 'galera'], ipv4: ['127.0.0.1', `10.0.0.1${n}`], 'my:key': 'x' },
    pillar: { role: 'controller', firstnode: 'ctrl-1' },
  };
}
const MINIONS: MinionFacts[] = [
  ctrl(1),
  ctrl(2),
  ctrl(3),
  { id: 'db-1.lab', grains: { os: 'Ubuntu', roles: ['mysql'], ipv4: ['10.0.1.5'] }, pillar: { role: 'db' } },
  { id: 'web-1.lab', grains: { os: 'Debian', roles: [], ipv4: ['10.0.2.5'] }, pillar: { role: 'web' } },
];

/** The ids a compound target selects, in registry order (what the master resolves). */
function resolve(expr: string | string[], opts: MatchOptions = {}): string[] {
  const test = compileTarget(expr, 'compound', opts);
  return MINIONS.filter(test).map((m) => m.id);
}

function reason(expr: string | string[], opts: MatchOptions = {}): string {
  try {
    validateTarget(expr, 'compound', opts);
  } catch (e) {
    assert.ok(e instanceof ValidationError, `expected ValidationError, got ${String(e)}`);
    return e.message;
  }
  return 'accepted';
}

describe('match: compound', () => {
  it("selects our users' join target: 'ctrl-* and not ctrl-1.*'", () => {
    assert.deepEqual(resolve('ctrl-* and not ctrl-1.*'), ['ctrl-2.lab', 'ctrl-3.lab']);
  });

  it('treats bare words as id globs and combines engines', () => {
    assert.deepEqual(resolve('G@os:Debian'), ['ctrl-1.lab', 'ctrl-2.lab', 'ctrl-3.lab', 'web-1.lab']);
    assert.deepEqual(resolve('G@os:Debian and ctrl-2*'), ['ctrl-2.lab']);
    assert.deepEqual(resolve('P@os:(ubuntu|centos)'), ['db-1.lab']);
    assert.deepEqual(resolve('I@role:web or I@role:db'), ['db-1.lab', 'web-1.lab']);
    assert.deepEqual(resolve('J@role:contr and not E@ctrl-[12]'), ['ctrl-3.lab']);
    assert.deepEqual(resolve('L@db-1.lab,web-1.lab'), ['db-1.lab', 'web-1.lab']);
    assert.deepEqual(resolve('S@10.0.0.0/24'), ['ctrl-1.lab', 'ctrl-2.lab', 'ctrl-3.lab']);
    assert.deepEqual(resolve('S@10.0.1.5 or G@roles:rabbit*'), ['ctrl-1.lab', 'ctrl-2.lab', 'ctrl-3.lab', 'db-1.lab']);
  });

  it('takes a one-character delimiter before @ for G, P, I and J', () => {
    assert.deepEqual(resolve('G|@my:key|x'), ['ctrl-1.lab', 'ctrl-2.lab', 'ctrl-3.lab']);
    // With ':' the key "my:key" cannot be reached: "my" is looked up, and there is none.
    assert.deepEqual(resolve('G@my:key:x'), []);
  });

  it('binds not tighter than and, and and tighter than or (Python precedence)', () => {
    // a or b and c == a or (b and c)
    assert.deepEqual(resolve('db-* or ctrl-* and ctrl-3*'), ['ctrl-3.lab', 'db-1.lab']);
    // not a and b == (not a) and b
    assert.deepEqual(resolve('not ctrl-* and G@os:Debian'), ['web-1.lab']);
    assert.deepEqual(resolve('not ( ctrl-* or db-* )'), ['web-1.lab']);
    assert.deepEqual(resolve('( db-* or ctrl-* ) and G@os:Debian'), ['ctrl-1.lab', 'ctrl-2.lab', 'ctrl-3.lab']);
    assert.deepEqual(resolve('ctrl-* and not ( ctrl-1* or ctrl-2* )'), ['ctrl-3.lab']);
  });

  it('accepts a leading not, and reads "a not b" as "a and not b"', () => {
    assert.deepEqual(resolve('not ctrl-*'), ['db-1.lab', 'web-1.lab']);
    assert.deepEqual(resolve('ctrl-* not ctrl-2*'), ['ctrl-1.lab', 'ctrl-3.lab']);
    assert.deepEqual(resolve('( ctrl-1* or ctrl-2* ) not ctrl-2*'), ['ctrl-1.lab']);
  });

  it('takes a list of words without splitting them', () => {
    assert.deepEqual(resolve(['ctrl-*', 'and', 'not', 'ctrl-1.*']), ['ctrl-2.lab', 'ctrl-3.lab']);
  });

  it('needs whitespace around parentheses: "(ctrl-1*" is a glob', () => {
    assert.deepEqual(resolve('(ctrl-1* or db-*)'), []);
  });

  it('reports malformed compound targets', () => {
    assert.equal(reason(''), 'invalid compound target "": empty target');
    assert.equal(reason('and ctrl-*'), 'invalid compound target "and ctrl-*": it cannot begin with "and"');
    assert.equal(reason('( or ctrl-* )'), 'invalid compound target "( or ctrl-* )": "or" cannot follow "("');
    assert.equal(reason('ctrl-* and'), 'invalid compound target "ctrl-* and": it ends with an operator');
    assert.equal(reason('( ctrl-* or db-*'), 'invalid compound target "( ctrl-* or db-*": missing ")"');
    assert.equal(reason('ctrl-* )'), 'invalid compound target "ctrl-* )": unbalanced ")"');
    assert.equal(reason('ctrl-* db-*'), 'invalid compound target "ctrl-* db-*": missing "and"/"or" before "db-*"');
    assert.equal(reason('ctrl-* ( db-* )'), 'invalid compound target "ctrl-* ( db-* )": missing "and"/"or" before "("');
    assert.equal(reason('ctrl-* and ( )'), 'invalid compound target "ctrl-* and ( )": empty parentheses');
    assert.equal(reason('not not ctrl-*'), 'invalid compound target "not not ctrl-*": "not" cannot follow "not"');
    assert.equal(reason('X@foo'), 'invalid compound target "X@foo": unknown target type prefix "X@" in "X@foo"');
    assert.equal(reason('G@'), 'invalid compound target "G@": nothing after "G@" in "G@"');
    assert.equal(reason('R@%cluster'), 'invalid compound target "R@%cluster": range targets (R@) are not supported: "R@%cluster"');
    assert.equal(
      reason('E@ctrl-(1'),
      'invalid compound target "E@ctrl-(1": invalid regular expression "ctrl-(1": missing ), unterminated subpattern',
    );
    assert.equal(
      reason('G@os'),
      'invalid compound target "G@os": grain target "os" needs a key and a value separated by ":"',
    );
    assert.equal(
      reason('S@10.0.0.1/24'),
      'invalid compound target "S@10.0.0.1/24": invalid IP/CIDR target: 10.0.0.1/24 has host bits set',
    );
  });

  it('validates every term even when the result is already decided', () => {
    assert.throws(() => matchMinion('ctrl-* or E@(', 'compound', MINIONS[0]), ValidationError);
  });
});

describe('match: nodegroups', () => {
  const nodegroups = {
    ctrls: 'L@ctrl-1.lab,ctrl-2.lab,ctrl-3.lab',
    db_or_web: 'db-* or web-*',
    debian: 'G@os:Debian',
    debian_ctrls: 'N@debian and N@ctrls',
    plain: ['db-1.lab', 'web-1.lab'],
    plain_words: 'db-1.lab web-1.lab',
    regexish: 'ctrl-[12]',
    listed: ['G@os:Ubuntu', 'or', 'N@plain'],
    loop_a: 'N@loop_b or db-*',
    loop_b: 'N@loop_a',
    self: 'N@self',
    ghost: 'N@missing',
  };
  const opts = { nodegroups };

  it('expands N@ in place, recursively', () => {
    assert.deepEqual(resolve('N@ctrls and not ctrl-1*', opts), ['ctrl-2.lab', 'ctrl-3.lab']);
    assert.deepEqual(resolve('N@debian_ctrls', opts), ['ctrl-1.lab', 'ctrl-2.lab', 'ctrl-3.lab']);
    assert.deepEqual(resolve('N@listed', opts), ['db-1.lab', 'web-1.lab']);
  });

  it('keeps an expanded group together (Salt leaves a top-level group unparenthesised)', () => {
    assert.deepEqual(resolve('N@db_or_web and G@os:Debian', opts), ['web-1.lab']);
    assert.deepEqual(resolve('not N@db_or_web', opts), ['ctrl-1.lab', 'ctrl-2.lab', 'ctrl-3.lab']);
  });

  it('reads a group of plain ids as a list, and one with regex characters as E@', () => {
    assert.deepEqual(resolve('N@plain', opts), ['db-1.lab', 'web-1.lab']);
    assert.deepEqual(resolve('N@plain_words', opts), ['db-1.lab', 'web-1.lab']);
    // Salt turns 'ctrl-[12]' into E@ctrl-[12], a regex anchored at the start only.
    assert.deepEqual(resolve('N@regexish', opts), ['ctrl-1.lab', 'ctrl-2.lab']);
  });

  it('matches the nodegroup target type', () => {
    assert.equal(matchMinion('db_or_web', 'nodegroup', MINIONS[3], opts), true);
    assert.equal(matchMinion('db_or_web', 'nodegroup', MINIONS[0], opts), false);
    assert.equal(matchMinion('debian_ctrls', 'nodegroup', MINIONS[2], opts), true);
  });

  it('reports unknown groups and loops', () => {
    assert.equal(reason('N@nope', opts), 'invalid compound target "N@nope": unknown nodegroup "nope"');
    assert.equal(reason('N@nope'), 'invalid compound target "N@nope": unknown nodegroup "nope" (no nodegroups are configured)');
    assert.equal(reason('N@loop_a', opts), 'invalid compound target "N@loop_a": nodegroup loop: loop_a -> loop_b -> loop_a');
    assert.equal(reason('N@self', opts), 'invalid compound target "N@self": nodegroup loop: self -> self');
    assert.equal(reason('N@ghost', opts), 'invalid compound target "N@ghost": unknown nodegroup "missing"');
    assert.throws(() => validateTarget('nope', 'nodegroup', opts), /unknown nodegroup "nope"/);
  });
});
