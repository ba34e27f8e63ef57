import * as assert from 'node:assert/strict';
import { ValidationError } from '../../common/errors';
import { resolveTargets, type RegistryMinion } from '../../master/registry/index';

const MINIONS: RegistryMinion[] = [
  { id: 'web-1.lab', grains: { os: 'Debian', roles: ['apache'], ipv4: ['10.0.2.5'] }, pillar: { role: 'web' } },
  { id: 'ctrl-3.lab', grains: { os: 'Debian', roles: ['rabbitmq', 'galera'], ipv4: ['10.0.0.13'] }, pillar: { role: 'controller' } },
  { id: 'ctrl-1.lab', grains: { os: 'Debian', roles: ['rabbitmq', 'galera'], ipv4: ['10.0.0.11'], cluster: { name: 'prod' } } },
  { id: 'ctrl-2.lab', grains: { os: 'Debian', roles: ['rabbitmq'], ipv4: ['10.0.0.12'] }, pillar: { role: 'controller' } },
  { id: 'db-1.lab', grains: { os: 'Ubuntu', roles: ['mysql'], ipv4: ['10.0.1.5'] }, pillar: { role: 'db' } },
];

const NODEGROUPS = { controllers: 'ctrl-*', dbs: ['db-1.lab', 'db-2.lab'], mixed: 'N@dbs or L@web-1.lab,web-9.lab' };

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ValidationError, `expected ValidationError, got ${String(err)}`);
    return err.message;
  }
  return 'accepted';
}

describe('registry: resolveTargets', () => {
  it('glob: matched ids come back sorted', () => {
    assert.deepEqual(resolveTargets('ctrl-*', 'glob', MINIONS), { matched: ['ctrl-1.lab', 'ctrl-2.lab', 'ctrl-3.lab'], missing: [] });
    assert.deepEqual(resolveTargets('*', 'glob', MINIONS).matched, ['ctrl-1.lab', 'ctrl-2.lab', 'ctrl-3.lab', 'db-1.lab', 'web-1.lab']);
  });

  it('a target that matches nothing is an empty result, not an error', () => {
    assert.deepEqual(resolveTargets('nothing-*', 'glob', MINIONS), { matched: [], missing: [] });
    assert.deepEqual(resolveTargets('G@os:Windows', 'compound', MINIONS), { matched: [], missing: [] });
    assert.deepEqual(resolveTargets('*', 'glob', []), { matched: [], missing: [] });
  });

  it('list: names the ids it does not know, in the order given', () => {
    assert.deepEqual(resolveTargets('ctrl-2.lab,ghost-9.lab,ctrl-1.lab,ghost-1.lab', 'list', MINIONS), {
      matched: ['ctrl-1.lab', 'ctrl-2.lab'],
      missing: ['ghost-9.lab', 'ghost-1.lab'],
    });
    assert.deepEqual(resolveTargets(['db-1.lab', 'gone.lab', 'gone.lab'], 'list', MINIONS), { matched: ['db-1.lab'], missing: ['gone.lab'] });
    assert.deepEqual(resolveTargets('ghost.lab', 'list', MINIONS), { matched: [], missing: ['ghost.lab'] });
  });

  it('grain: globs on values, nested keys, list membership', () => {
    assert.deepEqual(resolveTargets('os:Ubuntu', 'grain', MINIONS).matched, ['db-1.lab']);
    assert.deepEqual(resolveTargets('roles:galera', 'grain', MINIONS).matched, ['ctrl-1.lab', 'ctrl-3.lab']);
    assert.deepEqual(resolveTargets('roles:rabbit*', 'grain', MINIONS).matched, ['ctrl-1.lab', 'ctrl-2.lab', 'ctrl-3.lab']);
    assert.deepEqual(resolveTargets('cluster:name:prod', 'grain', MINIONS).matched, ['ctrl-1.lab']);
    assert.deepEqual(resolveTargets('cluster|name|prod', 'grain', MINIONS, { delimiter: '|' }).matched, ['ctrl-1.lab']);
  });

  it('pillar: a minion without pillar simply does not match', () => {
    assert.deepEqual(resolveTargets('role:controller', 'pillar', MINIONS).matched, ['ctrl-2.lab', 'ctrl-3.lab']);
  });

  it('pcre and ipcidr', () => {
    assert.deepEqual(resolveTargets('ctrl-[12]', 'pcre', MINIONS).matched, ['ctrl-1.lab', 'ctrl-2.lab']);
    assert.deepEqual(resolveTargets('10.0.0.0/24', 'ipcidr', MINIONS).matched, ['ctrl-1.lab', 'ctrl-2.lab', 'ctrl-3.lab']);
  });

  it('compound: engines combined with and/or/not and parentheses', () => {
    assert.deepEqual(resolveTargets('ctrl-* and not ctrl-1.*', 'compound', MINIONS).matched, ['ctrl-2.lab', 'ctrl-3.lab']);
    assert.deepEqual(resolveTargets('G@roles:galera or I@role:db', 'compound', MINIONS).matched, ['ctrl-1.lab', 'ctrl-3.lab', 'db-1.lab']);
    assert.deepEqual(resolveTargets('( G@os:Debian and not G@roles:apache ) and E@ctrl-[23]', 'compound', MINIONS).matched, [
      'ctrl-2.lab',
      'ctrl-3.lab',
    ]);
    assert.deepEqual(resolveTargets(['G@os:Debian', 'and', 'S@10.0.2.0/24'], 'compound', MINIONS).matched, ['web-1.lab']);
  });

  it("compound: L@ ids it does not know are missing, except right after 'not' (as Salt counts them)", () => {
    assert.deepEqual(resolveTargets('L@ctrl-1.lab,ghost.lab or G@os:Ubuntu', 'compound', MINIONS), {
      matched: ['ctrl-1.lab', 'db-1.lab'],
      missing: ['ghost.lab'],
    });
    assert.deepEqual(resolveTargets('ctrl-* and not L@ctrl-1.lab,ghost.lab', 'compound', MINIONS), {
      matched: ['ctrl-2.lab', 'ctrl-3.lab'],
      missing: [],
    });
  });

  it('nodegroups: -N and N@, with unknown list members named', () => {
    const opts = { nodegroups: NODEGROUPS };
    assert.deepEqual(resolveTargets('controllers', 'nodegroup', MINIONS, opts), { matched: ['ctrl-1.lab', 'ctrl-2.lab', 'ctrl-3.lab'], missing: [] });
    assert.deepEqual(resolveTargets('dbs', 'nodegroup', MINIONS, opts), { matched: ['db-1.lab'], missing: ['db-2.lab'] });
    assert.deepEqual(resolveTargets('N@mixed and not G@os:Ubuntu', 'compound', MINIONS, opts), {
      matched: ['web-1.lab'],
      missing: ['db-2.lab', 'web-9.lab'],
    });
  });

  it('refuses malformed targets with a ValidationError naming the target', () => {
    const cases: Array<[string | string[], string, Record<string, unknown>, string]> = [
      ['ctrl-* and', 'compound', {}, 'invalid compound target "ctrl-* and": it ends with an operator'],
      ['ctrl-(', 'pcre', {}, 'invalid regular expression "ctrl-(": missing ), unterminated subpattern'],
      ['E@web(', 'compound', {}, 'invalid compound target "E@web(": invalid regular expression "web(": missing ), unterminated subpattern'],
      ['', 'glob', {}, 'invalid glob target "": empty glob target'],
      ['nope', 'nodegroup', { nodegroups: NODEGROUPS }, 'unknown nodegroup "nope"'],
      ['N@nope or web*', 'compound', { nodegroups: NODEGROUPS }, 'invalid compound target "N@nope or web*": unknown nodegroup "nope"'],
      [['a', 1 as unknown as string], 'list', {}, 'invalid list target "a,1": list target entries must be minion ids, got a number'],
      ['x', 'bogus', {}, 'target "x": unknown target type "bogus" (expected one of glob, pcre, list, grain, grain_pcre, pillar, pillar_pcre, pillar_exact, ipcidr, compound, nodegroup)'],
    ];
    for (const [expr, type, opts, message] of cases) {
      assert.equal(refusal(() => resolveTargets(expr, type as never, MINIONS, opts)), message);
    }
  });
});
