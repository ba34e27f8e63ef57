/** file.managed against real files in temp dirs: apply, second run, test mode. */
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { managed } from '../../minion/states/file/managed';
import { makeStateContext, tempDir, writeTree, type TestContextOptions } from './helpers/state-context';
import { runState } from './helpers/run-state';

const NOTE = '\nNote: No changes made, actual changes may\nbe different due to other states.';

describe('states: file.managed', () => {
  let tmp: { dir: string; cleanup: () => void };
  let roots: string;
  let out: string;
  const ctx = (o: TestContextOptions = {}) => makeStateContext({ roots: [roots], ...o });
  const mode = (p: string) => (fs.statSync(p).mode & 0o7777).toString(8).padStart(4, '0');

  beforeEach(() => {
    tmp = tempDir();
    roots = path.join(tmp.dir, 'roots');
    out = path.join(tmp.dir, 'out');
    fs.mkdirSync(out);
    writeTree(roots, {
      'app/app.conf': 'port = 80\nhost = a\n',
      'app/app.tmpl': 'port = {{ port }}\nname = {{ name }}\nwho = {{ pillar.who }}\n',
      'app/blob.bin': Buffer.from([0, 1, 2, 3, 4]),
    });
  });
  afterEach(() => tmp.cleanup());

  it('creates a file from salt://, then finds it in the correct state', async () => {
    const name = path.join(out, 'app.conf');
    const first = await runState(managed, name, { source: 'salt://app/app.conf' }, ctx());
    assert.deepEqual(first, { name, result: true, changes: { diff: 'New file', mode: '0644' }, comment: `File ${name} updated` });
    assert.equal(fs.readFileSync(name, 'utf8'), 'port = 80\nhost = a\n');
    assert.equal(mode(name), '0644');
    const second = await runState(managed, name, { source: 'salt://app/app.conf' }, ctx());
    assert.deepEqual(second, { name, result: true, changes: {}, comment: `File ${name} is in the correct state` });
  });

  it('test mode predicts a new file and writes nothing', async () => {
    const name = path.join(out, 'app.conf');
    const r = await runState(managed, name, { source: 'salt://app/app.conf' }, ctx({ test: true }));
    assert.deepEqual(r, { name, result: null, changes: { newfile: name }, comment: `The file ${name} is set to be changed${NOTE}` });
    assert.equal(fs.existsSync(name), false);
  });

  it('replaces changed content with a unified diff, atomically, keeping owner and mode', async () => {
    const name = path.join(out, 'app.conf');
    fs.writeFileSync(name, 'port = 80\nhost = b\n');
    fs.chmodSync(name, 0o640);
    fs.chownSync(name, 65534, 65534);
    const inode = fs.statSync(name).ino;
    const diff = '--- \n+++ \n@@ -1,2 +1,2 @@\n port = 80\n-host = b\n+host = a\n';

    const predicted = await runState(managed, name, { source: 'salt://app/app.conf' }, ctx({ test: true }));
    assert.deepEqual(predicted, { name, result: null, changes: { diff }, comment: `The file ${name} is set to be changed${NOTE}` });
    assert.equal(fs.readFileSync(name, 'utf8'), 'port = 80\nhost = b\n');

    const r = await runState(managed, name, { source: 'salt://app/app.conf' }, ctx());
    assert.deepEqual(r, { name, result: true, changes: { diff }, comment: `File ${name} updated` });
    const st = fs.statSync(name);
    assert.equal(fs.readFileSync(name, 'utf8'), 'port = 80\nhost = a\n');
    assert.equal(mode(name), '0640');
    assert.equal(st.uid, 65534);
    assert.notEqual(st.ino, inode, 'content is replaced by rename');
    assert.deepEqual(fs.readdirSync(out), ['app.conf'], 'no temp file left behind');
  });

  it('test mode in the correct state', async () => {
    const name = path.join(out, 'app.conf');
    fs.writeFileSync(name, 'port = 80\nhost = a\n');
    const r = await runState(managed, name, { source: 'salt://app/app.conf' }, ctx({ test: true }));
    assert.deepEqual(r, { name, result: true, changes: {}, comment: `The file ${name} is in the correct state` });
  });

  it('writes contents (list of lines) with a YAML int mode', async () => {
    const name = path.join(out, 'cookie');
    const args = { contents: ['a', 'b'], mode: 400 };
    const r = await runState(managed, name, args, ctx());
    assert.deepEqual(r, { name, result: true, changes: { diff: 'New file', mode: '0400' }, comment: `File ${name} updated` });
    assert.equal(fs.readFileSync(name, 'utf8'), 'a\nb\n');
    assert.equal(mode(name), '0400');
    assert.deepEqual(await runState(managed, name, args, ctx()), { name, result: true, changes: {}, comment: `File ${name} is in the correct state` });
  });

  it('contents without a mode keeps the umask mode and reports no mode change', async () => {
    const name = path.join(out, 'plain');
    const r = await runState(managed, name, { contents: 'x' }, ctx());
    assert.deepEqual(r.changes, { diff: 'New file' });
    assert.equal(mode(name), '0644');
  });

  it('contents_newline: False leaves the last line open', async () => {
    const name = path.join(out, 'open');
    await runState(managed, name, { contents: 'a\nb\n\n', contents_newline: false }, ctx());
    assert.equal(fs.readFileSync(name, 'utf8'), 'a\nb');
  });

  it('contents_pillar reads a colon path, and fails like Salt when it is missing', async () => {
    const name = path.join(out, '.erlang.cookie');
    const c = ctx({ pillar: { rabbitmq: { cookie: 'SECRET' } } });
    const r = await runState(managed, name, { contents_pillar: 'rabbitmq:cookie', mode: 400 }, c);
    assert.equal(r.result, true);
    assert.equal(fs.readFileSync(name, 'utf8'), 'SECRET\n');
    const missing = await runState(managed, name, { contents_pillar: 'rabbitmq:nope' }, c);
    assert.deepEqual(missing, { name, result: false, changes: {}, comment: 'Pillar rabbitmq:nope does not exist' });
  });

  it('contents_grains reads grains', async () => {
    const name = path.join(out, 'motd');
    await runState(managed, name, { contents_grains: 'motd' }, ctx({ grains: { motd: 'hello' } }));
    assert.equal(fs.readFileSync(name, 'utf8'), 'hello\n');
  });

  it('fails with Salt comments for missing sources', async () => {
    const name = path.join(out, 'x');
    for (const test of [false, true]) {
      const r = await runState(managed, name, { source: 'salt://nope.conf' }, ctx({ test }));
      assert.deepEqual(r, { name, result: false, changes: {}, comment: "Source file salt://nope.conf not found in saltenv 'base'" });
      const list = await runState(managed, name, { source: ['salt://a', 'salt://b'] }, ctx({ test }));
      assert.deepEqual(list, { name, result: false, changes: {}, comment: 'Unable to manage file: none of the specified sources were found' });
    }
    assert.equal(fs.existsSync(name), false);
  });

  it('takes the first source of a list that exists', async () => {
    const name = path.join(out, 'app.conf');
    const r = await runState(managed, name, { source: ['salt://app/app.conf.ctrl-1', 'salt://app/app.conf'] }, ctx());
    assert.equal(r.result, true);
    assert.equal(fs.readFileSync(name, 'utf8'), 'port = 80\nhost = a\n');
  });

  it('renders templates with defaults, context over defaults, the state name and pillar', async () => {
    const name = path.join(out, 'app.conf');
    const args = { source: 'salt://app/app.tmpl', template: 'jinja', defaults: { port: 80 }, context: { port: 8080 } };
    const r = await runState(managed, name, args, ctx({ pillar: { who: 'ops' } }));
    assert.equal(r.result, true);
    assert.equal(fs.readFileSync(name, 'utf8'), `port = 8080\nname = ${name}\nwho = ops\n`);
    const again = await runState(managed, name, args, ctx({ pillar: { who: 'ops' } }));
    assert.deepEqual(again.changes, {});
  });

  it('reports template errors as the comment', async () => {
    const name = path.join(out, 'app.conf');
    const r = await runState(managed, name, { source: 'salt://app/app.tmpl', template: 'jinja' }, ctx());
    assert.deepEqual(r, { name, result: false, changes: {}, comment: "Jinja variable 'port' is undefined" });
  });

  it('sets user and group on a new file', async () => {
    const name = path.join(out, 'owned');
    const r = await runState(managed, name, { contents: 'x', user: 'nobody', group: 'nogroup' }, ctx());
    assert.deepEqual(r.changes, { diff: 'New file', user: 'nobody', group: 'nogroup' });
    const st = fs.statSync(name);
    assert.equal(st.uid, 65534);
    assert.equal(st.gid, 65534);
  });

  it('fixes ownership and mode of an existing file without touching content', async () => {
    const name = path.join(out, 'app.conf');
    fs.writeFileSync(name, 'port = 80\nhost = a\n');
    fs.chmodSync(name, 0o644);
    const args = { source: 'salt://app/app.conf', mode: '0600', user: 'nobody' };
    const predicted = await runState(managed, name, args, ctx({ test: true }));
    assert.deepEqual(predicted.changes, { user: 'nobody', mode: '0600' });
    const r = await runState(managed, name, args, ctx());
    assert.deepEqual(r, { name, result: true, changes: { user: 'nobody', mode: '0600' }, comment: `File ${name} updated` });
    assert.equal(mode(name), '0600');
    assert.equal(fs.statSync(name).uid, 65534);
  });

  it('replace: False only enforces permissions', async () => {
    const name = path.join(out, 'keep');
    fs.writeFileSync(name, 'mine\n');
    fs.chmodSync(name, 0o644);
    const args = { contents: 'theirs', replace: false, mode: 600 };
    const predicted = await runState(managed, name, args, ctx({ test: true }));
    assert.deepEqual(predicted, {
      name,
      result: null,
      changes: { mode: '0600' },
      comment: `File ${name} will be updated with permissions 0600 from its current state of 0644`,
    });
    assert.deepEqual(await runState(managed, name, args, ctx()), { name, result: true, changes: { mode: '0600' }, comment: '' });
    assert.equal(fs.readFileSync(name, 'utf8'), 'mine\n');
    assert.deepEqual(await runState(managed, name, args, ctx()), {
      name,
      result: true,
      changes: {},
      comment: `File ${name} exists with proper permissions. No changes made.`,
    });
    assert.deepEqual(await runState(managed, name, args, ctx({ test: true })), { name, result: true, changes: {}, comment: `File ${name} not updated` });
  });

  it('needs makedirs for a missing parent, and derives the directory mode from the file mode', async () => {
    const name = path.join(out, 'a', 'b', 'f.conf');
    const r = await runState(managed, name, { contents: 'x', mode: 640 }, ctx());
    assert.deepEqual(r, { name, result: false, changes: {}, comment: 'Parent directory not present' });
    const made = await runState(managed, name, { contents: 'x', mode: 640, makedirs: true }, ctx());
    assert.equal(made.result, true);
    assert.equal(mode(path.join(out, 'a')), '0750');
    assert.equal(mode(path.join(out, 'a', 'b')), '0750');
    assert.equal(mode(name), '0640');
  });

  it('show_changes: False hides the diff', async () => {
    const name = path.join(out, 'app.conf');
    fs.writeFileSync(name, 'old\n');
    const r = await runState(managed, name, { source: 'salt://app/app.conf', show_changes: false }, ctx());
    assert.deepEqual(r.changes, { diff: '<show_changes=False>' });
  });

  it('binary content is reported, not diffed', async () => {
    const name = path.join(out, 'blob.bin');
    fs.writeFileSync(name, Buffer.from([0, 9, 9]));
    const r = await runState(managed, name, { source: 'salt://app/blob.bin' }, ctx());
    assert.deepEqual(r.changes, { diff: 'Replace binary file' });
    assert.deepEqual(fs.readFileSync(name), Buffer.from([0, 1, 2, 3, 4]));
  });

  it('verifies source_hash', async () => {
    const name = path.join(out, 'app.conf');
    const good = crypto.createHash('sha256').update('port = 80\nhost = a\n').digest('hex');
    assert.equal((await runState(managed, name, { source: 'salt://app/app.conf', source_hash: `sha256=${good}` }, ctx())).result, true);
    const bad = 'd41d8cd98f00b204e9800998ecf8427e';
    const r = await runState(managed, path.join(out, 'other'), { source: 'salt://app/app.conf', source_hash: bad }, ctx());
    const actual = crypto.createHash('md5').update('port = 80\nhost = a\n').digest('hex');
    assert.equal(r.result, false);
    assert.equal(
      r.comment,
      `Specified md5 checksum for salt://app/app.conf (${bad}) does not match actual checksum (${actual}). ` +
        "If the 'source_hash' value refers to a remote file with multiple possible matches, then it may be necessary to set 'source_hash_name'.",
    );
  });

  it('refuses directories, relative paths, unknown users and conflicting arguments', async () => {
    assert.deepEqual(await runState(managed, out, { contents: 'x' }, ctx()), {
      name: out,
      result: false,
      changes: {},
      comment: `Specified target ${out} is a directory`,
    });
    assert.equal((await runState(managed, 'rel/path', { contents: 'x' }, ctx())).comment, 'Specified file rel/path is not an absolute path');
    const name = path.join(out, 'u');
    assert.equal((await runState(managed, name, { contents: 'x', user: 'no-such-user-x' }, ctx())).comment, 'User no-such-user-x is not available ');
    assert.equal(
      (await runState(managed, name, { contents: 'x', source: 'salt://app/app.conf' }, ctx())).comment,
      "'source' cannot be used in combination with 'contents', 'contents_pillar', or 'contents_grains'",
    );
  });

  it('without source or contents creates an empty file', async () => {
    const name = path.join(out, 'empty');
    assert.deepEqual(await runState(managed, name, {}, ctx()), { name, result: true, changes: { new: `file ${name} created` }, comment: 'Empty file' });
    assert.equal(fs.readFileSync(name, 'utf8'), '');
    assert.deepEqual(await runState(managed, name, {}, ctx()), {
      name,
      result: true,
      changes: {},
      comment: `File ${name} exists with proper permissions. No changes made.`,
    });
  });

  it('create: False leaves a missing file alone', async () => {
    const name = path.join(out, 'absent');
    assert.deepEqual(await runState(managed, name, { contents: 'x', create: false }, ctx()), {
      name,
      result: true,
      changes: {},
      comment: `File ${name} is not present and is not set for creation`,
    });
    assert.equal(fs.existsSync(name), false);
  });
});
