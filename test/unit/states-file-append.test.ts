/** file.append against real files. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { append } from '../../minion/states/file/append';
import { makeStateContext, tempDir, writeTree } from './helpers/state-context';
import { runState } from './helpers/run-state';

describe('states: file.append', () => {
  let tmp: { dir: string; cleanup: () => void };
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());
  const ctx = (test = false) => makeStateContext({ test, roots: [path.join(tmp.dir, 'roots')] });

  it('appends missing lines with Salt\'s diff, then is in correct state', async () => {
    const name = path.join(tmp.dir, 'motd');
    fs.writeFileSync(name, 'a\nb\n');
    const args = { text: ['c', 'a', 'd'] };
    const diff = '--- \n\n+++ \n\n@@ -1,2 +1,4 @@\n\n a\n b\n+c\n+d';
    assert.deepEqual(await runState(append, name, args, ctx(true)), { name, result: null, changes: { diff }, comment: `File ${name} is set to be updated` });
    assert.equal(fs.readFileSync(name, 'utf8'), 'a\nb\n');
    assert.deepEqual(await runState(append, name, args, ctx()), { name, result: true, changes: { diff }, comment: 'Appended 2 lines' });
    assert.equal(fs.readFileSync(name, 'utf8'), 'a\nb\nc\nd\n');
    assert.deepEqual(await runState(append, name, args, ctx()), { name, result: true, changes: {}, comment: `File ${name} is in correct state` });
  });

  it('ignores whitespace differences by default', async () => {
    const name = path.join(tmp.dir, 'conf');
    fs.writeFileSync(name, 'key   =  value\n');
    assert.deepEqual((await runState(append, name, { text: 'key = value' }, ctx())).changes, {});
    const strict = await runState(append, name, { text: 'key = value', ignore_whitespace: false }, ctx());
    assert.equal(strict.comment, 'Appended 1 lines');
    assert.equal(fs.readFileSync(name, 'utf8'), 'key   =  value\nkey = value\n');
  });

  it('adds the missing final newline first', async () => {
    const name = path.join(tmp.dir, 'nonl');
    fs.writeFileSync(name, 'a');
    await runState(append, name, { text: 'b' }, ctx());
    assert.equal(fs.readFileSync(name, 'utf8'), 'a\nb\n');
  });

  it('creates a missing file (test mode predicts it)', async () => {
    const name = path.join(tmp.dir, 'new');
    assert.deepEqual(await runState(append, name, { text: 'x' }, ctx(true)), { name, result: null, changes: { new: name }, comment: `File ${name} is set to be created` });
    assert.equal(fs.existsSync(name), false);
    const r = await runState(append, name, { text: 'x' }, ctx());
    assert.deepEqual(r, { name, result: true, changes: { diff: '--- \n\n+++ \n\n@@ -0,0 +1 @@\n\n+x' }, comment: 'Appended 1 lines' });
    assert.equal(fs.readFileSync(name, 'utf8'), 'x\n');
  });

  it('appends a rendered source', async () => {
    writeTree(path.join(tmp.dir, 'roots'), { 'motd.tmpl': 'hello {{ who }}\n' });
    const name = path.join(tmp.dir, 'motd');
    fs.writeFileSync(name, '');
    const r = await runState(append, name, { source: 'salt://motd.tmpl', context: { who: 'ops' } }, ctx());
    assert.equal(r.comment, 'Appended 1 lines');
    assert.equal(fs.readFileSync(name, 'utf8'), 'hello ops\n');
  });

  it('refuses a missing parent without makedirs, creates it with makedirs', async () => {
    const name = path.join(tmp.dir, 'a', 'f');
    assert.deepEqual(await runState(append, name, { text: 'x' }, ctx()), { name, result: false, changes: {}, comment: `Directory not present to touch file ${name}` });
    assert.equal((await runState(append, name, { text: 'x', makedirs: true }, ctx())).result, true);
    assert.equal(fs.readFileSync(name, 'utf8'), 'x\n');
  });
});
