/** file.directory against real directories: create, modes, recurse, clean, test mode. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { directory } from '../../minion/states/file/directory';
import { makeStateContext, tempDir, writeTree } from './helpers/state-context';
import { runState } from './helpers/run-state';

describe('states: file.directory', () => {
  let tmp: { dir: string; cleanup: () => void };
  const mode = (p: string) => (fs.statSync(p).mode & 0o7777).toString(8).padStart(4, '0');
  const ctx = (test = false) => makeStateContext({ test });

  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('creates a directory with its mode, then finds it in the correct state', async () => {
    const name = path.join(tmp.dir, 'd');
    const predicted = await runState(directory, name, { dir_mode: 750 }, ctx(true));
    assert.deepEqual(predicted, {
      name,
      result: null,
      changes: { [name]: { directory: 'new' } },
      comment: `The following files will be changed:\n${name}: directory - new\n`,
    });
    assert.equal(fs.existsSync(name), false);

    const r = await runState(directory, name, { dir_mode: 750 }, ctx());
    assert.deepEqual(r, { name, result: true, changes: { [name]: { directory: 'new' } }, comment: '' });
    assert.equal(mode(name), '0750');

    assert.deepEqual(await runState(directory, name, { dir_mode: 750 }, ctx()), {
      name,
      result: true,
      changes: {},
      comment: `The directory ${name} is in the correct state`,
    });
  });

  it('fixes the mode and owner of an existing directory, reporting them as Salt does', async () => {
    const name = path.join(tmp.dir, 'd');
    fs.mkdirSync(name, { mode: 0o755 });
    fs.chmodSync(name, 0o755);
    const args = { mode: '0700', user: 'nobody' };
    const predicted = await runState(directory, name, args, ctx(true));
    assert.deepEqual(predicted, {
      name,
      result: null,
      changes: { [name]: { user: 'nobody', mode: '0700' } },
      comment: `The following files will be changed:\n${name}: user - nobody\n${name}: mode - 0700\n`,
    });
    const r = await runState(directory, name, args, ctx());
    assert.deepEqual(r, {
      name,
      result: true,
      changes: { [name]: { user: 'nobody', mode: '0700' }, user: 'nobody', mode: '0700' },
      comment: `Directory ${name} updated`,
    });
    assert.equal(mode(name), '0700');
    assert.equal(fs.statSync(name).uid, 65534);
  });

  it('needs makedirs for missing parents', async () => {
    const name = path.join(tmp.dir, 'a', 'b');
    assert.deepEqual(await runState(directory, name, {}, ctx()), {
      name,
      result: false,
      changes: { [name]: { directory: 'new' } },
      comment: `No directory to create ${name} in`,
    });
    const r = await runState(directory, name, { makedirs: true, user: 'nobody', group: 'nogroup', dir_mode: 700 }, ctx());
    assert.equal(r.result, true);
    assert.equal(fs.statSync(path.join(tmp.dir, 'a')).uid, 65534);
    assert.equal(mode(path.join(tmp.dir, 'a')), '0700');
    assert.equal(mode(name), '0700');
  });

  it('recurses user, group and mode over files and directories', async () => {
    const name = path.join(tmp.dir, 'tree');
    writeTree(name, { 'f1': 'x', 'sub/f2': 'y' });
    fs.chmodSync(path.join(name, 'f1'), 0o644);
    fs.chmodSync(path.join(name, 'sub', 'f2'), 0o644);
    fs.chmodSync(path.join(name, 'sub'), 0o755);
    fs.chmodSync(name, 0o755);
    const args = { user: 'nobody', group: 'nogroup', dir_mode: 750, file_mode: 640, recurse: ['user', 'group', 'mode'] };
    const predicted = await runState(directory, name, args, ctx(true));
    const f1 = path.join(name, 'f1');
    const sub = path.join(name, 'sub');
    const f2 = path.join(sub, 'f2');
    const want = { user: 'nobody', group: 'nogroup' };
    assert.deepEqual(predicted.changes, {
      [f1]: { ...want, mode: '0640' },
      [sub]: { ...want, mode: '0750' },
      [f2]: { ...want, mode: '0640' },
      [name]: { ...want, mode: '0750' },
    });
    assert.equal(fs.statSync(f1).uid, 0, 'test mode changes nothing');

    const r = await runState(directory, name, args, ctx());
    assert.equal(r.result, true);
    assert.equal(r.comment, `Directory ${name} updated`);
    assert.deepEqual(r.changes, { ...predicted.changes, user: 'nobody', group: 'nogroup', mode: '0640' });
    for (const [p, m] of [[f1, '0640'], [f2, '0640'], [sub, '0750'], [name, '0750']]) {
      assert.equal(mode(p), m, p);
      assert.equal(fs.statSync(p).uid, 65534, p);
    }
    assert.deepEqual((await runState(directory, name, args, ctx())).changes, {});
  });

  it('rejects unknown recurse options', async () => {
    const name = path.join(tmp.dir, 'd');
    fs.mkdirSync(name);
    const r = await runState(directory, name, { recurse: ['owner'] }, ctx());
    assert.deepEqual(r, {
      name,
      result: false,
      changes: {},
      comment: 'Types for "recurse" limited to "user", "group", "mode", "ignore_files", "ignore_dirs", "silent".',
    });
  });

  it('cleans entries nobody keeps, except excluded ones', async () => {
    const name = path.join(tmp.dir, 'c');
    writeTree(name, { 'junk': 'x', 'keep.me': 'y', 'old/inner': 'z' });
    const args = { clean: true, exclude_pat: '*.me' };
    const predicted = await runState(directory, name, args, ctx(true));
    assert.deepEqual(predicted.changes, {
      [path.join(name, 'junk')]: { removed: 'Removed due to clean' },
      [path.join(name, 'old')]: { removed: 'Removed due to clean' },
      [path.join(name, 'old', 'inner')]: { removed: 'Removed due to clean' },
    });
    assert.equal(fs.existsSync(path.join(name, 'junk')), true);
    const r = await runState(directory, name, args, ctx());
    assert.equal(r.result, true);
    assert.equal(r.comment, `Files cleaned from directory ${name}`);
    assert.deepEqual(r.changes.removed, [path.join(name, 'junk'), path.join(name, 'old')]);
    assert.deepEqual(fs.readdirSync(name), ['keep.me']);
  });

  it('refuses a file in the way unless forced', async () => {
    const name = path.join(tmp.dir, 'f');
    fs.writeFileSync(name, 'x');
    assert.deepEqual(await runState(directory, name, {}, ctx()), {
      name,
      result: false,
      changes: {},
      comment: `Specified location ${name} exists and is a file`,
    });
    const predicted = await runState(directory, name, { force: true }, ctx(true));
    assert.deepEqual(predicted.changes, { forced: 'File would be forcibly replaced', [name]: { directory: 'new' } });
    const r = await runState(directory, name, { force: true }, ctx());
    assert.deepEqual(r, { name, result: true, changes: { forced: 'File was forcibly replaced', [name]: { directory: 'new' } }, comment: '' });
    assert.equal(fs.statSync(name).isDirectory(), true);
  });

  it('refuses relative paths and unknown users', async () => {
    assert.equal((await runState(directory, 'rel', {}, ctx())).comment, 'Specified file rel is not an absolute path');
    const name = path.join(tmp.dir, 'u');
    assert.equal((await runState(directory, name, { user: 'no-such-user-x' }, ctx())).comment, 'User no-such-user-x is not available ');
  });
});
