/**
 * Master mode end to end without the bus: the master compiles (compileForMinion, and through
 * the RenderPool's worker threads), the result crosses a structured clone as it would cross
 * the wire, and the minion runs it with runCompiled. Results must be what masterless
 * state.apply gives on the same tree, and files must be written from attached salt:// files
 * only (the minion's own file_roots are empty).
 */
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMinionConfig } from '../../common/config';
import { silentLogger } from '../../common/log';
import type { CompiledStates } from '../../common/protocol/messages';
import type { Dict, StateRunResult } from '../../common/types';
import { loadMasterConfig } from '../../master/config/index';
import { compileForMinion } from '../../master/render/compile-for-minion';
import { RenderPool } from '../../master/render/pool';
import type { RenderRequest, RenderResult } from '../../master/render/request';
import { renderSettingsOf, type MasterRenderSettings } from '../../master/render/settings';
import { MinionRuntime, type RunOutcome } from '../../minion/runtime';
import { TempTree } from '../helpers/tree';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** Results without their timing fields, which differ between any two runs. */
function timeless(outcome: RunOutcome): Record<string, Dict> {
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.errors.join('\n'));
  const out: Record<string, Dict> = {};
  for (const [tag, r] of Object.entries(outcome.results)) {
    const { start_time: _s, duration: _d, ...rest } = r;
    out[tag] = rest;
  }
  return out;
}

/** What the minion receives: the render result as it comes off the wire. */
function received(r: RenderResult): { states: CompiledStates; pillar: Dict } {
  assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
  assert.ok(r.states);
  return structuredClone({ states: r.states, pillar: r.pillar });
}

/** A master config dir over the given roots. */
function masterSettings(dir: string, fileRoot: string, pillarRoot: string): MasterRenderSettings {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'master'),
    `file_roots:\n  base: [${fileRoot}]\npillar_roots:\n  base: [${pillarRoot}]\ncachedir: ${path.join(dir, 'cache')}\n`,
  );
  return renderSettingsOf(loadMasterConfig(dir));
}

describe('master renders, minion runs (runCompiled)', function () {
  this.timeout(120000);

  describe('the example tree (ctrl-1), test=True', () => {
    let masterless: Record<string, Dict>;
    let minionDir: string;
    let settings: MasterRenderSettings;
    let grains: Dict;

    before(async () => {
      const rt = new MinionRuntime(loadMinionConfig(path.join(repoRoot, 'examples', 'ctrl-1')));
      grains = rt.grains;
      masterless = timeless(await rt.apply(undefined, { test: true }));
      minionDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-mr-minion-'));
      settings = masterSettings(path.join(minionDir, 'master-etc'), path.join(repoRoot, 'states'), path.join(repoRoot, 'pillars'));
    });
    after(() => fs.rmSync(minionDir, { recursive: true, force: true }));

    /** ctrl-1 as a master-mode minion: no roots of its own. */
    function minion(pillar: Dict): MinionRuntime {
      const empty = path.join(minionDir, 'empty');
      fs.mkdirSync(empty, { recursive: true });
      fs.writeFileSync(
        path.join(minionDir, 'minion'),
        `id: ctrl-1\ngrains:\n  host: ctrl-1\nfile_roots:\n  base: [${empty}]\npillar_roots:\n  base: [${empty}]\ncachedir: ${path.join(minionDir, 'cache')}\n`,
      );
      return new MinionRuntime(loadMinionConfig(minionDir), silentLogger, { pillar });
    }

    const request = (): RenderRequest => ({ id: 'ctrl-1', grains, test: true, kind: 'states' });

    it('the masterless run has the whole highstate', () => {
      assert.equal(Object.keys(masterless).length, 32);
    });

    it('compiled by compileForMinion: same results as masterless', async () => {
      const { states, pillar } = received(compileForMinion(settings, request()));
      assert.deepEqual(Object.keys(states.files.base).sort(), [
        'ha/files/corosync.conf',
        'ha/files/haproxy.cfg',
        'mariadb-galera/files/debian.cnf',
        'mariadb-galera/files/galera.cnf',
        'openstack/files/openrc',
      ]);
      const rt = minion(pillar);
      assert.deepEqual(rt.pillar(), pillar);
      assert.deepEqual(timeless(await rt.runCompiled(states, pillar)), masterless);
    });

    it('compiled in the RenderPool: same results as masterless', async () => {
      const pool = new RenderPool(settings, { size: 2 });
      try {
        const { states, pillar } = received(await pool.render(request()));
        assert.deepEqual(timeless(await minion(pillar).runCompiled(states, pillar)), masterless);
      } finally {
        await pool.close();
      }
    });
  });

  describe('a real run on the minion', () => {
    let tree: TempTree;
    let minionDir: string;
    let target: string;

    beforeEach(() => {
      tree = new TempTree('brine-mr-master-');
      minionDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-mr-minion-'));
      target = path.join(minionDir, 'root', 'srv');
      fs.mkdirSync(target, { recursive: true });
    });
    afterEach(() => {
      tree.cleanup();
      fs.rmSync(minionDir, { recursive: true, force: true });
    });

    function minion(pillar: Dict): MinionRuntime {
      const empty = path.join(minionDir, 'empty');
      fs.mkdirSync(empty, { recursive: true });
      fs.writeFileSync(
        path.join(minionDir, 'minion'),
        `id: web-1\nroot_dir: ${path.join(minionDir, 'root')}\ngrains:\n  host: web-1\n  role: frontend\n` +
          `file_roots:\n  base: [${empty}]\npillar_roots:\n  base: [${empty}]\ncachedir: ${path.join(minionDir, 'cache')}\n`,
      );
      return new MinionRuntime(loadMinionConfig(minionDir), silentLogger, { pillar });
    }

    function writeTree(withScript = true): void {
      const staticText = 'static content\n';
      const sha = crypto.createHash('sha256').update(staticText).digest('hex');
      tree.pillar('top.sls', "base:\n  'web-*':\n    - app\n").pillar('app.sls', "app:\n  port: 8080\n  owner: {{ grains['role'] }}-team\n");
      tree.state('macros.jinja', '{% macro line(k, v) %}{{ k }} = {{ v }}{% endmacro %}\n');
      tree.state('app/files/vars.jinja', "{% set greeting = 'hello' %}\n");
      tree.state(
        'app/files/app.conf.j2',
        "{% import 'macros.jinja' as m %}{% from './vars.jinja' import greeting %}# {{ greeting }} from {{ grains['host'] }}\n" +
          "{{ m.line('port', pillar['app']['port']) }}\n{{ m.line('owner', salt['pillar.get']('app:owner')) }}\n{{ m.line('name', name) }}\n",
      );
      tree.state('app/files/setup.sh', '#!/bin/sh\necho "port={{ pillar[\'app\'][\'port\'] }} host={{ grains[\'host\'] }} args=$*" > "$1"\n');
      tree.state('app/files/static.conf', staticText).state('app/files/other.conf', 'other\n');
      tree.state(
        'app/init.sls',
        `${target}/app.conf:\n  file.managed:\n    - source: salt://app/files/app.conf.j2\n    - template: jinja\n` +
          (withScript ? `setup:\n  cmd.script:\n    - name: salt://app/files/setup.sh\n    - template: jinja\n    - args: ${target}/setup.out extra\n` : '') +
          `${target}/static.conf:\n  file.managed:\n    - source:\n      - salt://app/files/missing.conf\n` +
          `      - salt://app/files/static.conf: sha256=${sha}\n      - salt://app/files/other.conf\n`,
      );
      tree.state('top.sls', "base:\n  'web-*':\n    - app\n");
    }

    it('writes templated files (with imports), runs a salt:// script and picks from a source list', async () => {
      writeTree();
      const settings = masterSettings(path.join(tree.dir, 'master-etc'), tree.states, tree.pillars);
      const grains = minion({}).grains;
      const { states, pillar } = received(compileForMinion(settings, { id: 'web-1', grains, test: false, kind: 'states' }));
      assert.deepEqual(pillar, { app: { port: 8080, owner: 'frontend-team' } });
      const outcome = await minion(pillar).runCompiled(states, pillar);
      const results = timeless(outcome);
      assert.deepEqual(
        Object.values(results).map((r) => [r.__id__, r.result]),
        [
          [`${target}/app.conf`, true],
          ['setup', true],
          [`${target}/static.conf`, true],
        ],
      );
      assert.equal(
        fs.readFileSync(path.join(target, 'app.conf'), 'utf8'),
        `# hello from web-1\nport = 8080\nowner = frontend-team\nname = ${target}/app.conf\n`,
      );
      assert.equal(fs.readFileSync(path.join(target, 'setup.out'), 'utf8'), `port=8080 host=web-1 args=${target}/setup.out extra\n`);
      assert.equal(fs.readFileSync(path.join(target, 'static.conf'), 'utf8'), 'static content\n');
    });

    it('a second run changes nothing', async () => {
      writeTree(false);
      const settings = masterSettings(path.join(tree.dir, 'master-etc'), tree.states, tree.pillars);
      const grains = minion({}).grains;
      const req: RenderRequest = { id: 'web-1', grains, test: false, kind: 'states' };
      const first = received(compileForMinion(settings, req));
      timeless(await minion(first.pillar).runCompiled(first.states, first.pillar));
      const second = received(compileForMinion(settings, req));
      const again = timeless(await minion(second.pillar).runCompiled(second.states, second.pillar));
      assert.deepEqual(Object.values(again).map((r) => [r.result, r.changes]), [
        [true, {}],
        [true, {}],
      ]);
    });

    it('template errors, missing imports and missing sources read as they do masterless', async () => {
      tree.state('bad.j2', "line\n{{ pillar['nope']['x'] }}\n");
      tree.state('imports-missing.j2', "{% import 'nothere.jinja' as n %}x\n");
      tree.state(
        't.sls',
        `${target}/a:\n  file.managed:\n    - source: salt://bad.j2\n    - template: jinja\n` +
          `${target}/b:\n  file.managed:\n    - source: salt://imports-missing.j2\n    - template: jinja\n` +
          `${target}/c:\n  file.managed:\n    - source: salt://nothere.conf\n` +
          `${target}/d:\n  file.managed:\n    - source: salt://../../etc/passwd\n` +
          `script:\n  cmd.script:\n    - name: salt://nothere.sh\n`,
      );
      const settings = masterSettings(path.join(tree.dir, 'master-etc'), tree.states, tree.pillars);
      const masterlessRt = tree.runtime();
      const masterless = timeless(await masterlessRt.apply(['t'], { test: false }));
      const { states, pillar } = received(
        compileForMinion(settings, { id: 'testminion', grains: masterlessRt.grains, mods: ['t'], test: false, kind: 'states' }),
      );
      assert.deepEqual(Object.keys(states.files.base).sort(), ['bad.j2', 'imports-missing.j2']);
      const remote = new MinionRuntime(masterlessRt.config, silentLogger, { pillar });
      const ran = timeless(await remote.runCompiled(states, pillar));
      assert.deepEqual(ran, masterless);
      const comments = Object.values(ran).map((r) => r.comment);
      assert.match(String(comments[0]), /has no attribute 'nope'.*\{\{ pillar\['nope'\]\['x'\] \}\}/s);
      assert.match(String(comments[1]), /nothere\.jinja/);
      assert.equal(comments[2], "Source file salt://nothere.conf not found in saltenv 'base'");
      assert.equal(comments[3], "Source file salt://../../etc/passwd not found in saltenv 'base'");
      assert.equal(comments[4], "Unable to cache script salt://nothere.sh from saltenv 'base'");
      for (const f of ['a', 'b', 'c', 'd']) assert.equal(fs.existsSync(path.join(target, f)), false);
    });

    it('test=True from the master is honoured, and opts.test overrides it', async () => {
      tree.state('t.sls', `${target}/x:\n  file.managed:\n    - contents: x\n`);
      const settings = masterSettings(path.join(tree.dir, 'master-etc'), tree.states, tree.pillars);
      const grains = minion({}).grains;
      const { states, pillar } = received(compileForMinion(settings, { id: 'web-1', grains, mods: ['t'], test: true, kind: 'states' }));
      const dry: StateRunResult = (await minion(pillar).runCompiled(states, pillar) as { ok: true; results: StateRunResult }).results;
      assert.equal(Object.values(dry)[0].result, null);
      assert.equal(fs.existsSync(path.join(target, 'x')), false);
      const wet = timeless(await minion(pillar).runCompiled(states, pillar, { test: false }));
      assert.equal(Object.values(wet)[0].result, true);
      assert.equal(fs.readFileSync(path.join(target, 'x'), 'utf8'), 'x\n');
    });

    it('pillar.* in master mode sees the pillar the master sent', () => {
      const rt = minion({ app: { port: 1 } });
      assert.deepEqual(rt.pillar(), { app: { port: 1 } });
      assert.deepEqual(rt.pillar({ app: { extra: 2 } }), { app: { port: 1, extra: 2 } });
      assert.deepEqual(rt.pillar(), { app: { port: 1 } });
    });
  });
});
