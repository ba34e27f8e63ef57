/**
 * Attack suite, salt:// paths (Salt's CVE-2020-11652, CVE-2021-25282, CVE-2024-22232): names
 * with `..`, absolute paths, percent-encoding, NUL, backslashes, and symlinks inside file_roots
 * that lead out of them, used as file.managed sources, cmd.script sources, template imports and
 * includes, import_yaml/json/text, and SLS includes. Masterless (`brine call --local` and the
 * same runtime in-process) and through the master's renderer (compileForMinion): the files
 * outside the roots hold a marker that must never appear in any output, job or written file.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMinionConfig } from '../../common/config';
import { compileForMinion } from '../../master/render/compile-for-minion';
import type { MasterRenderSettings } from '../../master/render/settings';
import { callFunction } from '../../minion/exec/index';
import { MinionRuntime } from '../../minion/runtime';
import { BRINE } from '../helpers/fleet';

const LEAK = `LEAK-${crypto.randomBytes(6).toString('hex')}`;

/** What an attack is: a name (used in file and state names) and the hostile reference. */
interface Attack {
  name: string;
  ref: string;
}

/** salt:// URLs that name files outside file_roots without a symlink. */
const TRAVERSAL_URLS: Attack[] = [
  { name: 'dotdot', ref: 'salt://../outside/secret.txt' },
  { name: 'dotdot-deep', ref: 'salt://a/b/../../../outside/secret.txt' },
  { name: 'dotdot-sibling', ref: 'salt://../states-evil/secret.txt' },
  { name: 'absolute', ref: 'salt:///OUTSIDE/secret.txt' },
  { name: 'percent-dots', ref: 'salt://%2e%2e/outside/secret.txt' },
  { name: 'percent-slash', ref: 'salt://..%2foutside%2fsecret.txt' },
  { name: 'percent-double', ref: 'salt://%252e%252e/outside/secret.txt' },
  { name: 'backslash', ref: 'salt://..\\outside\\secret.txt' },
  { name: 'nul', ref: 'salt://link-free.txt\u0000../../outside/secret.txt' },
  { name: 'saltenv-dotdot', ref: 'salt://secret.txt?saltenv=../outside' },
  { name: 'saltenv-proto', ref: 'salt://secret.txt?saltenv=__proto__' },
  { name: 'saltenv-constructor', ref: 'salt://secret.txt?saltenv=constructor' },
];

/** salt:// URLs of symlinks inside file_roots that lead out of them. */
const SYMLINK_URLS: Attack[] = [
  { name: 'link-file', ref: 'salt://link.txt' },
  { name: 'link-dir', ref: 'salt://linkdir/secret.txt' },
  { name: 'link-absolute', ref: 'salt://abs-link.txt' },
  { name: 'link-sibling', ref: 'salt://evil.txt' },
];

/** SLS names and saltenvs that try to climb out of the roots. */
const HOSTILE_SLS_NAMES = ['../outside/secret', '..', '.', '/OUTSIDE/secret', '..outside.secret', 'a..b', 'secret\u0000', 'OUTSIDE/secret'];
const HOSTILE_SALTENVS = ['../outside', '..', '/', '__proto__', 'constructor'];

/** Template statements that read outside the roots without a symlink (from a template in tpl/). */
const TRAVERSAL_IMPORTS: Attack[] = [
  { name: 'include-dotdot', ref: "{% include '../../outside/secret.txt' %}" },
  { name: 'include-dotdot-salt', ref: "{% include 'salt://../outside/secret.txt' %}" },
  { name: 'include-absolute', ref: "{% include '/OUTSIDE/secret.txt' %}" },
  { name: 'include-percent', ref: "{% include '%2e%2e/%2e%2e/outside/secret.txt' %}" },
  { name: 'include-backslash', ref: "{% include '..\\\\..\\\\outside\\\\secret.txt' %}" },
  { name: 'include-nul', ref: '{% include "tpl/ok.jinja\\x00/../../../outside/secret.txt" %}' },
  { name: 'import-dotdot', ref: "{% import '../../outside/macros.jinja' as m %}{{ m.leak() }}" },
  { name: 'from-import-dotdot', ref: "{% from '../../outside/macros.jinja' import leak %}{{ leak() }}" },
  { name: 'import-yaml-dotdot', ref: "{% import_yaml '../../outside/secret.yaml' as y %}{{ y }}" },
  { name: 'import-json-dotdot', ref: "{% import_json '../../outside/secret.json' as j %}{{ j }}" },
  { name: 'import-text-dotdot', ref: "{% import_text '../../outside/secret.txt' as t %}{{ t }}" },
];

/** Template statements that read outside the roots through symlinks inside them. */
const SYMLINK_IMPORTS: Attack[] = [
  { name: 'include-link', ref: "{% include 'link.txt' %}" },
  { name: 'include-linkdir', ref: "{% include 'linkdir/secret.txt' %}" },
  { name: 'import-link', ref: "{% import 'link.jinja' as m %}{{ m.leak() }}" },
  { name: 'from-import-linkdir', ref: "{% from 'linkdir/macros.jinja' import leak %}{{ leak() }}" },
  { name: 'import-yaml-link', ref: "{% import_yaml 'link.yaml' as y %}{{ y }}" },
  { name: 'import-json-link', ref: "{% import_json 'link.json' as j %}{{ j }}" },
  { name: 'import-text-link', ref: "{% import_text 'link.txt' as t %}{{ t }}" },
];

/** SLS files that are, or include, symlinks leading out of the roots. */
const SYMLINK_SLS: Attack[] = [
  { name: 'sls-is-link', ref: 'link' },
  { name: 'sls-in-linkdir', ref: 'linkdir.secret' },
  { name: 'sls-includes-link', ref: 'inc-link' },
];

describe('security: salt:// paths never leave the roots', function () {
  this.timeout(60_000);
  let dir: string;
  let states: string;
  let work: string;
  let etc: string;
  let settings: MasterRenderSettings;

  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  /** Replace the OUTSIDE placeholder with the real absolute path of the outside directory. */
  const real = (ref: string) => ref.replace('/OUTSIDE', path.join(dir, 'outside'));

  /** An SLS of file.managed states, one per source URL, each writing work/<name>. */
  function sourcesSls(attacks: Attack[]): string {
    return attacks.map((a) => `${a.name}:\n  file.managed:\n    - name: ${path.join(work, a.name)}\n    - source: ${JSON.stringify(real(a.ref))}\n`).join('');
  }

  /** An SLS of cmd.script states, one per script URL. */
  function scriptsSls(attacks: Attack[]): string {
    return attacks.map((a) => `script-${a.name}:\n  cmd.script:\n    - source: ${JSON.stringify(real(a.ref).replace('secret.txt', 'secret.sh').replace('link.txt', 'link.sh').replace('evil.txt', 'evil.sh'))}\n`).join('');
  }

  /** An SLS of templated file.managed states, one per template tpl/<name>.jinja holding the attack. */
  function templatesSls(attacks: Attack[]): string {
    for (const a of attacks) write(`states/tpl/${a.name}.jinja`, `before ${real(a.ref)} after\n`);
    return attacks.map((a) => `${a.name}:\n  file.managed:\n    - name: ${path.join(work, a.name)}\n    - source: salt://tpl/${a.name}.jinja\n    - template: jinja\n`).join('');
  }

  /** `brine call --local state.apply SLS --out json`: its exit status, output and per-state results. */
  function callLocal(sls: string): { status: number | null; text: string; results: Record<string, { result: boolean | null; comment: string }> } {
    const r = spawnSync(process.execPath, [BRINE, 'call', '--local', '-c', etc, 'state.apply', sls, '--out', 'json'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });
    const text = r.stdout + r.stderr;
    let results: Record<string, { result: boolean | null; comment: string }> = {};
    try {
      const local = (JSON.parse(r.stdout) as { local: unknown }).local;
      if (local && typeof local === 'object' && !Array.isArray(local)) results = local as typeof results;
    } catch {
      // not JSON: the assertions below show the text
    }
    return { status: r.status, text, results };
  }

  /** Every state of `attacks` failed, nothing leaked into the output or into a written file. */
  function assertRefused(run: ReturnType<typeof callLocal>, attacks: Attack[], prefix = ''): void {
    assert.equal(run.text.includes(LEAK), false, `the secret leaked:\n${run.text}`);
    for (const a of attacks) {
      const entry = Object.entries(run.results).find(([k]) => k.includes(`_|-${prefix}${a.name}_|-`));
      assert.ok(entry, `no result for ${a.name}:\n${run.text}`);
      assert.equal(entry[1].result, false, `${a.name} did not fail: ${entry[1].comment}`);
    }
    assertNoLeakInWork();
  }

  function assertNoLeakInWork(): void {
    for (const f of fs.readdirSync(work)) assert.equal(fs.readFileSync(path.join(work, f), 'utf8').includes(LEAK), false, `work/${f} holds the secret`);
  }

  /** Render `sls` for a minion through the master's renderer: the secret must be in no chunk and no attachment. */
  function assertMasterRefuses(sls: string): void {
    const r = compileForMinion(settings, { id: 'm1', grains: {}, kind: 'states', test: false, mods: [sls] });
    const text = JSON.stringify(r, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
    assert.equal(text.includes(LEAK), false, `${sls}: the master put the secret into the job: ${text.slice(0, 2000)}`);
  }

  /** Apply `sls` masterless in-process; the secret must not be in the result. Returns the retcode. */
  async function applyInProcess(sls: string): Promise<number> {
    const runtime = new MinionRuntime(loadMinionConfig(etc));
    const r = await callFunction('state.apply', [sls], {}, runtime);
    const text = JSON.stringify(r.data);
    assert.equal(text.includes(LEAK), false, `${sls}: the secret leaked masterless: ${text.slice(0, 2000)}`);
    return r.retcode;
  }

  before(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'brine-sec-paths-')));
    states = path.join(dir, 'states');
    work = path.join(dir, 'work');
    fs.mkdirSync(work);
    write('outside/secret.txt', `${LEAK}-txt\n`);
    write('outside/secret.yaml', `leak: ${LEAK}-yaml\n`);
    write('outside/secret.json', `{"leak": "${LEAK}-json"}\n`);
    write('outside/secret.sh', `#!/bin/sh\necho ${LEAK}-script\n`);
    write('outside/secret.sls', `leaked:\n  test.nop:\n    - x: ${LEAK}-sls\n`);
    write('outside/macros.jinja', `{% macro leak() %}${LEAK}-macro{% endmacro %}\n`);
    write('states-evil/secret.txt', `${LEAK}-sibling\n`);
    write('states-evil/secret.sh', `#!/bin/sh\necho ${LEAK}-sibling-script\n`);
    write('states/top.sls', "base:\n  '*': []\n");
    write('states/link-free.txt', 'inside\n');
    write('states/tpl/ok.jinja', 'ok\n');
    write('states/inc-link.sls', 'include:\n  - link\n');
    const links: Array<[string, string]> = [
      ['link.txt', '../outside/secret.txt'],
      ['link.sh', '../outside/secret.sh'],
      ['link.yaml', '../outside/secret.yaml'],
      ['link.json', '../outside/secret.json'],
      ['link.jinja', '../outside/macros.jinja'],
      ['link.sls', '../outside/secret.sls'],
      ['linkdir', '../outside'],
      ['abs-link.txt', path.join(dir, 'outside', 'secret.txt')],
      ['abs-link.sh', path.join(dir, 'outside', 'secret.sh')],
      ['evil.txt', '../states-evil/secret.txt'],
      ['evil.sh', '../states-evil/secret.sh'],
    ];
    for (const [name, target] of links) fs.symlinkSync(target, path.join(states, name));
    write('states/sources-traversal.sls', sourcesSls(TRAVERSAL_URLS) + scriptsSls(TRAVERSAL_URLS.slice(0, 4)));
    write('states/sources-symlink.sls', sourcesSls(SYMLINK_URLS) + scriptsSls(SYMLINK_URLS));
    write('states/secret.sls', 'inside:\n  test.nop\n');
    write('states/templates-traversal.sls', templatesSls(TRAVERSAL_IMPORTS));
    write('states/templates-symlink.sls', templatesSls(SYMLINK_IMPORTS));
    for (const a of [...TRAVERSAL_IMPORTS, ...SYMLINK_IMPORTS]) write(`states/sls-${a.name}.sls`, `attack:\n  test.nop:\n    - x: |\n        ${real(a.ref).replace(/\.\.\/\.\.\//g, '../')}\n`);
    write('pillars/top.sls', "base:\n  '*': []\n");
    write('outside/pillar.sls', `leak: ${LEAK}-pillar\n`);
    write('pillars-linked/top.sls', "base:\n  '*':\n    - linked\n");
    fs.symlinkSync('../outside/pillar.sls', path.join(dir, 'pillars-linked', 'linked.sls'));
    etc = path.join(dir, 'etc');
    fs.mkdirSync(etc);
    fs.writeFileSync(path.join(etc, 'minion'), `id: m1\nfile_roots: {base: [${states}]}\npillar_roots: {base: [${path.join(dir, 'pillars')}]}\ncachedir: ${path.join(dir, 'cache')}\n`);
    settings = { raw: {}, file_roots: { base: [states] }, pillar_roots: { base: [path.join(dir, 'pillars')] }, nodegroups: {}, state_top: 'top.sls', state_auto_order: true, saltenv: null, pillarenv: null };
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('masterless (brine call --local)', () => {
    it('refuses file.managed and cmd.script sources with .., absolute paths, percent-encoding, NUL, backslashes or hostile saltenvs', () => {
      const run = callLocal('sources-traversal');
      assert.equal(run.status, 2, run.text);
      assertRefused(run, TRAVERSAL_URLS);
      assertRefused(run, TRAVERSAL_URLS.slice(0, 4), 'script-');
    });

    it('refuses SLS names and saltenvs that climb out of the roots', async () => {
      for (const name of HOSTILE_SLS_NAMES) assert.notEqual(await applyInProcess(real(name)), 0, name);
      for (const saltenv of HOSTILE_SALTENVS) {
        const runtime = new MinionRuntime(loadMinionConfig(etc));
        const r = await callFunction('state.apply', ['secret'], { saltenv }, runtime);
        assert.equal(JSON.stringify(r.data).includes(LEAK), false);
        assert.notEqual(r.retcode, 0, `saltenv ${saltenv}: ${JSON.stringify(r.data)}`);
      }
    });

    it('refuses template includes and imports that climb out of salt://', () => {
      const run = callLocal('templates-traversal');
      assert.equal(run.status, 2, run.text);
      assertRefused(run, TRAVERSAL_IMPORTS);
    });

    it('refuses SLS-level includes and imports that climb out of salt://', async () => {
      for (const a of TRAVERSAL_IMPORTS) assert.notEqual(await applyInProcess(`sls-${a.name}`), 0, a.name);
    });

    // HOLE: masterless, LocalFileSource.locate (common/fileserver.ts) follows symlinks: a symlink
    // inside file_roots serves any file of the host as a file.managed source, and runs any script
    // as a cmd.script source. Reproduce: ln -s /etc/shadow <file_roots>/x; a state with
    // `file.managed: [name: /tmp/copy, source: salt://x]`; `brine call --local state.apply`.
    it('refuses file.managed and cmd.script sources that are symlinks leading out of file_roots', () => {
      const run = callLocal('sources-symlink');
      assertRefused(run, SYMLINK_URLS);
      assertRefused(run, SYMLINK_URLS, 'script-');
    });

    // HOLE: masterless, the same LocalFileSource.locate serves symlinks to templates:
    // `{% include 'x' %}`, `{% import_yaml 'x' as y %}` with <file_roots>/x -> /etc/shadow read it.
    it('refuses template includes and imports of symlinks leading out of file_roots', async () => {
      const run = callLocal('templates-symlink');
      assertRefused(run, SYMLINK_IMPORTS);
      for (const a of SYMLINK_IMPORTS) assert.notEqual(await applyInProcess(`sls-${a.name}`), 0, a.name);
    });

    // HOLE: masterless, an SLS file that is a symlink leading out of file_roots (or lies in a
    // symlinked directory, or is included through one) is rendered and applied.
    it('refuses SLS files that are symlinks leading out of file_roots', async () => {
      for (const a of SYMLINK_SLS) assert.notEqual(await applyInProcess(a.ref), 0, a.name);
    });
  });

  describe("through the master's renderer (compileForMinion)", () => {
    it('refuses SLS names and saltenvs that climb out of the roots', () => {
      for (const name of HOSTILE_SLS_NAMES) {
        const r = compileForMinion(settings, { id: 'm1', grains: {}, kind: 'states', test: false, mods: [real(name)] });
        assert.equal(r.ok, false, `${name}: ${JSON.stringify(r)}`);
        assertMasterRefuses(real(name));
      }
      for (const saltenv of HOSTILE_SALTENVS) {
        const r = compileForMinion(settings, { id: 'm1', grains: {}, kind: 'states', test: false, mods: ['secret'], saltenv });
        assert.equal(r.ok, false, `saltenv ${saltenv}: ${JSON.stringify(r)}`);
      }
    });

    it('attaches no file for sources with .., absolute paths, percent-encoding, NUL, backslashes or hostile saltenvs', () => {
      assertMasterRefuses('sources-traversal');
    });

    it('attaches no symlink leading out of file_roots as a source or a cmd.script', () => {
      assertMasterRefuses('sources-symlink');
      const r = compileForMinion(settings, { id: 'm1', grains: {}, kind: 'states', test: false, mods: ['sources-symlink'] });
      assert.ok(r.ok && r.states);
      assert.deepEqual(r.states.files, {});
    });

    it('attaches nothing outside the roots for templates that include or import with ..', () => {
      assertMasterRefuses('templates-traversal');
      for (const a of TRAVERSAL_IMPORTS) assertMasterRefuses(`sls-${a.name}`);
    });

    it('attaches no symlink leading out of file_roots that a template includes or imports', () => {
      assertMasterRefuses('templates-symlink');
    });

    // HOLE: pillar_roots are read through the same LocalFileSource (common/pillar.ts), so a pillar
    // SLS that is a symlink leading out of pillar_roots is rendered into a minion's pillar.
    it('puts nothing from symlinks leading out of pillar_roots into a pillar', () => {
      const r = compileForMinion({ ...settings, pillar_roots: { base: [path.join(dir, 'pillars-linked')] } }, { id: 'm1', grains: {}, kind: 'pillar', test: false });
      assert.equal(JSON.stringify(r).includes(LEAK), false, JSON.stringify(r));
    });

    // HOLE: the master renders SLS files through LocalFileSource (master/render/compile-for-minion.ts
    // -> common/sls/compile.ts FileSlsProvider and the JinjaRenderer), which follows symlinks: an SLS
    // `{% include 'x' %}` / `{% import_yaml 'x' as y %}` with <file_roots>/x -> /etc/brine/pki/master.pem
    // puts the master's private key into a minion's job. Only attachments (RootFiles) check real paths.
    it('puts nothing from symlinks leading out of file_roots into a job through SLS includes, imports or SLS files', () => {
      for (const a of SYMLINK_IMPORTS) assertMasterRefuses(`sls-${a.name}`);
      for (const a of SYMLINK_SLS) assertMasterRefuses(a.ref);
    });
  });
});
