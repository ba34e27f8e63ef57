/**
 * `brine call --local` as an operator runs it (a real process): outputs, exit statuses and
 * every bad-input case (error text, exit status, nothing applied).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TempTree } from '../helpers/tree';

const BRINE = path.resolve(__dirname, '..', '..', '..', 'bin', 'brine');

let tree: TempTree;

function brine(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BRINE, 'call', '--local', '-c', tree.configDir(), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function jsonOut(...args: string[]): { status: number | null; data: { local: unknown } } {
  const r = brine(...args, '--out', 'json');
  try {
    return { status: r.status, data: JSON.parse(r.stdout) };
  } catch {
    throw new Error(`not JSON (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
}

describe('brine call --local (CLI)', function () {
  this.timeout(30000);
  beforeEach(() => {
    tree = new TempTree();
  });
  afterEach(() => tree.cleanup());

  it('applies an SLS, exits 0, and a second run changes nothing', () => {
    const f = path.join(tree.work, 'motd');
    tree.state('motd.sls', `${f}:\n  file.managed:\n    - contents: hello {{ grains['host'] }}\n`);
    const first = jsonOut('state.apply', 'motd');
    assert.equal(first.status, 0);
    const key = `file_|-${f}_|-${f}_|-managed`;
    const ret = (first.data.local as Record<string, { result: boolean; changes: Record<string, unknown> }>)[key];
    assert.equal(ret.result, true);
    assert.equal(fs.readFileSync(f, 'utf8'), 'hello testminion\n');
    const second = jsonOut('state.apply', 'motd');
    assert.equal(second.status, 0);
    assert.deepEqual((second.data.local as Record<string, { changes: unknown }>)[key].changes, {});
  });

  it('prints the highstate text by default with a summary', () => {
    tree.state('t.sls', 'hello:\n  test.succeed_without_changes\n');
    const r = brine('state.apply', 't');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^local:\n/);
    assert.match(r.stdout, /          ID: hello\n    Function: test\.succeed_without_changes\n/);
    assert.match(r.stdout, /Summary for local\n-+\nSucceeded: 1\nFailed:    0\n/);
  });

  it('exits 2 when a state fails', () => {
    tree.state('t.sls', 'bad:\n  cmd.run:\n    - name: exit 3\n');
    const r = jsonOut('state.apply', 't');
    assert.equal(r.status, 2);
  });

  it('test=True changes nothing and exits 0', () => {
    const f = path.join(tree.work, 'never');
    tree.state('t.sls', `${f}:\n  file.managed:\n    - contents: x\n`);
    const r = jsonOut('state.apply', 't', 'test=True');
    assert.equal(r.status, 0);
    const ret = Object.values(r.data.local as Record<string, { result: unknown }>)[0];
    assert.equal(ret.result, null);
    assert.equal(fs.existsSync(f), false);
  });

  const badInputs: Array<[string, string, RegExp]> = [
    ['malformed YAML', 'a:\n  test.nop\n b: [\n', /Rendering SLS 'base:t' failed: .*line \d+/s],
    ['template syntax error', 'a:\n  test.nop:\n    - x: {{ 1 + }}\n', /Rendering SLS 'base:t' failed: salt:\/\/t\.sls, line 7, state 'a': Jinja syntax error/],
    ['undefined variable', 'a:\n  test.nop:\n    - x: {{ nope }}\n', /Rendering SLS 'base:t' failed: salt:\/\/t\.sls, line 7, state 'a': .*nope/s],
    ['missing pillar key', 'a:\n  test.nop:\n    - x: {{ pillar["missing"]["key"] }}\n', /Rendering SLS 'base:t' failed: salt:\/\/t\.sls, line 7, state 'a': .*'missing'/s],
    ['duplicate ID', 'a:\n  test.nop\na:\n  test.nop\n', /Rendering SLS 'base:t' failed: .*'a'/s],
    ['unknown state function', 'a:\n  test.nop\nb:\n  file.managd:\n    - name: /x\n', /salt:\/\/t\.sls, line 7, state 'b': State 'file\.managd' was not found/],
    ['include escaping the roots', 'include:\n  - ../../etc/passwd\na:\n  test.nop\n', /goes beyond top level package/],
    ['include of a path-like SLS', 'include:\n  - a/../../etc\na:\n  test.nop\n', /invalid SLS name/],
  ];
  for (const [what, sls, expected] of badInputs) {
    it(`bad input: ${what} -> clear error, exit 1, nothing applied`, () => {
      const marker = path.join(tree.work, 'applied');
      tree.state('t.sls', `first:\n  cmd.run:\n    - name: touch ${marker}\n    - order: 1\n${sls}`);
      const r = jsonOut('state.apply', 't');
      assert.equal(r.status, 1);
      assert.ok(Array.isArray(r.data.local), JSON.stringify(r.data));
      assert.match((r.data.local as string[]).join('\n'), expected);
      assert.equal(fs.existsSync(marker), false, 'nothing of a broken SLS may be applied');
    });
  }

  it('a salt:// source outside the roots is refused', () => {
    const f = path.join(tree.work, 'stolen');
    tree.state('t.sls', `${f}:\n  file.managed:\n    - source: salt://../../../../etc/passwd\n`);
    const r = jsonOut('state.apply', 't');
    assert.equal(r.status, 2);
    const ret = Object.values(r.data.local as Record<string, { result: boolean; comment: string }>)[0];
    assert.equal(ret.result, false);
    assert.equal(fs.existsSync(f), false);
  });

  it('grain and pillar values are data, never template code', () => {
    const f = path.join(tree.work, 'out');
    const g = path.join(tree.work, 'tpl');
    tree.state('tpl.j2', '{{ pillar["evil"] }} {{ grains["evil"] }}\n');
    tree.state(
      't.sls',
      `${f}:\n  file.managed:\n    - contents: {{ pillar['evil'] | yaml_dquote }}\n` +
        `${g}:\n  file.managed:\n    - source: salt://tpl.j2\n    - template: jinja\n`,
    );
    const r = spawnSync(
      process.execPath,
      [BRINE, 'call', '--local', '-c', tree.configDir('', { evil: '{{ 6 * 7 }}' }), 'state.apply', 't',
        'pillar={"evil": "{{ 7 * 7 }}"}', '--out', 'json'],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(fs.readFileSync(f, 'utf8'), '{{ 7 * 7 }}\n');
    assert.equal(fs.readFileSync(g, 'utf8'), '{{ 7 * 7 }} {{ 6 * 7 }}\n');
  });

  it('pillar= on the command line overrides pillar', () => {
    const f = path.join(tree.work, 'p');
    tree.state('t.sls', `${f}:\n  file.managed:\n    - contents: {{ pillar['firstnode'] }}\n`);
    assert.equal(jsonOut('state.apply', 't', 'pillar={"firstnode": "ctrl-3"}').status, 0);
    assert.equal(fs.readFileSync(f, 'utf8'), 'ctrl-3\n');
  });

  it('an unknown function is an error with exit 1', () => {
    const r = brine('nosuch.fun');
    assert.equal(r.status, 1);
    assert.match(r.stdout + r.stderr, /'nosuch\.fun' is not available/);
  });

  it('test.ping and grains.get answer like salt-call', () => {
    assert.deepEqual(jsonOut('test.ping').data, { local: true });
    assert.deepEqual(jsonOut('grains.get', 'host').data, { local: 'testminion' });
  });

  it('state.single applies one state function with its arguments', () => {
    const f = path.join(tree.work, 'single');
    const r = jsonOut('state.single', 'file.managed', f, 'contents=one', 'mode=0600');
    assert.equal(r.status, 0);
    assert.equal(fs.readFileSync(f, 'utf8'), 'one\n');
    assert.equal(fs.statSync(f).mode & 0o777, 0o600);
    const key = `file_|-${f}_|-${f}_|-managed`;
    assert.ok(key in (r.data.local as object), JSON.stringify(r.data));
  });

  it('slsutil.renderer renders a salt:// file through jinja|yaml with context', () => {
    tree.state('r.sls', "a: {{ grains['host'] }}\nb: [1, 2]\n");
    assert.deepEqual(jsonOut('slsutil.renderer', 'salt://r.sls').data, { local: { a: 'testminion', b: [1, 2] } });
  });

  it('pillar.items, pillar.get with a colon path and grains.item', () => {
    tree.pillar('top.sls', "base:\n  '*':\n    - p\n").pillar('p.sls', 'netprefix:\n  srv:\n    prefix: 10.0.0\n');
    assert.deepEqual(jsonOut('pillar.items').data, { local: { netprefix: { srv: { prefix: '10.0.0' } } } });
    assert.deepEqual(jsonOut('pillar.get', 'netprefix:srv:prefix').data, { local: '10.0.0' });
    assert.deepEqual(jsonOut('pillar.get', 'nope', 'dflt').data, { local: 'dflt' });
    assert.deepEqual(jsonOut('grains.item', 'host', 'id').data, { local: { host: 'testminion', id: 'testminion' } });
  });

  it('a pillar that does not render stops the state run and says why', () => {
    tree.pillar('top.sls', "base:\n  '*':\n    - p\n").pillar('p.sls', 'a: {{ nope }}\n');
    tree.state('t.sls', 'x:\n  test.nop\n');
    const r = jsonOut('state.apply', 't');
    assert.equal(r.status, 1);
    assert.match((r.data.local as string[]).join('\n'), /Pillar failed to render with the following messages:\n.*p\.sls.*nope/s);
  });

  it('logs state progress on stderr at -l info, never pillar values', () => {
    tree.pillar('top.sls', "base:\n  '*':\n    - p\n").pillar('p.sls', 'secret: s3cr3t-value\n');
    const f = path.join(tree.work, 's');
    tree.state('t.sls', `${f}:\n  file.managed:\n    - contents_pillar: secret\nbad:\n  cmd.run:\n    - name: exit 4\n`);
    const r = spawnSync(process.execPath, [BRINE, 'call', '--local', '-c', tree.configDir(), '-l', 'debug', 'state.apply', 't', '--out', 'quiet'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /\[INFO    \] Completed state file\.managed/);
    assert.match(r.stderr, /\[ERROR   \] cmd\.run \[exit 4\] \(t:bad\) failed/);
    assert.doesNotMatch(r.stderr, /s3cr3t-value/);
    assert.equal(r.stdout, '');
  });
});

