/**
 * pkgrepo against the real apt: every test gets its own apt directories (source lists,
 * keyrings, package lists, cache) passed to apt-get with -o options, and local `file:`
 * repositories the tests build (one unsigned, one signed with a key generated here), so
 * apt-get update really parses what pkgrepo wrote and checks signatures with the stored key.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { AptPaths } from '../../minion/backends/apt-sources';
import type { StateModule } from '../../minion/states/contract';
import { createPkgrepoModule } from '../../minion/states/pkgrepo';
import { TempTree } from '../helpers/tree';
import { runState } from '../unit/helpers/run-state';
import { makeStateContext, tempDir } from '../unit/helpers/state-context';

function run(cmd: string, args: string[], input?: string | Buffer): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** A flat repository (dist `./`) holding one package stanza, optionally signed (InRelease). */
function buildRepo(dir: string, pkg: string, gnupg?: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const packages = `Package: ${pkg}\nVersion: 1.0\nArchitecture: all\nMaintainer: Brine <brine@test.invalid>\nFilename: ./${pkg}_1.0_all.deb\nSize: 1\nDescription: test package\n\n`;
  fs.writeFileSync(path.join(dir, 'Packages'), packages);
  if (!gnupg) return;
  const sha = createHash('sha256').update(packages).digest('hex');
  const release = `Origin: brine-test\nLabel: brine-test\nSuite: brine\nCodename: brine\nDate: ${new Date().toUTCString()}\nSHA256:\n ${sha} ${Buffer.byteLength(packages)} Packages\n`;
  fs.writeFileSync(path.join(dir, 'Release'), release);
  const signed = run('gpg', ['--homedir', gnupg, '--batch', '--yes', '--clearsign', '-o', path.join(dir, 'InRelease'), path.join(dir, 'Release')]);
  assert.equal(signed.status, 0, signed.stderr);
}

describe('pkgrepo with the real apt (temp apt directories, local file: repositories)', function () {
  this.timeout(60000);
  let top: string;
  let cleanTop: () => void;
  let gnupg: string;
  let keyAsc: string;
  let plainRepo: string;
  let signedRepo: string;

  before(function () {
    if (run('apt-get', ['--version']).status !== 0 || run('gpg', ['--version']).status !== 0) this.skip();
    ({ dir: top, cleanup: cleanTop } = tempDir('brine-pkgrepo-apt-'));
    gnupg = path.join(top, 'gnupg');
    fs.mkdirSync(gnupg, { mode: 0o700 });
    const gen = run('gpg', ['--homedir', gnupg, '--batch', '--passphrase', '', '--quick-gen-key', 'Brine Repo Test <repo@brine.invalid>', 'ed25519', 'sign', 'never']);
    assert.equal(gen.status, 0, gen.stderr);
    keyAsc = run('gpg', ['--homedir', gnupg, '--armor', '--export']).stdout;
    assert.match(keyAsc, /BEGIN PGP PUBLIC KEY BLOCK/);
    plainRepo = path.join(top, 'plain');
    signedRepo = path.join(top, 'signed');
    buildRepo(plainRepo, 'brine-plain-pkg');
    buildRepo(signedRepo, 'brine-signed-pkg', gnupg);
  });
  after(() => {
    if (!gnupg) return;
    run('gpgconf', ['--homedir', gnupg, '--kill', 'all']);
    cleanTop();
  });

  let n = 0;
  let paths: AptPaths;
  let mod: StateModule;
  let aptOpts: string[];
  beforeEach(() => {
    const base = path.join(top, `apt-${n++}`);
    for (const d of ['sources.list.d', 'lists/partial', 'cache/archives/partial']) fs.mkdirSync(path.join(base, d), { recursive: true });
    fs.writeFileSync(path.join(base, 'sources.list'), '');
    aptOpts = [
      '-o', `Dir::Etc::sourcelist=${path.join(base, 'sources.list')}`,
      '-o', `Dir::Etc::sourceparts=${path.join(base, 'sources.list.d')}`,
      '-o', `Dir::State::Lists=${path.join(base, 'lists')}`,
      '-o', `Dir::Cache=${path.join(base, 'cache')}`,
      '-o', 'APT::Sandbox::User=root',
    ];
    paths = { sourceList: path.join(base, 'sources.list'), sourceParts: path.join(base, 'sources.list.d'), keyrings: path.join(base, 'keyrings'), aptOptions: aptOpts };
    mod = createPkgrepoModule({ paths, keyserverTimeoutMs: 500 });
  });

  const candidate = (pkg: string): string | undefined => /Candidate: (\S+)/.exec(run('apt-cache', [...aptOpts, 'policy', pkg]).stdout)?.[1];
  const manage = (name: string, args: Record<string, unknown>, test = false) => runState(mod.functions.managed, name, args, makeStateContext({ test }));

  it('an unsigned trusted repo: apt-get update reads the written list; the rerun is already configured', async () => {
    const name = `deb [trusted=yes] file:${plainRepo} ./`;
    const file = path.join(paths.sourceParts, 'brine-plain.list');
    const r = await manage(name, { file });
    assert.deepEqual(r, { name, result: true, changes: { repo: name }, comment: `Configured package repo '${name}'` });
    assert.equal(candidate('brine-plain-pkg'), '1.0');
    const again = await manage(name, { file });
    assert.equal(again.comment, `Package repo '${name}' already configured`);
  });

  it('a signed repo: without its key apt refuses it; with key_text the key lands in keyrings and signed-by makes apt trust it', async () => {
    const name = `deb file:${signedRepo} ./`;
    const file = path.join(paths.sourceParts, 'brine-signed.list');
    fs.writeFileSync(file, `${name}\n`);
    const refused = run('apt-get', ['-q', ...aptOpts, 'update']);
    assert.match(refused.stdout + refused.stderr, /NO_PUBKEY/);
    assert.equal(candidate('brine-signed-pkg'), undefined);

    const r = await manage(name, { file, key_text: keyAsc });
    const key = path.join(paths.keyrings, 'brine-signed.asc');
    assert.equal(r.result, true, r.comment);
    assert.deepEqual(r.changes, { line: { new: `deb [signed-by=${key}] file:${signedRepo} ./`, old: name }, signedby: { new: key, old: '' }, key });
    assert.equal(fs.readFileSync(file, 'utf8'), `deb [signed-by=${key}] file:${signedRepo} ./\n`);
    assert.equal(fs.readFileSync(key, 'utf8'), keyAsc);
    assert.equal(candidate('brine-signed-pkg'), '1.0');
  });

  it('a binary key for a signed-by .gpg file, served over http as key_url', async () => {
    const bin = spawnSync('gpg', ['--homedir', gnupg, '--export']).stdout;
    const server = http.createServer((_req, res) => res.end(bin));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const key = path.join(paths.keyrings, 'vendor.gpg');
      const name = `deb [signed-by=${key}] file:${signedRepo} ./`;
      const r = await manage(name, { file: path.join(paths.sourceParts, 'vendor.list'), key_url: `http://127.0.0.1:${port}/vendor.gpg` });
      assert.equal(r.result, true, r.comment);
      assert.ok(fs.readFileSync(key).equals(bin));
      assert.equal(candidate('brine-signed-pkg'), '1.0');
    } finally {
      server.close();
    }
  });

  it('a failing apt-get update fails the state with apt\'s error', async () => {
    const name = `deb [trusted=yes] file:${path.join(top, 'missing-repo')} ./`;
    const r = await manage(name, { file: path.join(paths.sourceParts, 'missing.list') });
    assert.equal(r.result, false);
    assert.ok(r.comment.startsWith(`Failed to configure repo '${name}': `), r.comment);
    assert.match(r.comment, /E: Failed to fetch file:.*missing-repo/);
    assert.deepEqual(r.changes, { repo: name });
  });

  it('pkgrepo.absent removes the entry and refreshes: apt no longer offers the package', async () => {
    const name = `deb [trusted=yes] file:${plainRepo} ./`;
    await manage(name, { file: path.join(paths.sourceParts, 'brine-plain.list') });
    assert.equal(candidate('brine-plain-pkg'), '1.0');
    const r = await runState(mod.functions.absent, name, {}, makeStateContext());
    assert.deepEqual(r, { name, result: true, changes: { repo: name }, comment: `Removed repo ${name}` });
    assert.equal(fs.existsSync(path.join(paths.sourceParts, 'brine-plain.list')), false);
    assert.equal(candidate('brine-plain-pkg'), undefined);
  });

  it('keyid + keyserver that cannot be reached fails fast and clearly (never hangs)', async () => {
    const name = `deb file:${signedRepo} ./`;
    for (const keyserver of ['hkp://192.0.2.1', 'hkps://keyserver.invalid']) {
      const r = await manage(name, { file: path.join(paths.sourceParts, 'ks.list'), keyid: '0E08A149DE57BFBE', keyserver });
      assert.equal(r.result, false);
      assert.ok(r.comment.startsWith(`Failed to configure repo '${name}': Error: Could not add key: 0E08A149DE57BFBE: keyserver ${keyserver} (`), r.comment);
      assert.match(r.comment, /cannot be reached: /);
    }
    assert.equal(fs.existsSync(path.join(paths.sourceParts, 'ks.list')), false);
  });

  it('keyid + keyserver: gpg fetches the key from a (local) HKP keyserver into keyrings, and apt trusts it', async () => {
    const fpr = /^fpr:+([0-9A-F]{40}):/m.exec(run('gpg', ['--homedir', gnupg, '--with-colons', '--list-keys']).stdout)?.[1];
    assert.ok(fpr);
    const asked: string[] = [];
    const server = http.createServer((req, res) => {
      asked.push(req.url ?? '');
      res.setHeader('Content-Type', 'application/pgp-keys');
      res.end(keyAsc);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const name = `deb file:${signedRepo} ./`;
      const file = path.join(paths.sourceParts, 'brine-ks.list');
      const r = await manage(name, { file, keyid: fpr, keyserver: `hkp://127.0.0.1:${port}` });
      assert.equal(r.result, true, r.comment);
      const key = path.join(paths.keyrings, 'brine-ks.gpg');
      assert.equal(fs.readFileSync(file, 'utf8'), `deb [signed-by=${key}] file:${signedRepo} ./\n`);
      assert.ok(asked.some((u) => u.includes('op=get')), asked.join(' '));
      assert.equal(candidate('brine-signed-pkg'), '1.0');
      const again = await manage(name, { file, keyid: fpr.slice(-16), keyserver: `hkp://127.0.0.1:${port}` });
      assert.equal(again.comment, `Package repo '${name}' already configured`);
    } finally {
      server.close();
    }
  });

  it('a keyserver that accepts no connection times out after keyserverTimeoutMs', async function () {
    // A listener that never accepts, with its backlog filled: further connects hang.
    const listener = spawn('python3', ['-c', 'import socket,sys\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\nsys.stdin.read()'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const fillers: net.Socket[] = [];
    try {
      const port = await new Promise<number>((resolve, reject) => {
        listener.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
        listener.once('error', reject);
      });
      let hanging = false;
      for (let i = 0; i < 5 && !hanging; i++) {
        const c = net.connect(port, '127.0.0.1');
        c.on('error', () => undefined);
        fillers.push(c);
        hanging = await new Promise<boolean>((resolve) => {
          c.once('connect', () => resolve(false));
          setTimeout(() => resolve(true), 300);
        });
      }
      if (!hanging) this.skip();
      const name = `deb file:${signedRepo} ./`;
      const slow = createPkgrepoModule({ paths, keyserverTimeoutMs: 300 });
      const r = await runState(slow.functions.managed, name, { file: path.join(paths.sourceParts, 'ks.list'), keyid: '0E08A149DE57BFBE', keyserver: `hkp://127.0.0.1:${port}`, refresh: false }, makeStateContext());
      assert.equal(r.result, false);
      assert.equal(
        r.comment,
        `Failed to configure repo '${name}': Error: Could not add key: 0E08A149DE57BFBE: keyserver hkp://127.0.0.1:${port} (127.0.0.1 port ${port}) cannot be reached: no answer within 0.3 seconds`,
      );
    } finally {
      for (const c of fillers) c.destroy();
      listener.kill();
    }
  });

  it('through the SLS pipeline, with key_url from salt://', async () => {
    const tree = new TempTree('brine-pkgrepo-sls-');
    try {
      tree.state('keys/signed.asc', keyAsc);
      tree.state('top.sls', "base:\n  '*':\n    - repos\n");
      const file = path.join(paths.sourceParts, 'brine.list');
      tree.state('repos.sls', `brine-signed:\n  pkgrepo.managed:\n    - name: deb file:${signedRepo} ./\n    - file: ${file}\n    - key_url: salt://keys/signed.asc\n`);
      const rt = tree.runtime();
      (rt.modules as Map<string, StateModule>).set('pkgrepo', mod);
      const tag = `pkgrepo_|-brine-signed_|-deb file:${signedRepo} ./_|-managed`;
      const test = await rt.apply(undefined, { test: true });
      assert.ok(test.ok);
      if (!test.ok) return;
      assert.equal(test.results[tag].result, null);
      assert.equal(fs.existsSync(file), false);
      const applied = await rt.apply(undefined);
      assert.ok(applied.ok);
      if (!applied.ok) return;
      assert.equal(applied.results[tag].result, true, applied.results[tag].comment);
      assert.equal(candidate('brine-signed-pkg'), '1.0');
      const again = await rt.apply(undefined);
      assert.ok(again.ok);
      if (!again.ok) return;
      assert.deepEqual(again.results[tag].changes, {});
    } finally {
      tree.cleanup();
    }
  });
});
