/** cmd.run, cmd.script, cmd.wait and cmd's mod_watch with real processes. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cmdModule } from '../../minion/states/cmd';
import { run } from '../../minion/states/cmd/run';
import { script } from '../../minion/states/cmd/script';
import { wait } from '../../minion/states/cmd/wait';
import { makeStateContext, tempDir, writeTree } from './helpers/state-context';
import { runState } from './helpers/run-state';

describe('states: cmd', () => {
  let tmp: { dir: string; cleanup: () => void };
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());
  const ctx = (test = false) => makeStateContext({ test, roots: [path.join(tmp.dir, 'roots')] });

  describe('cmd.run', () => {
    it('runs a command and reports pid, retcode, stdout and stderr', async () => {
      const r = await runState(run, 'echo hi; echo err >&2', {}, ctx());
      assert.equal(r.result, true);
      assert.equal(r.comment, 'Command "echo hi; echo err >&2" run');
      assert.equal(typeof r.changes.pid, 'number');
      assert.deepEqual({ ...r.changes, pid: 0 }, { pid: 0, retcode: 0, stderr: 'err', stdout: 'hi' });
    });

    it('runs again on a second run (commands are not idempotent by themselves)', async () => {
      const marker = path.join(tmp.dir, 'count');
      const cmd = `echo x >> ${marker}`;
      await runState(run, cmd, {}, ctx());
      await runState(run, cmd, {}, ctx());
      assert.equal(fs.readFileSync(marker, 'utf8'), 'x\nx\n');
    });

    it('test mode only says what would run', async () => {
      const marker = path.join(tmp.dir, 'm');
      const cmd = `touch ${marker}`;
      assert.deepEqual(await runState(run, cmd, {}, ctx(true)), { name: cmd, result: null, changes: {}, comment: `Command "${cmd}" would have been executed` });
      assert.equal(fs.existsSync(marker), false);
    });

    it('fails on a non-zero exit unless the code is a success_retcode', async () => {
      const r = await runState(run, 'exit 3', {}, ctx());
      assert.equal(r.result, false);
      assert.equal(r.changes.retcode, 3);
      assert.equal(r.comment, 'Command "exit 3" run');
      const ok = await runState(run, 'exit 3', { success_retcodes: [2, 3] }, ctx());
      assert.equal(ok.result, true);
      assert.equal(ok.changes.retcode, 0);
    });

    it('strips trailing whitespace from output, keeps leading', async () => {
      const r = await runState(run, "printf '  a\\n\\n \\t\\n'", {}, ctx());
      assert.equal(r.changes.stdout, '  a');
    });

    it('passes env (mapping or list of mappings) and the C locale', async () => {
      const list = await runState(run, 'echo "$A $B $LC_MESSAGES"', { env: [{ A: 'one' }, { B: true }] }, ctx());
      assert.equal(list.changes.stdout, 'one True C');
      const map = await runState(run, 'echo "$A"', { env: { A: 2 } }, ctx());
      assert.equal(map.changes.stdout, '2');
      assert.deepEqual(await runState(run, 'true', { env: 'A=1' }, ctx()), {
        name: 'true',
        result: false,
        changes: {},
        comment: "Invalidly-formatted 'env' parameter. See documentation.",
      });
    });

    it('runs in cwd, or fails like Salt when it is missing', async () => {
      const r = await runState(run, 'pwd', { cwd: tmp.dir }, ctx());
      assert.equal(r.changes.stdout, fs.realpathSync(tmp.dir));
      const missing = path.join(tmp.dir, 'nope');
      assert.deepEqual(await runState(run, 'pwd', { cwd: missing }, ctx()), {
        name: 'pwd',
        result: false,
        changes: {},
        comment: `Desired working directory "${missing}" is not available`,
      });
    });

    it('runs as another user', async () => {
      const r = await runState(run, 'id -un; echo $HOME', { runas: 'nobody' }, ctx());
      assert.equal(r.result, true);
      assert.equal(r.changes.stdout, 'nobody\n/nonexistent');
      const bad = await runState(run, 'true', { runas: 'no-such-user-x' }, ctx());
      assert.deepEqual(bad, { name: 'true', result: false, changes: {}, comment: "User 'no-such-user-x' is not available" });
    });

    it('kills a command that exceeds its timeout', async () => {
      const r = await runState(run, 'sleep 30', { timeout: 0.3 }, ctx());
      assert.equal(r.result, false);
      assert.equal(r.comment, 'Command "sleep 30" run');
      assert.deepEqual({ ...r.changes, pid: 0 }, { pid: 0, retcode: 1, stderr: '', stdout: 'sleep 30 : Timed out after 0.3 seconds' });
      const ignored = await runState(run, 'sleep 30', { timeout: 0.3, ignore_timeout: true }, ctx());
      assert.equal(ignored.result, true);
    });

    it('feeds stdin, honours shell, hides output on request', async () => {
      assert.equal((await runState(run, 'cat', { stdin: 'one\\ntwo' }, ctx())).changes.stdout, 'one\ntwo');
      assert.equal((await runState(run, 'echo $0', { shell: '/bin/bash' }, ctx())).changes.stdout, '/bin/bash');
      assert.deepEqual(await runState(run, 'true', { shell: '/no/shell' }, ctx()), {
        name: 'true',
        result: false,
        changes: {},
        comment: 'The shell /no/shell is not available',
      });
      const hidden = await runState(run, 'echo secret', { hide_output: true }, ctx());
      assert.equal(hidden.changes.stdout, '');
    });

    it('applies umask and prepend_path, refuses a zero umask', async () => {
      assert.equal((await runState(run, 'umask', { umask: '077' }, ctx())).changes.stdout, '0077');
      assert.match(String((await runState(run, 'echo $PATH', { prepend_path: '/opt/x/bin' }, ctx())).changes.stdout), /^\/opt\/x\/bin:/);
      assert.deepEqual(await runState(run, 'true', { umask: '000' }, ctx()), { name: 'true', result: false, changes: {}, comment: 'Zero umask is not allowed.' });
    });
  });

  describe('cmd.script', () => {
    beforeEach(() => {
      writeTree(path.join(tmp.dir, 'roots'), {
        'scripts/setup.sh': '#!/bin/sh\necho "{{ pillar.who }} $1 $2"\n',
        'scripts/plain.sh': '#!/bin/sh\necho "$0" | grep -c "__salt.tmp.*\\.sh$"\nexit 4\n',
      });
    });

    it('renders, runs with args, and cleans up', async () => {
      const c = makeStateContext({ roots: [path.join(tmp.dir, 'roots')], pillar: { who: 'ops' } });
      const name = 'salt://scripts/setup.sh';
      const r = await runState(script, name, { template: 'jinja', args: 'a b', cwd: tmp.dir }, c);
      assert.equal(r.result, true);
      assert.equal(r.comment, `Command '${name}' run`);
      assert.deepEqual({ ...r.changes, pid: 0 }, { pid: 0, retcode: 0, stderr: '', stdout: 'ops a b' });
      assert.deepEqual(fs.readdirSync(tmp.dir).filter((f) => f.startsWith('__salt')), []);
    });

    it('takes arguments from the name, and reports the exit code', async () => {
      const r = await runState(script, 'salt://scripts/plain.sh x', {}, ctx());
      assert.equal(r.result, false);
      assert.equal(r.changes.retcode, 4);
      assert.equal(r.changes.stdout, '1');
    });

    it('test mode and missing scripts', async () => {
      assert.deepEqual(await runState(script, 'salt://scripts/plain.sh', {}, ctx(true)), {
        name: 'salt://scripts/plain.sh',
        result: null,
        changes: {},
        comment: "Command 'salt://scripts/plain.sh' would have been executed",
      });
      assert.deepEqual(await runState(script, 'salt://scripts/nope.sh', {}, ctx()), {
        name: 'salt://scripts/nope.sh',
        result: false,
        changes: { pid: 0, retcode: 1, stdout: '', stderr: '', cache_error: true },
        comment: "Unable to cache script salt://scripts/nope.sh from saltenv 'base'",
      });
    });

    it('runs as another user', async () => {
      writeTree(path.join(tmp.dir, 'roots'), { 'scripts/who.sh': '#!/bin/sh\nid -un\n' });
      const r = await runState(script, 'salt://scripts/who.sh', { runas: 'nobody' }, ctx());
      assert.equal(r.changes.stdout, 'nobody');
    });
  });

  describe('cmd.wait and mod_watch', () => {
    it('cmd.wait does nothing by itself', async () => {
      const marker = path.join(tmp.dir, 'm');
      for (const test of [false, true]) {
        assert.deepEqual(await runState(wait, `touch ${marker}`, {}, ctx(test)), { name: `touch ${marker}`, result: true, changes: {}, comment: '' });
      }
      assert.equal(fs.existsSync(marker), false);
    });

    it('mod_watch runs the command of cmd.wait and cmd.run', async () => {
      const marker = path.join(tmp.dir, 'm');
      const cmd = `touch ${marker} && echo done`;
      const predicted = await cmdModule.modWatch!(cmd, { sfun: 'wait' }, ctx(true));
      assert.deepEqual(predicted, { name: cmd, result: null, changes: {}, comment: `Command "${cmd}" would have been executed` });
      assert.equal(fs.existsSync(marker), false);
      const r = await cmdModule.modWatch!(cmd, { sfun: 'run' }, ctx());
      assert.equal(r.result, true);
      assert.equal(r.comment, `Command "${cmd}" run`);
      assert.equal(r.changes.stdout, 'done');
      assert.equal(fs.existsSync(marker), true);
    });

    it('mod_watch runs scripts of cmd.wait_script', async () => {
      writeTree(path.join(tmp.dir, 'roots'), { 's.sh': '#!/bin/sh\necho watched\n' });
      const r = await cmdModule.modWatch!('salt://s.sh', { sfun: 'wait_script' }, ctx());
      assert.equal(r.changes.stdout, 'watched');
    });

    it('mod_watch refuses other functions', async () => {
      assert.deepEqual(await cmdModule.modWatch!('x', { sfun: 'mod_run_check' }, ctx()), {
        name: 'x',
        changes: {},
        result: false,
        comment: 'cmd.mod_run_check does not work with the watch requisite, please use cmd.wait or cmd.wait_script',
      });
    });
  });
});
