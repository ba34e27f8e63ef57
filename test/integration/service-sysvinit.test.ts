/**
 * The service states, mod_watch and execution functions on this host's System-V init, with a
 * real daemon under a real LSB init script in /etc/init.d, rc links made by update-rc.d, and
 * SLS run through the real state engine (file.managed watched by service.running).
 * Needs root and a host where systemd is not PID 1.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Dict, StateResult } from '../../common/types';
import { chooseServiceBackend, systemdBooted } from '../../minion/backends/init-system';
import { SysvinitBackend } from '../../minion/backends/sysvinit';
import { serviceFunctions } from '../../minion/exec/service';
import type { MinionRuntime } from '../../minion/runtime';
import type { StateFunction, StateModule } from '../../minion/states/contract';
import { makeServiceModule, serviceModule } from '../../minion/states/service';
import { TempTree } from '../helpers/tree';
import { runState } from '../unit/helpers/run-state';
import { makeStateContext } from '../unit/helpers/state-context';
import { processesMentioning, TestDaemon } from './service-fixture';

const NAME = `brine-test-svc-${process.pid}`;
const ENABLED = ['rc0.d/K01', 'rc1.d/K01', 'rc2.d/S01', 'rc3.d/S01', 'rc4.d/S01', 'rc5.d/S01', 'rc6.d/K01'].map((l) => `${l}${NAME}`);
const DISABLED = ['0', '1', '2', '3', '4', '5', '6'].map((l) => `rc${l}.d/K01${NAME}`);

const unsupported = process.getuid?.() !== 0 ? 'needs root' : systemdBooted() ? 'systemd is PID 1 here: the sysvinit backend is not used' : '';

function call(fun: string, name: string, args: Dict = {}, test = false) {
  return runState(serviceModule.functions[fun] as StateFunction<unknown>, name, args, makeStateContext({ test }));
}

describe('service on System-V init (real daemon)', function () {
  this.timeout(60000);
  let daemon: TestDaemon;

  before(function () {
    if (unsupported) {
      console.log(`    skipped: ${unsupported}`);
      this.skip();
    }
    daemon = new TestDaemon(NAME).install();
  });

  after(() => daemon?.cleanup());

  it('is the backend chosen here', () => {
    assert.equal(chooseServiceBackend({}).name, 'sysvinit');
  });

  it('service.running starts the daemon; a second run changes nothing', async () => {
    assert.equal(daemon.pid(), undefined);
    assert.deepEqual(await call('running', NAME), { name: NAME, result: true, changes: { [NAME]: true }, comment: `Started service ${NAME}` });
    const pid = daemon.pid();
    assert.ok(pid, 'the daemon runs');
    assert.deepEqual(daemon.seen(), { config: 'version 1\n', loads: [`loaded ${pid}`] });
    assert.deepEqual(await call('running', NAME), { name: NAME, result: true, changes: {}, comment: `The service ${NAME} is already running` });
    assert.equal(daemon.pid(), pid);
  });

  it('test mode predicts without touching the daemon', async () => {
    const pid = daemon.pid();
    assert.deepEqual(await call('dead', NAME, {}, true), { name: NAME, result: null, changes: {}, comment: `Service ${NAME} is set to be killed` });
    assert.equal(daemon.pid(), pid);
  });

  it('service.dead stops it ({name: False}); then it is already dead', async () => {
    const pid = daemon.pid()!;
    assert.deepEqual(await call('dead', NAME), { name: NAME, result: true, changes: { [NAME]: false }, comment: `Service ${NAME} was killed` });
    assert.equal(daemon.pid(), undefined);
    assert.deepEqual(processesMentioning(daemon.dir), []);
    assert.equal(fs.existsSync(`/proc/${pid}`), false);
    assert.deepEqual(await call('dead', NAME), { name: NAME, result: true, changes: {}, comment: `The service ${NAME} is already dead` });
    assert.deepEqual(await call('running', NAME, {}, true), { name: NAME, result: null, changes: {}, comment: `Service ${NAME} is set to start` });
    assert.equal(daemon.pid(), undefined);
  });

  it('service.enabled creates the rc links; service.disabled turns them into K links', async () => {
    assert.deepEqual(daemon.rcLinks(), []);
    assert.deepEqual(await call('enabled', NAME, {}, true), { name: NAME, result: null, changes: {}, comment: `Service ${NAME} set to be enabled` });
    assert.deepEqual(daemon.rcLinks(), []);
    assert.deepEqual(await call('enabled', NAME), { name: NAME, result: true, changes: { [NAME]: true }, comment: `Service ${NAME} has been enabled, and is in the desired state` });
    assert.deepEqual(daemon.rcLinks(), ENABLED);
    assert.equal(fs.readlinkSync(`/etc/rc2.d/S01${NAME}`), `../init.d/${NAME}`);
    assert.deepEqual(await call('enabled', NAME), { name: NAME, result: true, changes: {}, comment: `Service ${NAME} is already enabled, and is in the desired state` });
    assert.deepEqual(await call('disabled', NAME), { name: NAME, result: true, changes: { [NAME]: true }, comment: `Service ${NAME} has been disabled, and is in the desired state` });
    assert.deepEqual(daemon.rcLinks(), DISABLED);
    assert.deepEqual(await call('disabled', NAME), { name: NAME, result: true, changes: {}, comment: `Service ${NAME} is already disabled, and is in the desired state` });
  });

  it('service.running with enable: True starts and enables', async () => {
    assert.deepEqual(await call('running', NAME, { enable: true }), {
      name: NAME,
      result: true,
      changes: { [NAME]: true },
      comment: `Service ${NAME} has been enabled, and is running`,
    });
    assert.ok(daemon.pid());
    assert.deepEqual(daemon.rcLinks(), ENABLED);
    assert.deepEqual(await call('dead', NAME, { enable: false }), {
      name: NAME,
      result: true,
      changes: { [NAME]: true },
      comment: `Service ${NAME} has been disabled, and is dead`,
    });
    assert.equal(daemon.pid(), undefined);
    assert.deepEqual(daemon.rcLinks(), DISABLED);
  });

  it("a missing service gets Salt's comment", async () => {
    const missing = `${NAME}-missing`;
    assert.deepEqual(await call('running', missing), { name: missing, result: false, changes: {}, comment: `The named service ${missing} is not available` });
    assert.deepEqual(await call('dead', missing), { name: missing, result: true, changes: {}, comment: `The named service ${missing} is not available` });
  });

  it('execution functions: status, start, restart, reload, stop, enabled, available, get_all', async () => {
    const minion = { opts: {} } as unknown as MinionRuntime;
    const run = async (fun: string, ...args: unknown[]) => (await serviceFunctions[fun](args, {}, minion)).data;
    const loads = () => daemon.seen().loads.length;
    assert.equal(await run('service.available', NAME), true);
    assert.equal(await run('service.available', `${NAME}-missing`), false);
    assert.equal(await run('service.missing', `${NAME}-missing`), true);
    assert.ok(((await run('service.get_all')) as string[]).includes(NAME));
    assert.equal(await run('service.status', NAME), false);
    const before = loads();
    assert.equal(await run('service.start', NAME), true);
    assert.equal(await run('service.status', NAME), true);
    assert.deepEqual(await run('service.status', `${NAME.slice(0, -2)}*`), { [NAME]: true });
    const pid = daemon.pid()!;
    assert.equal(loads(), before + 1);
    assert.equal(await run('service.reload', NAME), true);
    assert.equal(daemon.pid(), pid);
    assert.deepEqual(daemon.seen().loads.slice(before), [`loaded ${pid}`, `loaded ${pid}`]);
    assert.equal(await run('service.restart', NAME), true);
    const pid2 = daemon.pid()!;
    assert.notEqual(pid2, pid);
    assert.deepEqual(daemon.seen().loads.slice(before), [`loaded ${pid}`, `loaded ${pid}`, `loaded ${pid2}`]);
    assert.equal(await run('service.enabled', NAME), false);
    assert.equal(await run('service.enable', NAME), true);
    assert.equal(await run('service.enabled', NAME), true);
    assert.equal(await run('service.disable', NAME), true);
    assert.equal(await run('service.disabled', NAME), true);
    assert.equal(await run('service.status', 'no-such-script', `${daemon.dir}/daemon\\.sh`), true);
    assert.equal(await run('service.stop', NAME), true);
    assert.equal(await run('service.status', NAME), false);
    assert.equal(await run('service.status', 'no-such-script', `${daemon.dir}/daemon\\.sh`), false);
    assert.equal(daemon.pid(), undefined);
  });

  it('execution functions explain a missing name', async () => {
    const minion = { opts: {} } as unknown as MinionRuntime;
    await assert.rejects(
      async () => serviceFunctions['service.start']([], {}, minion),
      /Passed invalid arguments to service.start: start\(\) missing 1 required positional argument: 'name'/,
    );
  });
});

describe('service watch -> mod_watch through the state engine (real daemon)', function () {
  this.timeout(60000);
  let daemon: TestDaemon;
  let tree: TempTree;
  let rt: MinionRuntime;

  const sls = (contents: string, extra = '') => `config:
  file.managed:
    - name: ${daemon.conf}
    - contents: ${JSON.stringify(contents)}

daemon:
  service.running:
    - name: ${NAME}
    - watch:
      - file: config
${extra}`;

  async function apply(text: string, test = false): Promise<{ file: StateResult; service: StateResult }> {
    tree.state('svc.sls', text);
    const out = await rt.apply(['svc'], { test });
    assert.ok(out.ok, JSON.stringify(out));
    const results = (out as { results: Record<string, StateResult> }).results;
    return { file: results[`file_|-config_|-${daemon.conf}_|-managed`], service: results[`service_|-daemon_|-${NAME}_|-running`] };
  }

  before(function () {
    if (unsupported) {
      console.log(`    skipped: ${unsupported}`);
      this.skip();
    }
    daemon = new TestDaemon(NAME).install('version 1\n');
    tree = new TempTree('brine-svc-tree-');
    rt = tree.runtime();
    (rt.modules as Map<string, StateModule>).set('service', makeServiceModule());
  });

  after(() => {
    daemon?.cleanup();
    tree?.cleanup();
  });

  it('a config change and a start in one run: started, mod_watch not run', async () => {
    const r = await apply(sls('version 2'));
    assert.deepEqual(Object.keys(r.file.changes), ['diff']);
    assert.equal(r.service.comment, `Started service ${NAME}`);
    assert.deepEqual(r.service.changes, { [NAME]: true });
    assert.equal(daemon.seen().config, 'version 2\n');
    assert.equal(daemon.seen().loads.length, 1);
  });

  it('no config change: same pid, already running', async () => {
    const pid = daemon.pid();
    const r = await apply(sls('version 2'));
    assert.deepEqual(r.file.changes, {});
    assert.equal(r.service.result, true);
    assert.equal(r.service.comment, `The service ${NAME} is already running`);
    assert.deepEqual(r.service.changes, {});
    assert.equal(daemon.pid(), pid);
  });

  it('test mode with a config change: "Service is set to be restarted", nothing touched', async () => {
    const pid = daemon.pid();
    const r = await apply(sls('version 3'), true);
    assert.equal(r.service.result, null);
    assert.equal(r.service.comment, 'Service is set to be restarted');
    assert.equal(daemon.pid(), pid);
    assert.equal(fs.readFileSync(daemon.conf, 'utf8'), 'version 2\n');
  });

  it('a config change restarts the daemon: new pid, new config read', async () => {
    const pid = daemon.pid();
    const r = await apply(sls('version 3'));
    assert.equal(r.service.result, true);
    assert.equal(r.service.comment, 'Service restarted');
    assert.deepEqual(r.service.changes, { [NAME]: true });
    const pid2 = daemon.pid();
    assert.ok(pid2);
    assert.notEqual(pid2, pid);
    assert.equal(daemon.seen().config, 'version 3\n');
  });

  it('with reload: True a config change reloads: same pid, config read again', async () => {
    const pid = daemon.pid();
    const loads = daemon.seen().loads.length;
    const r = await apply(sls('version 4', '    - reload: True\n'));
    assert.equal(r.service.comment, 'Service reloaded');
    assert.deepEqual(r.service.changes, { [NAME]: true });
    assert.equal(daemon.pid(), pid);
    const seen = daemon.seen();
    assert.equal(seen.loads.length, loads + 1);
    assert.equal(seen.loads[seen.loads.length - 1], `loaded ${pid}`);
    assert.equal(seen.config, 'version 4\n');
  });
});

describe('sysvinit actions do not wait for daemons that keep stdout open', function () {
  this.timeout(30000);
  const leaky = `brine-test-leaky-${process.pid}`;
  const script = `/etc/init.d/${leaky}`;
  let childPidFile: string;

  before(function () {
    if (unsupported) {
      console.log(`    skipped: ${unsupported}`);
      this.skip();
    }
    childPidFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'brine-leaky-')), 'child.pid');
    // The background child inherits the script's stdout and stderr and keeps them open.
    fs.writeFileSync(script, `#!/bin/sh\ncase "$1" in\n  start) sleep 300 & echo $! > ${childPidFile}; echo started ;;\n  *) exit 3 ;;\nesac\n`, { mode: 0o755 });
  });

  after(() => {
    if (!childPidFile) return;
    try {
      process.kill(Number(fs.readFileSync(childPidFile, 'utf8')), 'SIGKILL');
    } catch {
      // never started, or gone
    }
    fs.rmSync(path.dirname(childPidFile), { recursive: true, force: true });
    fs.rmSync(script, { force: true });
  });

  it('start returns when the init script exits, with the background child still running', async () => {
    assert.equal(await new SysvinitBackend().start(leaky), true);
    const child = Number(fs.readFileSync(childPidFile, 'utf8'));
    assert.ok(child > 0);
    assert.equal(fs.existsSync(`/proc/${child}`), true);
  });
});
