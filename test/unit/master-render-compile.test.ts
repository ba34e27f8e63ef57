/**
 * compileForMinion: the master renders a minion's pillar and states from its own roots,
 * fails with the errors state.apply reports masterless, and attaches exactly the salt://
 * files the minion will read (templates' imports included, nothing outside the roots).
 */
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AttachedFiles } from '../../common/protocol/messages';
import type { Dict } from '../../common/types';
import { loadMasterConfig } from '../../master/config/index';
import { compileForMinion } from '../../master/render/compile-for-minion';
import type { RenderRequest, RenderResult } from '../../master/render/request';
import { renderSettingsOf, type MasterRenderSettings } from '../../master/render/settings';
import { mayReadFiles } from '../../master/render/template-imports';
import { TreeSnapshot } from '../../master/render/tree-snapshot';
import { TempTree } from '../helpers/tree';

/** A master config over the tree's states/ and pillars/. */
function masterSettings(tree: TempTree, extra = ''): MasterRenderSettings {
  const dir = path.join(tree.dir, 'master-etc');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'master'),
    `file_roots:\n  base: [${tree.states}]\npillar_roots:\n  base: [${tree.pillars}]\ncachedir: ${path.join(tree.dir, 'master-cache')}\n${extra}`,
  );
  return renderSettingsOf(loadMasterConfig(dir));
}

function request(over: Partial<RenderRequest> = {}): RenderRequest {
  return { id: 'testminion', grains: { id: 'testminion', host: 'testminion', os_family: 'Debian' }, test: false, kind: 'states', ...over };
}

function okStates(r: RenderResult) {
  assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
  assert.ok(r.states, 'states compiled');
  return { pillar: r.pillar, states: r.states };
}

/** Attached files as saltenv -> path -> text, for exact comparisons. */
function texts(files: AttachedFiles): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [env, map] of Object.entries(files)) {
    out[env] = {};
    for (const [p, b] of Object.entries(map)) out[env][p] = Buffer.from(b).toString('utf8');
  }
  return out;
}

describe('compileForMinion', () => {
  let tree: TempTree;
  beforeEach(() => {
    tree = new TempTree('brine-master-render-');
  });
  afterEach(() => tree.cleanup());

  describe('pillar', () => {
    it("kind 'pillar' compiles the minion's pillar from the master's pillar_roots, with grains and override", () => {
      tree.pillar('top.sls', "base:\n  'testminion':\n    - p\n  'other':\n    - q\n");
      tree.pillar('p.sls', "role: {{ grains['host'] }}-db\nnested:\n  a: 1\n  b: 2\n");
      tree.pillar('q.sls', 'secret: other-only\n');
      const r = compileForMinion(masterSettings(tree), request({ kind: 'pillar', pillarOverride: { nested: { b: 3 } } }));
      assert.deepEqual(r, { ok: true, pillar: { role: 'testminion-db', nested: { a: 1, b: 3 } } });
    });

    it("kind 'pillar' returns a broken pillar with its _errors (as pillar.items shows it)", () => {
      tree.pillar('top.sls', "base:\n  '*':\n    - p\n").pillar('p.sls', 'a: {{ nope }}\n');
      const r = compileForMinion(masterSettings(tree), request({ kind: 'pillar' }));
      assert.ok(r.ok);
      assert.equal(r.states, undefined);
      assert.match(String((r.pillar._errors as string[])[0]), /^Rendering SLS 'p' failed, render error:\nsalt:\/\/p\.sls, line 1.*nope/s);
    });

    it('templates see the master options as opts, with the minion id and grains', () => {
      tree.pillar('top.sls', "base:\n  '*':\n    - p\n").pillar('p.sls', "who: {{ opts['id'] }}\nhow: {{ opts['state_top'] }}\nhost: {{ opts['grains']['host'] }}\n");
      const r = compileForMinion(masterSettings(tree), request({ kind: 'pillar' }));
      assert.deepEqual(r, { ok: true, pillar: { who: 'testminion', how: 'top.sls', host: 'testminion' } });
    });
  });

  describe('errors, as masterless state.apply reports them', () => {
    const cases: Array<[string, string, string, RegExp]> = [
      ['missing pillar key', 'a:\n  test.nop:\n    - x: {{ pillar["missing"]["key"] }}\n', '', /^Rendering SLS 'base:t' failed: salt:\/\/t\.sls, line 3, state 'a': .*'missing'/s],
      ['template syntax error', 'a:\n  test.nop:\n    - x: {{ 1 + }}\n', '', /^Rendering SLS 'base:t' failed: salt:\/\/t\.sls, line 3, state 'a': Jinja syntax error/],
      ['unknown state function', 'a:\n  test.nop\nb:\n  file.managd:\n    - name: /x\n', '', /^salt:\/\/t\.sls, line 3, state 'b': State 'file\.managd' was not found in SLS 't'\. Available: file\.absent/],
      ['extend of a missing ID', 'a:\n  test.nop\nextend:\n  nosuch:\n    test:\n      - nop\n', '', /^Cannot extend ID 'nosuch' in 'base:t'\. It is not part of the high state\./],
      ['pillar that does not render', 'a:\n  test.nop\n', 'a: {{ nope }}\n', /^Pillar failed to render with the following messages:$/],
    ];
    for (const [what, sls, pillarSls, first] of cases) {
      it(what, async () => {
        tree.state('t.sls', sls);
        if (pillarSls) tree.pillar('top.sls', "base:\n  '*':\n    - p\n").pillar('p.sls', pillarSls);
        const rt = tree.runtime();
        const masterless = await rt.apply(['t'], {});
        assert.equal(masterless.ok, false);
        const r = compileForMinion(masterSettings(tree), request({ grains: rt.grains, mods: ['t'] }));
        assert.equal(r.ok, false);
        assert.deepEqual(r, { ok: false, errors: masterless.ok ? [] : masterless.errors });
        assert.match(r.errors[0], first);
      });
    }

    it('the highstate without a matching top file', async () => {
      tree.state('top.sls', "base:\n  'nobody':\n    - t\n").state('t.sls', 'a:\n  test.nop\n');
      const rt = tree.runtime();
      const masterless = await rt.apply(undefined, {});
      const r = compileForMinion(masterSettings(tree), request({ grains: rt.grains }));
      assert.deepEqual(r, { ok: false, errors: ['No Top file or master_tops data matches found. Please see master log for details.'] });
      assert.deepEqual(r, masterless);
    });
  });

  describe('compiled states', () => {
    it('the highstate through top.sls, exclude, saltenv and test flag', () => {
      tree.state('top.sls', "base:\n  'testminion':\n    - a\n    - b\n");
      tree.state('a.sls', "one:\n  test.succeed_without_changes:\n    - name: {{ grains['host'] }}\n");
      tree.state('b.sls', 'two:\n  test.nop\n');
      const { pillar, states } = okStates(compileForMinion(masterSettings(tree), request({ test: true, exclude: [{ id: 'two' }] })));
      assert.deepEqual(pillar, {});
      assert.equal(states.test, true);
      assert.equal(states.saltenv, 'base');
      assert.deepEqual(states.files, {});
      assert.deepEqual(
        states.chunks.map((c) => [c.__id__, c.name, c.state, c.fun, c.__sls__, c.__env__]),
        [['one', 'testminion', 'test', 'succeed_without_changes', 'a', 'base']],
      );
    });

    it('state.sls of named mods', () => {
      tree.state('a.sls', 'one:\n  test.nop\n').state('b.sls', 'two:\n  test.nop\n');
      const { states } = okStates(compileForMinion(masterSettings(tree), request({ mods: ['b'] })));
      assert.deepEqual(states.chunks.map((c) => c.__id__), ['two']);
    });
  });

  describe('attachments', () => {
    it("attaches templated sources and everything they import, with the minion's grains and pillar", () => {
      tree.pillar('top.sls', "base:\n  '*':\n    - p\n").pillar('p.sls', 'app:\n  port: 8080\n  flavour: big\n');
      tree.state('macros.jinja', '{% macro line(k, v) %}{{ k }} = {{ v }}{% endmacro %}\n');
      tree.state('app/vars.jinja', "{% set greeting = 'hello' %}\n");
      tree.state('app/debian.yaml', 'pkg: apache2\n');
      tree.state('app/redhat.yaml', 'pkg: httpd\n');
      tree.state('app/big.jinja', 'big\n');
      tree.state('app/small.jinja', 'small\n');
      tree.state('app/header.txt', '# header\n');
      tree.state(
        'app/app.conf.j2',
        "{% import 'macros.jinja' as m %}{% from './vars.jinja' import greeting %}\n" +
          "{% import_yaml 'app/' ~ grains['os_family'] | lower ~ '.yaml' as osmap %}\n" +
          "{% include 'app/header.txt' %}\n{% include 'app/' ~ pillar['app']['flavour'] ~ '.jinja' %}\n" +
          "{{ m.line('port', pillar['app']['port']) }} {{ greeting }} {{ osmap.pkg }} {{ name }}\n",
      );
      tree.state('unused.txt', 'never read\n');
      tree.state('t.sls', `/tmp/app.conf:\n  file.managed:\n    - source: salt://app/app.conf.j2\n    - template: jinja\n`);
      const { states } = okStates(compileForMinion(masterSettings(tree), request({ mods: ['t'] })));
      assert.deepEqual(Object.keys(states.files), ['base']);
      assert.deepEqual(Object.keys(states.files.base).sort(), [
        'app/app.conf.j2',
        'app/big.jinja',
        'app/debian.yaml',
        'app/header.txt',
        'app/vars.jinja',
        'macros.jinja',
      ]);
      assert.equal(texts(states.files).base['macros.jinja'], '{% macro line(k, v) %}{{ k }} = {{ v }}{% endmacro %}\n');
    });

    it('imports after a render error are not found; the source itself is attached', () => {
      tree.state('m.jinja', '{% set x = 1 %}\n');
      tree.state('late.jinja', '{% set y = 1 %}\n');
      tree.state('bad.j2', "{% import 'm.jinja' as m %}{{ pillar['nope']['x'] }}{% import 'late.jinja' as l %}\n");
      tree.state('t.sls', '/tmp/x:\n  file.managed:\n    - source: salt://bad.j2\n    - template: jinja\n');
      const { states } = okStates(compileForMinion(masterSettings(tree), request({ mods: ['t'] })));
      assert.deepEqual(Object.keys(states.files.base).sort(), ['bad.j2', 'm.jinja']);
    });

    it('a source that is not templated is attached but not rendered', () => {
      tree.state('m.jinja', 'x\n').state('plain.conf', "{% import 'm.jinja' as m %}\n");
      tree.state('t.sls', '/tmp/x:\n  file.managed:\n    - source: salt://plain.conf\n');
      const { states } = okStates(compileForMinion(masterSettings(tree), request({ mods: ['t'] })));
      assert.deepEqual(texts(states.files), { base: { 'plain.conf': "{% import 'm.jinja' as m %}\n" } });
    });

    it('source lists (with hashes), salt:// hash files, cmd.script names with arguments, file.append sources, templated contents', () => {
      const staticText = 'static\n';
      const sha = crypto.createHash('sha256').update(staticText).digest('hex');
      tree.state('files/static.conf', staticText).state('files/other.conf', 'other\n').state('files/static.conf.sha256', `${sha}  static.conf\n`);
      tree.state('files/run.sh', '#!/bin/sh\n').state('files/motd.txt', "{% import 'inc/m.jinja' as m %}motd\n").state('inc/m.jinja', '');
      tree.state('inc/c.jinja', '{% set c = 1 %}\n');
      tree.state(
        't.sls',
        `/tmp/a:\n  file.managed:\n    - source:\n      - salt://files/missing.conf\n      - salt://files/static.conf: sha256=${sha}\n      - salt://files/other.conf\n` +
          '/tmp/b:\n  file.managed:\n    - source: salt://files/static.conf\n    - source_hash: salt://files/static.conf.sha256\n' +
          'script:\n  cmd.script:\n    - name: salt://files/run.sh --verbose now\n' +
          '/tmp/motd:\n  file.append:\n    - sources: [salt://files/motd.txt]\n' +
          "/tmp/c:\n  file.managed:\n    - contents: \"{% raw %}{% import 'inc/c.jinja' as c %}x{% endraw %}\"\n    - template: jinja\n",
      );
      const { states } = okStates(compileForMinion(masterSettings(tree), request({ mods: ['t'] })));
      assert.deepEqual(Object.keys(states.files.base).sort(), [
        'files/motd.txt',
        'files/other.conf',
        'files/run.sh',
        'files/static.conf',
        'files/static.conf.sha256',
        'inc/c.jinja',
        'inc/m.jinja',
      ]);
    });

    it('?saltenv= sources are attached under their saltenv', () => {
      const dev = path.join(tree.dir, 'dev');
      fs.mkdirSync(dev);
      fs.writeFileSync(path.join(dev, 'd.conf'), 'dev\n');
      tree.state('t.sls', '/tmp/d:\n  file.managed:\n    - source: salt://d.conf?saltenv=dev\n');
      const settings = masterSettings(tree);
      settings.file_roots.dev = [dev];
      const { states } = okStates(compileForMinion(settings, request({ mods: ['t'] })));
      assert.deepEqual(texts(states.files), { dev: { 'd.conf': 'dev\n' } });
    });

    it('hostile salt:// paths are refused and never attached', () => {
      const outside = path.join(tree.dir, 'secret.txt');
      fs.writeFileSync(outside, 'secret\n');
      tree.state('ok.txt', 'ok\n');
      const urls = [
        'salt://../secret.txt',
        'salt://../../../../../../etc/passwd',
        `salt://${outside}`,
        'salt://%2e%2e/secret.txt',
        'salt://..\\\\secret.txt',
        'salt://ok.txt\\u0000x',
        'salt://ok.txt?saltenv=..%2F..',
      ];
      tree.state(
        't.sls',
        urls.map((u, i) => `/tmp/h${i}:\n  file.managed:\n    - source: "${u}"\n`).join('') +
          '/tmp/t:\n  file.managed:\n    - source: salt://ok.txt\n    - template: jinja\n    - context: {x: 1}\n',
      );
      tree.state('ok.txt', "{% include '../secret.txt' ignore missing %}{% import_text 'salt://../secret.txt' as s %}\n");
      const { states } = okStates(compileForMinion(masterSettings(tree), request({ mods: ['t'] })));
      assert.equal(states.chunks.length, urls.length + 1);
      assert.deepEqual(Object.keys(states.files.base ?? {}), ['ok.txt']);
      assert.deepEqual(Object.keys(states.files), ['base']);
      assert.ok(!JSON.stringify(texts(states.files)).includes('secret\\n'));
    });

    it('a symlink leading out of the roots is not attached; one inside them is', () => {
      const outside = path.join(tree.dir, 'outside.txt');
      fs.writeFileSync(outside, 'outside\n');
      tree.state('real.txt', 'real\n');
      fs.symlinkSync(outside, path.join(tree.states, 'escape.txt'));
      fs.symlinkSync(path.join(tree.states, 'real.txt'), path.join(tree.states, 'alias.txt'));
      tree.state('t.sls', '/tmp/a:\n  file.managed:\n    - source: salt://escape.txt\n/tmp/b:\n  file.managed:\n    - source: salt://alias.txt\n');
      const { states } = okStates(compileForMinion(masterSettings(tree), request({ mods: ['t'] })));
      assert.deepEqual(texts(states.files), { base: { 'alias.txt': 'real\n' } });
    });

    it('template rendering on the master does not change the pillar sent to the minion', () => {
      tree.pillar('top.sls', "base:\n  '*':\n    - p\n").pillar('p.sls', 'items: [a]\n');
      tree.state('mut.j2', "{% do pillar['items'].append('from-template') %}{{ pillar['items'] | join(',') }}\n");
      tree.state('t.sls', '/tmp/m:\n  file.managed:\n    - source: salt://mut.j2\n    - template: jinja\n');
      const { pillar } = okStates(compileForMinion(masterSettings(tree), request({ mods: ['t'] })));
      assert.deepEqual(pillar, { items: ['a'] } as Dict);
    });
  });

  describe("one job's snapshot of the roots", () => {
    it('renders of one snapshot see the files of its first render; a fresh reading sees edits', () => {
      tree.pillar('top.sls', "base:\n  '*':\n    - p\n").pillar('p.sls', 'version: 1\n');
      tree.state('app.conf', 'v1\n').state('t.sls', '/tmp/app.conf:\n  file.managed:\n    - source: salt://app.conf\n');
      const settings = masterSettings(tree);
      const job = new TreeSnapshot(settings, true);
      const first = okStates(compileForMinion(settings, request({ mods: ['t'] }), job));
      tree.pillar('p.sls', 'version: 2\n').state('app.conf', 'v2\n').state('t.sls', '/tmp/other.conf:\n  file.managed:\n    - source: salt://app.conf\n');
      const second = okStates(compileForMinion(settings, request({ id: 'second', mods: ['t'] }), job));
      assert.deepEqual([second.pillar, texts(second.states.files), second.states.chunks.map((c) => c.name)], [{ version: 1 }, { base: { 'app.conf': 'v1\n' } }, ['/tmp/app.conf']]);
      assert.deepEqual(first.pillar, second.pillar);
      const fresh = okStates(compileForMinion(settings, request({ mods: ['t'] })));
      assert.deepEqual([fresh.pillar, texts(fresh.states.files), fresh.states.chunks.map((c) => c.name)], [{ version: 2 }, { base: { 'app.conf': 'v2\n' } }, ['/tmp/other.conf']]);
    });

    it('only templates that spell an import, include or extends tag are rendered to look for imports', () => {
      assert.equal(mayReadFiles("{% import_yaml 'x.yaml' as x %}"), true);
      assert.equal(mayReadFiles("{% from 'm.jinja' import f %}"), true);
      assert.equal(mayReadFiles("{% include 'h.txt' %}"), true);
      assert.equal(mayReadFiles("{% extends 'base.j2' %}"), true);
      assert.equal(mayReadFiles('{{ x }} {% for i in y %}{% endfor %}'), false);
    });
  });
});
