/** pkgrepo.managed / pkgrepo.absent over temp apt directories (no refresh): Salt's comments and changes. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AptPaths } from '../../minion/backends/apt-sources';
import { dearmor } from '../../minion/backends/apt-sources';
import type { StateFunction } from '../../minion/states/contract';
import { createPkgrepoModule } from '../../minion/states/pkgrepo';
import { FIXTURE_KEY_ASC, FIXTURE_KEYID } from './pkgrepo-fixture-key';
import { runState } from './helpers/run-state';
import { makeStateContext, tempDir, writeTree } from './helpers/state-context';

const REPO = 'deb http://repo.example/debian bookworm main';
const WOULD = (name: string): string =>
  `Package repo '${name}' would be configured. This may cause pkg states to behave differently than stated if this action is repeated without test=True, due to the differences in the configured repositories.`;

describe('pkgrepo states (temp apt directories)', () => {
  let dir: string;
  let cleanup: () => void;
  let paths: AptPaths;
  let managed: StateFunction<unknown>;
  let absent: StateFunction<unknown>;
  const read = (f: string): string => fs.readFileSync(f, 'utf8');
  const list = (name: string): string => path.join(paths.sourceParts, name);
  const ctx = (test = false) => makeStateContext({ test, roots: [path.join(dir, 'roots')] });
  const manage = (name: string, args: Record<string, unknown> = {}, test = false) => runState(managed, name, { refresh: false, ...args }, ctx(test));
  const remove = (name: string, args: Record<string, unknown> = {}, test = false) => runState(absent, name, { refresh: false, ...args }, ctx(test));

  beforeEach(() => {
    ({ dir, cleanup } = tempDir('brine-pkgrepo-'));
    paths = { sourceList: path.join(dir, 'apt', 'sources.list'), sourceParts: path.join(dir, 'apt', 'sources.list.d'), keyrings: path.join(dir, 'apt', 'keyrings'), aptOptions: [] };
    fs.mkdirSync(paths.sourceParts, { recursive: true });
    const mod = createPkgrepoModule({ paths, keyserverTimeoutMs: 2000 });
    managed = mod.functions.managed;
    absent = mod.functions.absent;
  });
  afterEach(() => cleanup());

  describe('pkgrepo.managed', () => {
    it('test mode predicts a new repo and writes nothing; a run writes it; the rerun is already configured', async () => {
      const file = list('example.list');
      const test = await manage(REPO, { file }, true);
      assert.deepEqual(test, { name: REPO, result: null, changes: { repo: REPO }, comment: WOULD(REPO) });
      assert.equal(fs.existsSync(file), false);
      const run = await manage(REPO, { file });
      assert.deepEqual(run, { name: REPO, result: true, changes: { repo: REPO }, comment: `Configured package repo '${REPO}'` });
      assert.equal(read(file), `${REPO}\n`);
      const again = await manage(REPO, { file });
      assert.deepEqual(again, { name: REPO, result: true, changes: {}, comment: `Package repo '${REPO}' already configured` });
      assert.equal((await manage(REPO, { file }, true)).result, true);
    });

    it('writes to sources.list when no file is given, as Salt does', async () => {
      await manage(REPO);
      assert.equal(read(paths.sourceList), `${REPO}\n`);
    });

    it('finds the repo in whatever list holds it (Salt does not compare the file)', async () => {
      writeTree(dir, { 'apt/sources.list.d/other.list': `${REPO}\n` });
      const r = await manage(REPO, { file: list('example.list') });
      assert.equal(r.comment, `Package repo '${REPO}' already configured`);
      assert.equal(fs.existsSync(list('example.list')), false);
    });

    it('changes components in place and reports Salt\'s {field: {new, old}} changes', async () => {
      const file = list('example.list');
      writeTree(dir, { 'apt/sources.list.d/example.list': `# keep me\n${REPO}\n` });
      const test = await manage(REPO, { file, comps: 'main,contrib' }, true);
      const expected = {
        comps: { new: ['main', 'contrib'], old: ['main'] },
        line: { new: 'deb http://repo.example/debian bookworm main contrib', old: REPO },
      };
      assert.deepEqual(test.changes, expected);
      const r = await manage(REPO, { file, comps: 'main,contrib' });
      assert.deepEqual(r.changes, expected);
      assert.equal(read(file), '# keep me\ndeb http://repo.example/debian bookworm main contrib\n');
      assert.equal((await manage(REPO, { file, comps: 'contrib, main' })).comment, `Package repo '${REPO}' already configured`);
    });

    it('disables and re-enables a repo (honoured on Debian, unlike Salt 3006)', async () => {
      const file = list('example.list');
      await manage(REPO, { file });
      const off = await manage(REPO, { file, disabled: true });
      assert.deepEqual(off.changes, { disabled: { new: true, old: false }, line: { new: `# ${REPO}`, old: REPO } });
      assert.equal(read(file), `# ${REPO}\n`);
      assert.equal((await manage(REPO, { file, disabled: true })).comment, `Package repo '${REPO}' already configured`);
      const on = await manage(REPO, { file, enabled: true });
      assert.deepEqual(on.changes, { disabled: { new: false, old: true }, line: { new: REPO, old: `# ${REPO}` } });
      assert.equal(read(file), `${REPO}\n`);
    });

    it('sets architectures and comments on the line', async () => {
      const file = list('example.list');
      const r = await manage(REPO, { file, architectures: 'amd64', comments: ['managed by', 'brine'] });
      assert.equal(r.result, true);
      assert.equal(read(file), 'deb [arch=amd64] http://repo.example/debian bookworm main #managed by brine\n');
      assert.equal((await manage(REPO, { file, architectures: 'amd64', comments: ['managed by', 'brine'] })).comment, `Package repo '${REPO}' already configured`);
      const other = await manage(REPO, { file, architectures: 'amd64', comments: 'other' });
      assert.equal(other.result, true);
      assert.equal(read(file), 'deb [arch=amd64] http://repo.example/debian bookworm main #other\n');
    });

    it('moves an entry to the given file when it changes, and empties the file with clean_file', async () => {
      writeTree(dir, { 'apt/sources.list.d/old.list': `deb http://other.example/debian bookworm main\n${REPO}\n`, 'apt/sources.list.d/new.list': 'deb http://junk.example/debian bookworm main\n' });
      const r = await manage(REPO, { file: list('new.list'), comps: 'main,non-free', clean_file: true });
      assert.equal(r.result, true);
      assert.equal(read(list('old.list')), 'deb http://other.example/debian bookworm main\n');
      assert.equal(read(list('new.list')), 'deb http://repo.example/debian bookworm main non-free\n');
    });

    it('warns when the file is one apt does not read', async () => {
      const file = path.join(dir, 'apt', 'sources.list.d', 'example.repo');
      const r = await manage(REPO, { file });
      assert.equal(r.result, true);
      assert.deepEqual(r.warnings, [`${file} is not read by apt: apt reads ${paths.sourceList} and the *.list files in ${paths.sourceParts}`]);
      assert.equal((await manage(REPO, { file })).comment, `Package repo '${REPO}' already configured`);
    });

    it('key_text (armored): stored as <keyrings>/<file name>.asc and named by signed-by', async () => {
      const file = list('example.list');
      const key = path.join(paths.keyrings, 'example.asc');
      const test = await manage(REPO, { file, key_text: FIXTURE_KEY_ASC }, true);
      assert.deepEqual(test.changes, { repo: REPO });
      assert.equal(fs.existsSync(key), false);
      const r = await manage(REPO, { file, key_text: FIXTURE_KEY_ASC });
      assert.deepEqual(r.changes, { repo: REPO });
      assert.equal(read(file), `deb [signed-by=${key}] http://repo.example/debian bookworm main\n`);
      assert.equal(read(key), FIXTURE_KEY_ASC);
      assert.equal(fs.statSync(key).mode & 0o777, 0o644);
      assert.equal((await manage(REPO, { file, key_text: FIXTURE_KEY_ASC })).comment, `Package repo '${REPO}' already configured`);
      fs.writeFileSync(key, 'tampered');
      const fix = await manage(REPO, { file, key_text: FIXTURE_KEY_ASC }, true);
      assert.deepEqual([fix.result, fix.changes], [null, { key }]);
      const fixed = await manage(REPO, { file, key_text: FIXTURE_KEY_ASC });
      assert.deepEqual([fixed.result, fixed.changes, fixed.comment], [true, { key }, `Configured package repo '${REPO}'`]);
      assert.equal(read(key), FIXTURE_KEY_ASC);
    });

    it('key_text (binary) is stored as .gpg; an armored key for a signed-by .gpg file is dearmored', async () => {
      const bin = dearmor(Buffer.from(FIXTURE_KEY_ASC));
      await manage(REPO, { file: list('bin.list'), key_text: bin });
      assert.ok(fs.readFileSync(path.join(paths.keyrings, 'bin.gpg')).equals(bin));
      const own = path.join(dir, 'usr', 'share', 'keyrings', 'vendor.gpg');
      const name = `deb [signed-by=${own}] http://vendor.example/apt stable main`;
      const r = await manage(name, { file: list('vendor.list'), key_text: FIXTURE_KEY_ASC });
      assert.deepEqual(r.changes, { repo: name });
      assert.ok(fs.readFileSync(own).equals(bin));
      assert.equal(read(list('vendor.list')), `${name}\n`);
    });

    it('key_url salt:// is read through the file server; no file gives Salt\'s "file not found"', async () => {
      writeTree(dir, { 'roots/keys/repo.asc': FIXTURE_KEY_ASC });
      const r = await manage(REPO, { key_url: 'salt://keys/repo.asc' });
      assert.equal(r.result, true);
      const key = path.join(paths.keyrings, 'repo.example-debian.asc');
      assert.equal(read(key), FIXTURE_KEY_ASC);
      assert.equal(read(paths.sourceList), `deb [signed-by=${key}] http://repo.example/debian bookworm main\n`);
      const missing = await manage(REPO, { key_url: 'salt://keys/none.asc' });
      assert.equal(missing.result, false);
      assert.match(missing.comment, /^Failed to configure repo 'deb http:\/\/repo\.example\/debian bookworm main': Error: file not found: salt:\/\/keys\/none\.asc \(/);
    });

    it('refuses key data that is not an OpenPGP public key', async () => {
      const r = await manage(REPO, { key_text: 'not a key' });
      assert.equal(r.result, false);
      assert.match(r.comment, /^Failed to configure repo '.*': Error: failed to add key: it is not an OpenPGP public key \(/);
      assert.equal(fs.existsSync(paths.sourceList), false);
    });

    it('keyid + keyserver: a key already in the signed-by file is in state without any network', async () => {
      const key = path.join(paths.keyrings, 'example.gpg');
      fs.mkdirSync(paths.keyrings, { recursive: true });
      fs.writeFileSync(key, dearmor(Buffer.from(FIXTURE_KEY_ASC)));
      writeTree(dir, { 'apt/sources.list.d/example.list': `deb [signed-by=${key}] http://repo.example/debian bookworm main\n` });
      const r = await manage(REPO, { file: list('example.list'), keyid: FIXTURE_KEYID, keyserver: 'hkp://127.0.0.1:1' });
      assert.equal(r.comment, `Package repo '${REPO}' already configured`);
    });

    it('keyid + keyserver: an unreachable keyserver fails at once, and nothing is written', async () => {
      const file = list('example.list');
      const test = await manage(REPO, { file, keyid: 'DEADBEEFDEADBEEF', keyserver: 'hkp://127.0.0.1:1' }, true);
      assert.deepEqual([test.result, test.changes], [null, { repo: REPO }]);
      const r = await manage(REPO, { file, keyid: 'DEADBEEFDEADBEEF', keyserver: 'hkp://127.0.0.1:1' });
      assert.deepEqual([r.result, r.changes], [false, {}]);
      assert.equal(
        r.comment,
        `Failed to configure repo '${REPO}': Error: Could not add key: DEADBEEFDEADBEEF: keyserver hkp://127.0.0.1:1 (127.0.0.1 port 1) cannot be reached: connect ECONNREFUSED 127.0.0.1:1`,
      );
      assert.equal(fs.existsSync(file), false);
      assert.equal(fs.existsSync(path.join(paths.keyrings, 'example.gpg')), false);
    });

    it('refuses Salt\'s argument conflicts', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ key_url: 'salt://k', keyid: 'A' }, 'You may not use both "keyid"/"keyserver" and "key_url" argument.'],
        [{ key_text: 'x', keyserver: 'k' }, 'You may not use both "keyid"/"keyserver" and "key_text" argument.'],
        [{ key_text: 'x', key_url: 'salt://k' }, 'You may not use both "key_url" and "key_text" argument.'],
        [{ repo: 'x' }, "'repo' is not a supported argument for this state. The 'name' argument is probably what was intended."],
        [{ enabled: true, disabled: false }, 'Only one of enabled/disabled is allowed'],
        [{ key_url: 'http://k.example/key.asc', allow_insecure_key: false }, "Cannot have 'key_url' using http with 'allow_insecure_key' set to True"],
        [{ keyid: 'DEADBEEF' }, `Failed to configure repo '${REPO}': both keyserver and keyid options required.`],
      ];
      for (const [args, comment] of cases) {
        const r = await manage(REPO, args);
        assert.deepEqual([r.result, r.comment], [false, comment], JSON.stringify(args));
      }
      const bad = await manage('deb http://repo.example/debian');
      assert.equal(bad.comment, "Failed to configure repo 'deb http://repo.example/debian': Name deb http://repo.example/debian is not valid. This must be the complete repo entry as seen in the sources file");
    });
  });

  describe('pkgrepo.absent', () => {
    it('is absent when not configured, or configured for other architectures', async () => {
      assert.deepEqual(await remove(REPO), { name: REPO, result: true, changes: {}, comment: `Package repo ${REPO} is absent` });
      writeTree(dir, { 'apt/sources.list.d/example.list': 'deb [arch=amd64] http://repo.example/debian bookworm main\n' });
      assert.equal((await remove(REPO)).comment, `Package repo ${REPO} is absent`);
    });

    it('test mode predicts, a run removes the entry and its emptied file', async () => {
      writeTree(dir, { 'apt/sources.list.d/example.list': 'deb http://repo.example/debian/ bookworm main\n' });
      const test = await remove(REPO, {}, true);
      assert.deepEqual(test, {
        name: REPO,
        result: null,
        changes: {},
        comment: `Package repo '${REPO}' will be removed. This may cause pkg states to behave differently than stated if this action is repeated without test=True, due to the differences in the configured repositories.`,
      });
      assert.equal(fs.existsSync(list('example.list')), true);
      assert.deepEqual(await remove(REPO), { name: REPO, result: true, changes: { repo: REPO }, comment: `Removed repo ${REPO}` });
      assert.equal(fs.existsSync(list('example.list')), false);
    });

    it('removes the key with keyid, or says it could not', async () => {
      const key = path.join(paths.keyrings, 'example.asc');
      writeTree(dir, { 'apt/keyrings/example.asc': FIXTURE_KEY_ASC, 'apt/sources.list.d/example.list': `deb [signed-by=${key}] http://repo.example/debian bookworm main\n` });
      const r = await remove(`deb [signed-by=${key}] http://repo.example/debian bookworm main`, { keyid: FIXTURE_KEYID });
      assert.deepEqual([r.result, r.changes.keyid, r.comment.endsWith(`, and keyid ${FIXTURE_KEYID}`)], [true, FIXTURE_KEYID, true]);
      assert.equal(fs.existsSync(key), false);
      writeTree(dir, { 'apt/sources.list': `${REPO}\n` });
      const none = await remove(REPO, { keyid: 'DEADBEEF' });
      assert.deepEqual([none.result, none.changes, none.comment], [false, { repo: REPO }, `Removed repo ${REPO}, but failed to remove key: Could not find the key file for keyid: DEADBEEF`]);
    });
  });
});
