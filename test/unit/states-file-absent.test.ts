/** file.absent against real files and directories. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { absent } from '../../minion/states/file/absent';
import { makeStateContext, tempDir, writeTree } from './helpers/state-context';
import { runState } from './helpers/run-state';

describe('states: file.absent', () => {
  let tmp: { dir: string; cleanup: () => void };
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());
  const ctx = (test = false) => makeStateContext({ test });

  it('removes a file, then reports it not present', async () => {
    const name = path.join(tmp.dir, 'f');
    fs.writeFileSync(name, 'x');
    assert.deepEqual(await runState(absent, name, {}, ctx(true)), { name, result: null, changes: { removed: name }, comment: `File ${name} is set for removal` });
    assert.equal(fs.existsSync(name), true);
    assert.deepEqual(await runState(absent, name, {}, ctx()), { name, result: true, changes: { removed: name }, comment: `Removed file ${name}` });
    assert.equal(fs.existsSync(name), false);
    assert.deepEqual(await runState(absent, name, {}, ctx()), { name, result: true, changes: {}, comment: `File ${name} is not present` });
  });

  it('removes a directory tree', async () => {
    const name = path.join(tmp.dir, 'd');
    writeTree(name, { 'a/b': 'x' });
    assert.deepEqual(await runState(absent, name, {}, ctx(true)), { name, result: null, changes: { removed: name }, comment: `Directory ${name} is set for removal` });
    assert.deepEqual(await runState(absent, name, {}, ctx()), { name, result: true, changes: { removed: name }, comment: `Removed directory ${name}` });
    assert.equal(fs.existsSync(name), false);
  });

  it('removes a dangling symlink itself', async () => {
    const name = path.join(tmp.dir, 'l');
    fs.symlinkSync(path.join(tmp.dir, 'nowhere'), name);
    assert.deepEqual(await runState(absent, name, {}, ctx()), { name, result: true, changes: { removed: name }, comment: `Removed file ${name}` });
    assert.equal(fs.existsSync(name) || fs.lstatSync(name, { throwIfNoEntry: false }) !== undefined, false);
  });

  it('refuses / and relative paths', async () => {
    assert.deepEqual(await runState(absent, '/', {}, ctx()), { name: '/', result: false, changes: {}, comment: 'Refusing to make "/" absent' });
    assert.equal((await runState(absent, 'rel', {}, ctx())).comment, 'Specified file rel is not an absolute path');
  });
});
