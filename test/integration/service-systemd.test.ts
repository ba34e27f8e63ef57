/**
 * The service states on a real systemd (PID 1): a throw-away unit in /etc/systemd/system,
 * started, restarted on watch, enabled, disabled, stopped. Skipped, with the reason printed,
 * where systemd is not PID 1 (containers, CI) or without root.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import type { Dict } from '../../common/types';
import { chooseServiceBackend, systemdBooted } from '../../minion/backends/init-system';
import type { StateFunction } from '../../minion/states/contract';
import { serviceModule } from '../../minion/states/service';
import { runState } from '../unit/helpers/run-state';
import { makeStateContext } from '../unit/helpers/state-context';

const NAME = `brine-test-unit-${process.pid}`;
const UNIT = `/etc/systemd/system/${NAME}.service`;
const why = process.getuid?.() !== 0 ? 'needs root' : !systemdBooted() ? 'systemd is not PID 1 on this host (no /run/systemd/system)' : '';

function call(fun: string, args: Dict = {}, test = false) {
  return runState(serviceModule.functions[fun] as StateFunction<unknown>, NAME, args, makeStateContext({ test }));
}

function mainPid(): number {
  const r = spawnSync('systemctl', ['show', '-p', 'MainPID', '--value', `${NAME}.service`], { encoding: 'utf8' });
  return Number(r.stdout.trim());
}

describe('service on systemd (real units)', function () {
  this.timeout(60000);

  before(function () {
    if (why) {
      console.log(`    skipped: ${why}`);
      this.skip();
    }
    fs.writeFileSync(UNIT, `[Unit]\nDescription=Brine test unit\n\n[Service]\nExecStart=/bin/sleep infinity\nExecReload=/bin/kill -HUP $MAINPID\n\n[Install]\nWantedBy=multi-user.target\n`);
    spawnSync('systemctl', ['daemon-reload']);
  });

  after(function () {
    if (why) return;
    spawnSync('systemctl', ['stop', `${NAME}.service`]);
    spawnSync('systemctl', ['disable', `${NAME}.service`]);
    fs.rmSync(UNIT, { force: true });
    spawnSync('systemctl', ['daemon-reload']);
  });

  it('is the backend chosen here', () => {
    assert.equal(chooseServiceBackend({}).name, 'systemd');
  });

  it('running starts the unit, then it is already running; test mode only predicts', async () => {
    assert.deepEqual(await call('running', {}, true), { name: NAME, result: null, changes: {}, comment: `Service ${NAME} is set to start` });
    assert.deepEqual(await call('running'), { name: NAME, result: true, changes: { [NAME]: true }, comment: `Started service ${NAME}` });
    assert.ok(mainPid() > 0);
    assert.deepEqual(await call('running'), { name: NAME, result: true, changes: {}, comment: `The service ${NAME} is already running` });
  });

  it('mod_watch restarts it (new main pid)', async () => {
    const before = mainPid();
    const ret = await serviceModule.modWatch!(NAME, { sfun: 'running' }, makeStateContext());
    assert.deepEqual(ret, { name: NAME, result: true, changes: { [NAME]: true }, comment: 'Service restarted', backend: 'systemd' });
    assert.notEqual(mainPid(), before);
  });

  it('enabled / disabled', async () => {
    assert.deepEqual(await call('enabled'), { name: NAME, result: true, changes: { [NAME]: true }, comment: `Service ${NAME} has been enabled, and is in the desired state` });
    assert.deepEqual(await call('enabled'), { name: NAME, result: true, changes: {}, comment: `Service ${NAME} is already enabled, and is in the desired state` });
    assert.deepEqual(await call('disabled'), { name: NAME, result: true, changes: { [NAME]: true }, comment: `Service ${NAME} has been disabled, and is in the desired state` });
  });

  it('dead stops it', async () => {
    assert.deepEqual(await call('dead'), { name: NAME, result: true, changes: { [NAME]: false }, comment: `Service ${NAME} was killed` });
    assert.equal(mainPid(), 0);
  });
});
