/**
 * The service states' Salt 3006 behaviour (comments, changes, results, test mode, mod_watch)
 * over an in-memory backend: every branch of running, dead, enabled, disabled and mod_watch.
 */
import * as assert from 'node:assert/strict';
import type { Dict } from '../../common/types';
import type { StateContext, StateFunction } from '../../minion/states/contract';
import { makeServiceModule } from '../../minion/states/service';
import { enableWish, isTrue, serviceArgs } from '../../minion/states/service/args';
import { FakeBackend } from './service-fake-backend';
import { runState, type TestReturn } from './helpers/run-state';
import { makeStateContext } from './helpers/state-context';

interface Harness {
  backend: FakeBackend;
  sleeps: number[];
  run(fun: string, name: string, args?: Dict, test?: boolean): Promise<TestReturn>;
  watch(name: string, args: Dict, test?: boolean): Promise<Dict>;
}

function harness(backend = new FakeBackend()): Harness {
  const sleeps: number[] = [];
  const mod = makeServiceModule({ pick: () => backend, sleep: async (s) => void sleeps.push(s) });
  const ctx = (test: boolean): StateContext => makeStateContext({ test });
  return {
    backend,
    sleeps,
    run: (fun, name, args = {}, test = false) => runState(mod.functions[fun] as StateFunction<unknown>, name, args, ctx(test)),
    watch: async (name, args, test = false) => (await mod.modWatch!(name, args, ctx(test))) as unknown as Dict,
  };
}

function ret(result: boolean | null, comment: string, changes: Dict = {}, name = 'svc'): TestReturn {
  return { name, result, changes, comment };
}

describe('service.running (Salt 3006)', () => {
  it('leaves a running service alone', async () => {
    const h = harness();
    h.backend.add('svc', { running: true, enabled: false });
    assert.deepEqual(await h.run('running', 'svc'), ret(true, 'The service svc is already running'));
    assert.deepEqual(h.backend.calls, ['status svc']);
  });

  it('starts a stopped service and reports {name: True}', async () => {
    const h = harness();
    h.backend.add('svc', { running: false, enabled: false });
    assert.deepEqual(await h.run('running', 'svc'), ret(true, 'Started service svc', { svc: true }));
    assert.deepEqual(h.backend.calls, ['status svc', 'start svc', 'status svc']);
  });

  it('only says what it would do in test mode', async () => {
    const h = harness();
    h.backend.add('svc', { running: false, enabled: false });
    assert.deepEqual(await h.run('running', 'svc', {}, true), ret(null, 'Service svc is set to start'));
    assert.deepEqual(h.backend.calls, ['status svc']);
  });

  it('starts and enables: "has been enabled, and is running"', async () => {
    const h = harness();
    h.backend.add('svc', { running: false, enabled: false });
    assert.deepEqual(await h.run('running', 'svc', { enable: true }), ret(true, 'Service svc has been enabled, and is running', { svc: true }));
    assert.deepEqual(h.backend.calls, ['status svc', 'start svc', 'status svc', 'enable svc']);
  });

  it('starts an already enabled service: "is already enabled, and is running"', async () => {
    const h = harness();
    h.backend.add('svc', { running: false, enabled: true });
    assert.deepEqual(await h.run('running', 'svc', { enable: true }), ret(true, 'Service svc is already enabled, and is running', { svc: true }));
  });

  it('enables a running service: "is in the desired state", test mode "set to be enabled"', async () => {
    const h = harness();
    h.backend.add('svc', { running: true, enabled: false });
    assert.deepEqual(await h.run('running', 'svc', { enable: true }, true), ret(null, 'Service svc set to be enabled'));
    assert.deepEqual(await h.run('running', 'svc', { enable: true }), ret(true, 'Service svc has been enabled, and is in the desired state', { svc: true }));
    assert.deepEqual(await h.run('running', 'svc', { enable: true }), ret(true, 'The service svc is already running'));
  });

  it('disables a running service with enable: False (also given as the string "False")', async () => {
    const h = harness();
    h.backend.add('svc', { running: true, enabled: true });
    assert.deepEqual(await h.run('running', 'svc', { enable: 'False' }, true), ret(null, 'Service svc set to be disabled'));
    assert.deepEqual(await h.run('running', 'svc', { enable: false }), ret(true, 'Service svc has been disabled, and is in the desired state', { svc: true }));
  });

  it('fails when the start command fails', async () => {
    const h = harness();
    h.backend.add('svc', { running: false, enabled: false });
    h.backend.failures.set('start', 'false');
    assert.deepEqual(await h.run('running', 'svc'), ret(false, 'Service svc failed to start'));
  });

  it('still enables when the start fails, and says the service is dead', async () => {
    const h = harness();
    h.backend.add('svc', { running: false, enabled: false });
    h.backend.failures.set('start', 'false');
    assert.deepEqual(await h.run('running', 'svc', { enable: true }), ret(false, 'Service svc has been enabled, and is dead', { svc: true }));
  });

  it('fails when the service is still not running after a successful start command', async () => {
    const h = harness();
    h.backend.add('svc', { running: false, enabled: false });
    h.backend.failures.set('start', 'no-effect');
    assert.deepEqual(await h.run('running', 'svc'), ret(false, 'Service svc failed to start'));
  });

  it("shows the init system's refusal as the comment", async () => {
    const h = harness(new FakeBackend('systemd', true));
    h.backend.add('svc', { running: false, enabled: false });
    h.backend.failures.set('start', { refuse: 'Failed to start svc.service: Unit svc.service is masked.' });
    assert.deepEqual(await h.run('running', 'svc'), ret(false, 'Failed to start svc.service: Unit svc.service is masked.'));
  });

  it('adds the refusal of an enable to the failure comment', async () => {
    const h = harness();
    h.backend.add('svc', { running: false, enabled: false });
    h.backend.failures.set('enable', { refuse: 'update-rc.d: error: no runlevel symlinks' });
    assert.deepEqual(
      await h.run('running', 'svc', { enable: true }),
      ret(
        false,
        'Failed when setting service svc to start at boot, but the service is running. Additional information follows:\n\nupdate-rc.d: error: no runlevel symlinks',
        { svc: true },
      ),
    );
  });

  it('fails for a missing service, and predicts a start in test mode', async () => {
    const h = harness();
    assert.deepEqual(await h.run('running', 'nope'), ret(false, 'The named service nope is not available', {}, 'nope'));
    assert.deepEqual(
      await h.run('running', 'nope', {}, true),
      ret(null, 'Service nope not present; if created in this state run, it would have been started', {}, 'nope'),
    );
    assert.deepEqual(h.backend.calls, []);
  });

  it('refuses the "enabled" typo', async () => {
    const h = harness();
    h.backend.add('svc', { running: false, enabled: false });
    assert.deepEqual(await h.run('running', 'svc', { enabled: true }), ret(false, 'Service svc uses non-existent option "enabled".  Perhaps "enable" option was intended?'));
    assert.deepEqual(h.backend.calls, []);
  });

  it('waits init_delay seconds after starting and says so', async () => {
    const h = harness();
    h.backend.add('svc', { running: false, enabled: false });
    assert.deepEqual(await h.run('running', 'svc', { init_delay: 2 }), ret(true, 'Started service svc\nDelayed return for 2 seconds', { svc: true }));
    assert.deepEqual(h.sleeps, [2]);
  });

  it('asks the status by signature and passes timeout to the start', async () => {
    const h = harness();
    h.backend.add('svc', { running: false, enabled: false });
    await h.run('running', 'svc', { sig: 'svcd -f', timeout: 30 });
    assert.deepEqual(h.backend.calls, ['status svc sig=svcd -f', 'start svc', 'status svc sig=svcd -f']);
    assert.deepEqual(h.backend.options, [{ timeout: 30, noBlock: undefined }]);
  });

  it('unmasks first with unmask: True, and appends the unmask comment', async () => {
    const h = harness(new FakeBackend('systemd', true, true));
    h.backend.add('svc', { running: false, enabled: false, masked: true });
    assert.deepEqual(await h.run('running', 'svc', { unmask: true }, true), ret(null, 'Service svc is set to start\nService svc would be unmasked'));
    assert.deepEqual(await h.run('running', 'svc', { unmask: true }), ret(true, 'Started service svc\nService svc was unmasked', { svc: true }));
    assert.deepEqual(h.backend.calls.filter((c) => !c.startsWith('status')), ['unmask svc', 'start svc']);
  });

  it('says masking is not available where the init system has no masks', async () => {
    const h = harness();
    h.backend.add('svc', { running: true, enabled: false });
    assert.deepEqual(await h.run('running', 'svc', { unmask: true }), ret(true, 'The service svc is already running\nService masking not available on this minion'));
  });

  it('passes no_block where systemd runs, and warns where a systemd backend runs without systemd', async () => {
    const booted = harness(new FakeBackend('systemd', true));
    booted.backend.add('svc', { running: false, enabled: false });
    await booted.run('running', 'svc', { no_block: true });
    assert.deepEqual(booted.backend.options, [{ timeout: undefined, noBlock: true }]);

    const notBooted = harness(new FakeBackend('systemd', false));
    notBooted.backend.add('svc', { running: false, enabled: false });
    const r = await notBooted.run('running', 'svc', { no_block: true });
    assert.deepEqual(r.warnings, ["The 'no_block' argument is not supported by this platform"]);
    assert.deepEqual(notBooted.backend.options, [{ timeout: undefined, noBlock: undefined }]);

    const sysv = harness();
    sysv.backend.add('svc', { running: false, enabled: false });
    assert.equal((await sysv.run('running', 'svc', { no_block: true })).warnings, undefined);
  });
});

describe('service.dead (Salt 3006)', () => {
  it('stops a running service: changes {name: False} (the status after stopping)', async () => {
    const h = harness();
    h.backend.add('svc', { running: true, enabled: false });
    assert.deepEqual(await h.run('dead', 'svc'), ret(true, 'Service svc was killed', { svc: false }));
    assert.deepEqual(h.backend.calls, ['status svc', 'stop svc', 'status svc']);
  });

  it('leaves a dead service alone, and predicts a kill in test mode', async () => {
    const h = harness();
    h.backend.add('svc', { running: false, enabled: false }).add('up', { running: true, enabled: false });
    assert.deepEqual(await h.run('dead', 'svc'), ret(true, 'The service svc is already dead'));
    assert.deepEqual(await h.run('dead', 'up', {}, true), ret(null, 'Service up is set to be killed', {}, 'up'));
    assert.equal(h.backend.services.get('up')!.running, true);
  });

  it('treats a missing service as dead (test mode: would have been stopped)', async () => {
    const h = harness();
    assert.deepEqual(await h.run('dead', 'nope'), ret(true, 'The named service nope is not available', {}, 'nope'));
    assert.deepEqual(
      await h.run('dead', 'nope', {}, true),
      ret(null, 'Service nope not present; if created in this state run, it would have been stopped', {}, 'nope'),
    );
  });

  it('fails when the stop command fails or the service keeps running', async () => {
    const h = harness();
    h.backend.add('svc', { running: true, enabled: false });
    h.backend.failures.set('stop', 'false');
    assert.deepEqual(await h.run('dead', 'svc'), ret(false, 'Service svc failed to die'));
    h.backend.failures.set('stop', 'no-effect');
    assert.deepEqual(await h.run('dead', 'svc'), ret(false, 'Service svc failed to die'));
  });

  it('stops and disables: "has been disabled, and is dead"', async () => {
    const h = harness();
    h.backend.add('svc', { running: true, enabled: true });
    assert.deepEqual(await h.run('dead', 'svc', { enable: false }), ret(true, 'Service svc has been disabled, and is dead', { svc: true }));
  });

  it('enables a dead service with enable: True', async () => {
    const h = harness();
    h.backend.add('svc', { running: false, enabled: false });
    assert.deepEqual(await h.run('dead', 'svc', { enable: true }), ret(true, 'Service svc has been enabled, and is in the desired state', { svc: true }));
  });

  it('refuses the "enabled" typo', async () => {
    const h = harness();
    h.backend.add('svc', { running: true, enabled: false });
    assert.deepEqual(await h.run('dead', 'svc', { enabled: false }), ret(false, 'Service svc uses non-existent option "enabled".  Perhaps "enable" option was intended?'));
  });
});

describe('service.enabled / service.disabled (Salt 3006)', () => {
  it('enables, then is in the desired state; test mode only says so', async () => {
    const h = harness();
    h.backend.add('svc', { running: false, enabled: false });
    assert.deepEqual(await h.run('enabled', 'svc', {}, true), ret(null, 'Service svc set to be enabled'));
    assert.deepEqual(await h.run('enabled', 'svc'), ret(true, 'Service svc has been enabled, and is in the desired state', { svc: true }));
    assert.deepEqual(await h.run('enabled', 'svc'), ret(true, 'Service svc is already enabled, and is in the desired state'));
    assert.deepEqual(h.backend.calls, ['enable svc']);
  });

  it('fails for a missing service (test mode: would have been enabled)', async () => {
    const h = harness();
    assert.deepEqual(await h.run('enabled', 'nope'), ret(false, 'The named service nope is not available', {}, 'nope'));
    assert.deepEqual(
      await h.run('enabled', 'nope', {}, true),
      ret(null, 'Service nope not present; if created in this state run, it would have been enabled', {}, 'nope'),
    );
  });

  it('reports a failed enable, and no change when enabling had no effect', async () => {
    const h = harness();
    h.backend.add('svc', { running: false, enabled: false });
    h.backend.failures.set('enable', 'false');
    assert.deepEqual(await h.run('enabled', 'svc'), ret(false, 'Failed when setting service svc to start at boot, but the service was already running'));
    h.backend.failures.set('enable', 'no-effect');
    assert.deepEqual(await h.run('enabled', 'svc'), ret(true, 'Service svc has been enabled, and is in the desired state'));
  });

  it('disables, then is in the desired state; a missing service is fine', async () => {
    const h = harness();
    h.backend.add('svc', { running: true, enabled: true });
    assert.deepEqual(await h.run('disabled', 'svc', {}, true), ret(null, 'Service svc set to be disabled'));
    assert.deepEqual(await h.run('disabled', 'svc'), ret(true, 'Service svc has been disabled, and is in the desired state', { svc: true }));
    assert.deepEqual(await h.run('disabled', 'svc'), ret(true, 'Service svc is already disabled, and is in the desired state'));
    assert.deepEqual(await h.run('disabled', 'nope'), ret(true, 'The named service nope is not available', {}, 'nope'));
    assert.deepEqual(await h.run('disabled', 'nope', {}, true), ret(true, 'The named service nope is not available', {}, 'nope'));
  });

  it('reports a failed disable', async () => {
    const h = harness();
    h.backend.add('svc', { running: false, enabled: true });
    h.backend.failures.set('disable', 'false');
    assert.deepEqual(
      await h.run('disabled', 'svc'),
      ret(false, 'Failed when setting service svc to not start at boot, but the service was already running'),
    );
  });
});

describe('service mod_watch (Salt 3006)', () => {
  const watched = (extra: Dict = {}): Dict => ({ sfun: 'running', ...extra });

  it('restarts a running service', async () => {
    const h = harness();
    h.backend.add('svc', { running: true, enabled: false });
    assert.deepEqual(await h.watch('svc', watched()), { name: 'svc', result: true, changes: { svc: true }, comment: 'Service restarted', backend: 'sysvinit' });
    assert.deepEqual(h.backend.calls, ['status svc', 'restart svc']);
  });

  it('reloads with reload: True, force-reloads with force: True too', async () => {
    const h = harness();
    h.backend.add('svc', { running: true, enabled: false });
    assert.equal((await h.watch('svc', watched({ reload: true }))).comment, 'Service reloaded');
    assert.equal((await h.watch('svc', watched({ reload: true, force: true }))).comment, 'Service forcefully reloaded');
    assert.deepEqual(h.backend.calls, ['status svc', 'reload svc', 'status svc', 'force-reload svc']);
  });

  it('fully restarts with full_restart: True where the init system can, else restarts', async () => {
    const h = harness();
    h.backend.add('svc', { running: true, enabled: false });
    assert.equal((await h.watch('svc', watched({ full_restart: true }))).comment, 'Service fully restarted');
    const plain = harness();
    plain.backend.add('svc', { running: true, enabled: false });
    Object.assign(plain.backend, { fullRestart: undefined });
    assert.equal((await plain.watch('svc', watched({ full_restart: true }))).comment, 'Service restarted');
  });

  it('stops then starts a service that is not running', async () => {
    const h = harness();
    h.backend.add('svc', { running: false, enabled: false });
    assert.deepEqual(await h.watch('svc', watched()), { name: 'svc', result: true, changes: { svc: true }, comment: 'Service started', backend: 'sysvinit' });
    assert.deepEqual(h.backend.calls, ['status svc', 'stop svc', 'start svc']);
  });

  it('only says what it would do in test mode', async () => {
    const h = harness();
    h.backend.add('svc', { running: true, enabled: false }).add('off', { running: false, enabled: false });
    assert.deepEqual(await h.watch('svc', watched(), true), { name: 'svc', result: null, changes: {}, comment: 'Service is set to be restarted', backend: 'sysvinit' });
    assert.equal((await h.watch('svc', watched({ reload: true }), true)).comment, 'Service is set to be reloaded');
    assert.equal((await h.watch('off', watched(), true)).comment, 'Service is set to be started');
    assert.deepEqual(h.backend.calls, ['status svc', 'status svc', 'status off']);
  });

  it('stops a service watched by service.dead', async () => {
    const h = harness();
    h.backend.add('svc', { running: true, enabled: false });
    assert.deepEqual(await h.watch('svc', { sfun: 'dead' }), { name: 'svc', result: true, changes: { svc: true }, comment: 'Service stopped', backend: 'sysvinit' });
    assert.deepEqual(await h.watch('svc', { sfun: 'dead' }), { name: 'svc', result: true, changes: {}, comment: 'Service is already stopped', backend: 'sysvinit' });
  });

  it('cannot watch for other service functions', async () => {
    const h = harness();
    h.backend.add('svc', { running: true, enabled: false });
    assert.deepEqual(await h.watch('svc', { sfun: 'enabled' }), {
      name: 'svc',
      result: false,
      changes: {},
      comment: 'Unable to trigger watch for service.enabled',
      backend: 'sysvinit',
    });
  });

  it('reports a failed restart and a refusal', async () => {
    const h = harness();
    h.backend.add('svc', { running: true, enabled: false });
    h.backend.failures.set('restart', 'false');
    assert.deepEqual(await h.watch('svc', watched()), { name: 'svc', result: false, changes: { svc: false }, comment: 'Failed to restart the service', backend: 'sysvinit' });
    h.backend.failures.set('restart', { refuse: 'Job for svc.service failed.' });
    assert.deepEqual(await h.watch('svc', watched()), { name: 'svc', result: false, changes: {}, comment: 'Job for svc.service failed.', backend: 'sysvinit' });
  });

  it('waits init_delay after the restart', async () => {
    const h = harness();
    h.backend.add('svc', { running: true, enabled: false });
    await h.watch('svc', watched({ init_delay: 5 }));
    assert.deepEqual(h.sleeps, [5]);
  });
});

describe('service results name the backend', () => {
  it('check and apply outcomes carry backend: sysvinit / systemd', async () => {
    for (const name of ['sysvinit', 'systemd'] as const) {
      const backend = new FakeBackend(name, name === 'systemd').add('svc', { running: false, enabled: false });
      const mod = makeServiceModule({ pick: () => backend, sleep: async () => undefined });
      const ctx = makeStateContext();
      const fn = mod.functions.running;
      const outcome = (await fn.check('svc', {}, ctx)) as unknown as Dict;
      assert.equal(outcome.backend, name);
      assert.equal(outcome.kind, 'drift');
      const applied = (await fn.apply('svc', {}, ctx, outcome.plan)) as unknown as Dict;
      assert.deepEqual(applied, { result: true, comment: 'Started service svc', changes: { svc: true }, backend: name });
      const again = (await fn.check('svc', {}, ctx)) as unknown as Dict;
      assert.deepEqual(again, { kind: 'in-state', comment: 'The service svc is already running', backend: name });
    }
  });
});

describe('service state arguments', () => {
  it('reads enable as Salt does: strings through is_true, other non-bools as None', () => {
    assert.equal(enableWish(true), true);
    assert.equal(enableWish(false), false);
    assert.equal(enableWish('True'), true);
    assert.equal(enableWish('yes'), false);
    assert.equal(enableWish('1'), true);
    assert.equal(enableWish('0'), false);
    assert.equal(enableWish(1), null);
    assert.equal(enableWish(undefined), null);
    assert.equal(isTrue(2.5), true);
  });

  it('reads seconds, and refuses a non-numeric init_delay', () => {
    assert.equal(serviceArgs({ init_delay: '3' }).initDelay, 3);
    assert.equal(serviceArgs({ init_delay: 0 }).initDelay, undefined);
    assert.equal(serviceArgs({ timeout: 10 }).timeout, 10);
    assert.throws(() => serviceArgs({ init_delay: 'soon' }), /init_delay must be a number of seconds, not soon/);
    assert.deepEqual(serviceArgs({ sig: 'x', reload: 'True', no_block: false }).noBlock, false);
    assert.equal(serviceArgs({ reload: 'True' }).reload, true);
  });
});
