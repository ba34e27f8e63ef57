/** file.symlink against real links. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { symlink } from '../../minion/states/file/symlink';
import { makeStateContext, tempDir } from './helpers/state-context';
import { runState } from './helpers/run-state';

describe('states: file.symlink', () => {
  let tmp: { dir: string; cleanup: () => void };
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());
  const ctx = (test = false) => makeStateContext({ test });

  it('creates a link, then finds it present', async () => {
    const name = path.join(tmp.dir, 'grub.conf');
    const target = '/boot/grub/grub.conf';
    assert.deepEqual(await runState(symlink, name, { target }, ctx(true)), {
      name,
      result: null,
      changes: { new: name },
      comment: `Symlink ${name} to ${target} is set for creation`,
    });
    assert.equal(fs.lstatSync(name, { throwIfNoEntry: false }), undefined);
    assert.deepEqual(await runState(symlink, name, { target }, ctx()), { name, result: true, changes: { new: name }, comment: `Created new symlink ${name} -> ${target}` });
    assert.equal(fs.readlinkSync(name), target);
    assert.deepEqual(await runState(symlink, name, { target }, ctx()), {
      name,
      result: true,
      changes: {},
      comment: `Symlink ${name} is present and owned by root:root`,
    });
    assert.deepEqual(await runState(symlink, name, { target }, ctx(true)), { name, result: true, changes: {}, comment: `The symlink ${name} is present` });
  });

  it('retargets a link', async () => {
    const name = path.join(tmp.dir, 'l');
    fs.symlinkSync('/old', name);
    assert.deepEqual(await runState(symlink, name, { target: '/new' }, ctx(true)), {
      name,
      result: null,
      changes: { change: name },
      comment: `Link ${name} target is set to be changed to /new`,
    });
    assert.deepEqual(await runState(symlink, name, { target: '/new' }, ctx()), { name, result: true, changes: { new: name }, comment: `Created new symlink ${name} -> /new` });
    assert.equal(fs.readlinkSync(name), '/new');
  });

  it('changes the ownership of a link', async () => {
    const name = path.join(tmp.dir, 'l');
    fs.symlinkSync('/t', name);
    const args = { target: '/t', user: 'nobody', group: 'nogroup' };
    assert.deepEqual(await runState(symlink, name, args, ctx(true)), {
      name,
      result: null,
      changes: { ownership: 'root:root' },
      comment: `The symlink ${name} is present, but the ownership of the symlink would be changed from root:root to nobody:nogroup`,
    });
    assert.deepEqual(await runState(symlink, name, args, ctx()), {
      name,
      result: true,
      changes: { ownership: 'nobody:nogroup' },
      comment: `Set ownership of symlink ${name} to nobody:nogroup`,
    });
    assert.equal(fs.lstatSync(name).uid, 65534);
  });

  it('needs force to replace a file', async () => {
    const name = path.join(tmp.dir, 'f');
    fs.writeFileSync(name, 'x');
    assert.deepEqual(await runState(symlink, name, { target: '/t' }, ctx(true)), {
      name,
      result: false,
      changes: {},
      comment: `File or directory exists where the symlink ${name} should be. Did you mean to use force?`,
    });
    assert.deepEqual(await runState(symlink, name, { target: '/t' }, ctx()), { name, result: false, changes: {}, comment: `File exists where the symlink ${name} should be` });
    assert.deepEqual(await runState(symlink, name, { target: '/t', force: true }, ctx(true)), {
      name,
      result: null,
      changes: {},
      comment: `The file or directory ${name} is set for removal to make way for a new symlink targeting /t`,
    });
    assert.deepEqual(await runState(symlink, name, { target: '/t', force: true }, ctx()), { name, result: true, changes: { new: name }, comment: `Created new symlink ${name} -> /t` });
  });

  it('moves a file aside with backupname', async () => {
    const name = path.join(tmp.dir, 'f');
    fs.writeFileSync(name, 'x');
    const r = await runState(symlink, name, { target: '/t', backupname: 'f.bak' }, ctx());
    assert.equal(r.result, true);
    assert.equal(fs.readFileSync(path.join(tmp.dir, 'f.bak'), 'utf8'), 'x');
    assert.equal(fs.readlinkSync(name), '/t');
  });

  it('needs makedirs for a missing parent', async () => {
    const name = path.join(tmp.dir, 'a', 'l');
    const parent = path.join(tmp.dir, 'a');
    assert.deepEqual(await runState(symlink, name, { target: '/t' }, ctx()), {
      name,
      result: false,
      changes: {},
      comment: `Directory ${parent} for symlink is not present`,
    });
    assert.equal((await runState(symlink, name, { target: '/t' }, ctx(true))).comment, `Symlink ${name} to /t is set for creation\nDirectory ${parent} for symlink is not present`);
    assert.equal((await runState(symlink, name, { target: '/t', makedirs: true }, ctx(true))).comment, `Symlink ${name} to /t is set for creation\n${parent} will be created`);
    assert.equal((await runState(symlink, name, { target: '/t', makedirs: true }, ctx())).result, true);
    assert.equal(fs.readlinkSync(name), '/t');
  });

  it('refuses unknown owners and relative paths', async () => {
    assert.deepEqual(await runState(symlink, 'rel', { target: '/t', user: 'no-such-user-x', group: 'no-such-group-x' }, ctx()), {
      name: 'rel',
      result: false,
      changes: {},
      comment: 'User no-such-user-x does not exist. Group no-such-group-x does not exist. Specified file rel is not an absolute path.',
    });
  });
});
