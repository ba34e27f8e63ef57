/**
 * The sysvinit backend's facts read from files (runlevel from utmp, init scripts, rc links),
 * its command lines, and process signatures — over temp directories, nothing installed.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { disableCommand, enableCommands, fullRestartCommand, initCommand } from '../../minion/backends/sysvinit/commands';
import { allServices, currentRunlevel, enabledServices, hasRunlevelLinks, isEnabled, runlevelLinks, serviceOfLink } from '../../minion/backends/sysvinit/facts';
import type { SysvLayout } from '../../minion/backends/sysvinit/layout';
import { pidsMatching } from '../../minion/backends/sysvinit/processes';
import { SysvinitBackend } from '../../minion/backends/sysvinit';

/** A utmp file with one RUN_LVL record for `level` (glibc x86_64/aarch64 layout, 384 bytes). */
function utmpWithRunlevel(level: string): Buffer {
  const other = Buffer.alloc(384);
  other.writeInt16LE(7, 0); // USER_PROCESS, ignored
  other.writeInt32LE(4242, 4);
  const rec = Buffer.alloc(384);
  rec.writeInt16LE(1, 0); // RUN_LVL
  rec.writeInt32LE(level.charCodeAt(0) + 256 * 'N'.charCodeAt(0), 4);
  return Buffer.concat([other, rec]);
}

describe('sysvinit facts (files only)', () => {
  let dir: string;
  let layout: SysvLayout;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-sysv-'));
    layout = { initDir: path.join(dir, 'init.d'), rcRoot: dir, utmp: [path.join(dir, 'utmp')], service: '/usr/sbin/service', updateRcD: 'update-rc.d' };
    fs.mkdirSync(layout.initDir);
    for (const s of ['ssh', 'cron', 'procps', 'README', 'ntp2']) fs.writeFileSync(path.join(layout.initDir, s), '#!/bin/sh\n');
    const links: Record<string, string[]> = {
      rc0: ['K01ssh', 'K01cron'],
      rc2: ['S01ssh', 'K01cron', 'S02ntp2', 'README'],
      rc3: ['S01cron'],
      rcS: ['S01procps', 'S03gone'],
    };
    for (const [d, entries] of Object.entries(links)) {
      fs.mkdirSync(path.join(dir, `${d}.d`));
      for (const e of entries) fs.symlinkSync(`../init.d/${e.replace(/^[SK]\d+/, '')}`, path.join(dir, `${d}.d`, e));
    }
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the runlevel from utmp, and takes 2 without one', () => {
    assert.equal(currentRunlevel(layout), '2');
    fs.writeFileSync(path.join(dir, 'utmp'), utmpWithRunlevel('3'));
    assert.equal(currentRunlevel(layout), '3');
    fs.writeFileSync(path.join(dir, 'utmp'), Buffer.alloc(384 * 2));
    assert.equal(currentRunlevel(layout), '2');
  });

  it('names the service of a link (digits in the name kept)', () => {
    assert.equal(serviceOfLink('S01ssh'), 'ssh');
    assert.equal(serviceOfLink('S02ntp2'), 'ntp2');
    assert.equal(serviceOfLink('K01ssh'), undefined);
    assert.equal(serviceOfLink('K01ssh', 'K'), 'ssh');
    assert.equal(serviceOfLink('README'), undefined);
  });

  it('enabled services: S links of rcS.d and of the current runlevel', () => {
    assert.deepEqual(enabledServices(layout), ['gone', 'ntp2', 'procps', 'ssh']);
    fs.writeFileSync(path.join(dir, 'utmp'), utmpWithRunlevel('3'));
    assert.deepEqual(enabledServices(layout), ['cron', 'gone', 'procps']);
    assert.equal(isEnabled(layout, 'cron'), true);
    assert.equal(isEnabled(layout, 'ssh'), false);
  });

  it('all services: init scripts but README, plus enabled ones', () => {
    assert.deepEqual(allServices(layout), ['cron', 'gone', 'ntp2', 'procps', 'ssh']);
  });

  it('lists the runlevel links of one service', () => {
    assert.deepEqual(runlevelLinks(layout, 'cron'), ['rc0.d/K01cron', 'rc2.d/K01cron', 'rc3.d/S01cron']);
    assert.equal(hasRunlevelLinks(layout, 'ssh'), true);
    assert.equal(hasRunlevelLinks(layout, 'ntp'), false);
  });

  it('the backend answers available / enabled / disabled from those files', async () => {
    const b = new SysvinitBackend(layout);
    assert.equal(await b.available('cron'), true);
    assert.equal(await b.available('nope'), false);
    assert.equal(await b.enabled('ssh'), true);
    assert.equal(await b.disabled('ssh'), false);
    assert.equal(await b.disabled('cron'), true);
    assert.equal(await b.disabled('nope'), false);
    assert.deepEqual(await b.getAll(), ['cron', 'gone', 'ntp2', 'procps', 'ssh']);
  });

  it('status asks the service wrapper only for a service with an executable init script', async () => {
    const calls = path.join(dir, 'calls');
    const wrapper = path.join(dir, 'service');
    fs.writeFileSync(wrapper, `#!/bin/sh\necho "$@" >> ${calls}\nexit 0\n`, { mode: 0o755 });
    fs.chmodSync(path.join(layout.initDir, 'ssh'), 0o755);
    const b = new SysvinitBackend({ ...layout, service: wrapper });
    assert.equal(await b.status('nope'), false, 'no init script: not running');
    assert.equal(await b.status('cron'), false, 'a script that is not executable: not running');
    assert.equal(fs.existsSync(calls), false, 'nothing spawned for either');
    assert.equal(await b.status('ssh'), true);
    assert.equal(fs.readFileSync(calls, 'utf8'), 'ssh status\n');
  });
});

describe('sysvinit command lines', () => {
  const layout: SysvLayout = { initDir: '/etc/init.d', rcRoot: '/etc', utmp: [], service: '/usr/sbin/service', updateRcD: '/usr/sbin/update-rc.d' };

  it('goes through service, or the init script when there is no service wrapper', () => {
    assert.deepEqual(initCommand(layout, 'ssh', 'start'), ['/usr/sbin/service', 'ssh', 'start']);
    assert.deepEqual(initCommand({ ...layout, service: null }, 'ssh', 'status'), ['/etc/init.d/ssh', 'status']);
    assert.deepEqual(fullRestartCommand(layout, 'ssh'), ['/usr/sbin/service', 'ssh', '--full-restart']);
    assert.equal(fullRestartCommand({ ...layout, service: null }, 'ssh'), null);
  });

  it('enables with defaults first for a script without links, then enable; disables with disable', () => {
    assert.deepEqual(enableCommands(layout, 'ssh', false), [
      ['/usr/sbin/update-rc.d', 'ssh', 'defaults'],
      ['/usr/sbin/update-rc.d', 'ssh', 'enable'],
    ]);
    assert.deepEqual(enableCommands(layout, 'ssh', true), [['/usr/sbin/update-rc.d', 'ssh', 'enable']]);
    assert.deepEqual(disableCommand(layout, 'ssh'), ['/usr/sbin/update-rc.d', 'ssh', 'disable']);
  });
});

describe('process signatures (status with sig)', () => {
  const procs = [
    { pid: 10, cmdline: '/usr/sbin/nginx -g daemon off;' },
    { pid: 11, cmdline: 'nginx: worker process' },
    { pid: 12, cmdline: 'salt-call status.pid nginx' },
    { pid: process.pid, cmdline: 'node brine call service.status nginx sig=nginx' },
  ];

  it('searches command lines with a Python regex, skipping itself and status.pid lines', () => {
    assert.deepEqual(pidsMatching('nginx', procs), [10, 11]);
    assert.deepEqual(pidsMatching('^nginx: w', procs), [11]);
    assert.deepEqual(pidsMatching('(?i)NGINX -g', procs), [10]);
    assert.deepEqual(pidsMatching('apache', procs), []);
  });

  it('finds a real process by its command line in /proc', async () => {
    const marker = `brine-sig-${process.pid}-${Date.now()}`;
    // A process that never forks: a shell would show a transient second pid with the same
    // command line between its fork and the exec of its child.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 300000)', marker], { stdio: 'ignore' });
    try {
      await new Promise((r) => child.once('spawn', r));
      // The exec may not be visible in /proc at once under load: look again, a bounded number of times.
      let found = pidsMatching(`setTimeout.* ${marker}$`);
      for (let i = 0; i < 100 && found.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
        found = pidsMatching(`setTimeout.* ${marker}$`);
      }
      assert.deepEqual(found, [child.pid]);
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((r) => child.once('exit', r));
    assert.deepEqual(pidsMatching(`setTimeout.* ${marker}$`), []);
  });
});
