/**
 * The systemd backend without systemd: its systemctl command lines, the parsing of systemctl's
 * answers, the unit-directory facts (temp dirs), and the backend driven against a fake
 * systemctl that records its arguments.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chooseServiceBackend, providerOverride, systemdBooted } from '../../minion/backends/init-system';
import { SystemdBackend } from '../../minion/backends/systemd';
import { SystemctlClient } from '../../minion/backends/systemd/client';
import {
  canonicalUnitName,
  isTransitional,
  needsDaemonReload,
  parseSystemdVersion,
  serviceNameOfUnit,
  stripScope,
  systemctlCommand,
  unitAvailable,
} from '../../minion/backends/systemd/commands';
import { unitIsActive } from '../../minion/backends/systemd/facts';
import type { SystemdLayout } from '../../minion/backends/systemd/layout';
import { hasInstanceLink, hasLocalUnitFile, isMasked, sysvOnlyServices, unitServices } from '../../minion/backends/systemd/units';
import { ServiceToolError } from '../../minion/backends/sysvinit/run';
import type { StateFunction } from '../../minion/states/contract';
import { makeServiceModule } from '../../minion/states/service';
import { runState } from './helpers/run-state';
import { makeStateContext } from './helpers/state-context';

const tools = { systemctl: 'systemctl', systemdRun: 'systemd-run' };

describe('systemd command lines and parsing', () => {
  it('names units as Salt does: a bare name is a .service', () => {
    assert.equal(canonicalUnitName('nginx'), 'nginx.service');
    assert.equal(canonicalUnitName('nginx.service'), 'nginx.service');
    assert.equal(canonicalUnitName('fstrim.timer'), 'fstrim.timer');
    assert.equal(canonicalUnitName('getty@tty1'), 'getty@tty1.service');
    assert.equal(serviceNameOfUnit('ssh.service'), 'ssh');
    assert.equal(serviceNameOfUnit('fstrim.timer'), 'fstrim.timer');
    assert.equal(serviceNameOfUnit('foo.conf'), undefined);
    assert.equal(serviceNameOfUnit('README'), undefined);
  });

  it('builds systemctl calls: scope, --no-block, unit, -n 0 for status', () => {
    assert.deepEqual(systemctlCommand(tools, ['start'], 'nginx', { scope: true }), ['systemd-run', '--scope', 'systemctl', 'start', 'nginx.service']);
    assert.deepEqual(systemctlCommand(tools, ['stop'], 'nginx', { noBlock: true }), ['systemctl', '--no-block', 'stop', 'nginx.service']);
    assert.deepEqual(systemctlCommand(tools, ['status'], 'nginx'), ['systemctl', 'status', 'nginx.service', '-n', '0']);
    assert.deepEqual(systemctlCommand(tools, ['unmask', '--runtime'], 'x.socket'), ['systemctl', 'unmask', '--runtime', 'x.socket']);
    assert.deepEqual(systemctlCommand(tools, ['--system', 'daemon-reload']), ['systemctl', '--system', 'daemon-reload']);
  });

  it('parses the version, strips scope lines, reads availability', () => {
    assert.equal(parseSystemdVersion('systemd 252 (252.38-1~deb12u1)\n+PAM +AUDIT'), 252);
    assert.equal(parseSystemdVersion('bash: systemctl: not found'), undefined);
    assert.equal(stripScope('Running scope as unit: run-r0a1.scope\nJob for x.service failed.\n'), 'Job for x.service failed.');
    assert.equal(unitAvailable(3, '', 252), true);
    assert.equal(unitAvailable(4, 'Unit x.service could not be found.', 252), false);
    assert.equal(unitAvailable(3, '* x.service\n   Loaded: not-found (Reason: No such file)', 230), false);
    assert.equal(unitAvailable(3, '* x.service - X\n   Loaded: loaded (/lib/systemd/system/x.service)', 230), true);
    assert.equal(unitAvailable(1, 'garbage', 230), undefined);
    assert.equal(isTransitional('activating'), true);
    assert.equal(isTransitional('active'), false);
    assert.equal(needsDaemonReload("Warning: The unit file changed on disk. Run 'systemctl daemon-reload' to reload units."), true);
    assert.equal(needsDaemonReload('Active: active (running)'), false);
  });
});

describe('choosing the service backend', () => {
  it('takes systemd when it is PID 1, sysvinit otherwise, unless providers says', () => {
    assert.equal(chooseServiceBackend({}, false).name, 'sysvinit');
    assert.equal(chooseServiceBackend({}, true).name, 'systemd');
    assert.equal(chooseServiceBackend({ providers: { service: 'debian_service' } }, true).name, 'sysvinit');
    assert.equal(chooseServiceBackend({ providers: { service: 'systemd' } }, false).name, 'systemd');
    assert.equal(chooseServiceBackend({ providers: { service: 'systemd' } }, false).honoursSystemdArgs, false);
    assert.equal(providerOverride({ providers: { service: 'launchctl' } }), undefined);
    assert.equal(providerOverride({ providers: 'x' }), undefined);
  });

  it('decides "systemd is PID 1" by the /run/systemd/system directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-sdrun-'));
    try {
      assert.equal(systemdBooted(dir), true);
      assert.equal(systemdBooted(path.join(dir, 'system')), false);
      fs.writeFileSync(path.join(dir, 'file'), '');
      assert.equal(systemdBooted(path.join(dir, 'file')), false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A temp systemd layout and a fake systemctl that logs its argv and answers from files. */
class FakeSystemd {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-fakesd-'));
  readonly log = path.join(this.dir, 'calls.log');
  readonly layout: SystemdLayout;

  constructor() {
    const bin = path.join(this.dir, 'bin');
    fs.mkdirSync(bin);
    for (const d of ['lib', 'etc', 'run', 'init.d', 'rc2.d']) fs.mkdirSync(path.join(this.dir, d));
    // Answers: answers/<argv joined by _>.{rc,out,err}; a .seq file gives one stdout per call.
    const answers = path.join(this.dir, 'answers');
    fs.mkdirSync(answers);
    const script = `#!/bin/sh
echo "$(basename "$0") $*" >> ${this.log}
key=$(echo "$*" | tr ' /' '__')
a=${answers}/$key
if [ -f "$a.seq" ]; then n=$(cat "$a.n" 2>/dev/null || echo 1); sed -n "\${n}p" "$a.seq"; echo $((n+1)) > "$a.n"; fi
[ -f "$a.out" ] && cat "$a.out"
[ -f "$a.err" ] && cat "$a.err" >&2
[ -f "$a.rc" ] && exit $(cat "$a.rc")
exit 0
`;
    for (const tool of ['systemctl', 'systemd-run', 'update-rc.d']) fs.writeFileSync(path.join(bin, tool), script, { mode: 0o755 });
    // systemd-run --scope CMD...: run the wrapped command after logging.
    fs.writeFileSync(path.join(bin, 'systemd-run'), `#!/bin/sh\necho "systemd-run $*" >> ${this.log}\nshift\nexec "$@"\n`, { mode: 0o755 });
    this.layout = {
      systemctl: path.join(bin, 'systemctl'),
      systemdRun: path.join(bin, 'systemd-run'),
      unitDirs: [path.join(this.dir, 'lib'), path.join(this.dir, 'etc')],
      localUnitDir: path.join(this.dir, 'etc'),
      runtimeUnitDir: path.join(this.dir, 'run'),
      sysv: { initDir: path.join(this.dir, 'init.d'), rcRoot: this.dir, utmp: [], service: null, updateRcD: path.join(bin, 'update-rc.d') },
    };
    this.answer('--version', { out: 'systemd 252 (252.38-1~deb12u1)\n' });
  }

  /** What `tool args` answers. */
  answer(args: string, a: { rc?: number; out?: string; err?: string; seq?: string[] }): void {
    const base = path.join(this.dir, 'answers', args.replace(/[ /]/g, '_'));
    if (a.rc !== undefined) fs.writeFileSync(`${base}.rc`, String(a.rc));
    if (a.out !== undefined) fs.writeFileSync(`${base}.out`, a.out);
    if (a.err !== undefined) fs.writeFileSync(`${base}.err`, a.err);
    if (a.seq) fs.writeFileSync(`${base}.seq`, `${a.seq.join('\n')}\n`);
  }

  /** The calls made, without the version probe. */
  calls(): string[] {
    if (!fs.existsSync(this.log)) return [];
    return fs
      .readFileSync(this.log, 'utf8')
      .trim()
      .split('\n')
      .filter((l) => l !== 'systemctl --version');
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

describe('systemd backend against a fake systemctl', () => {
  let sd: FakeSystemd;
  beforeEach(() => {
    sd = new FakeSystemd();
  });
  afterEach(() => sd.cleanup());

  it('starts inside a scope when systemd runs, and without one when systemd.scope is False', async () => {
    await new SystemdBackend({ booted: true, layout: sd.layout }).start('web');
    assert.deepEqual(sd.calls(), [
      'systemctl status web.service -n 0',
      `systemd-run --scope ${sd.layout.systemctl} start web.service`,
      'systemctl start web.service',
    ]);
    fs.rmSync(sd.log);
    await new SystemdBackend({ booted: true, scope: false, layout: sd.layout }).start('web', { noBlock: true });
    assert.deepEqual(sd.calls(), ['systemctl status web.service -n 0', 'systemctl --no-block start web.service']);
  });

  it("raises systemctl's stderr (scope lines stripped) when a start fails; stop just says false", async () => {
    sd.answer('start web.service', { rc: 1, err: 'Running scope as unit: run-u1.scope\nJob for web.service failed because the control process exited with error code.' });
    sd.answer('stop web.service', { rc: 5 });
    const b = new SystemdBackend({ booted: false, layout: sd.layout });
    await assert.rejects(b.start('web'), (e: unknown) => e instanceof ServiceToolError && e.message === 'Job for web.service failed because the control process exited with error code.');
    assert.equal(await b.stop('web'), false);
  });

  it('reloads the daemon once when systemctl status asks for it', async () => {
    sd.answer('status web.service -n 0', { out: "Warning: The unit file, source configuration file or drop-ins of web.service changed on disk. Run 'systemctl daemon-reload' to reload units." });
    const b = new SystemdBackend({ booted: false, layout: sd.layout });
    await b.restart('web');
    await b.reload('web');
    assert.deepEqual(sd.calls(), ['systemctl status web.service -n 0', 'systemctl --system daemon-reload', 'systemctl restart web.service', 'systemctl reload web.service']);
  });

  it('reloads the daemon for a unit file systemd does not know yet', async () => {
    fs.writeFileSync(path.join(sd.layout.localUnitDir, 'new.service'), '[Service]\nExecStart=/bin/true\n');
    sd.answer('status new.service -n 0', { rc: 4, out: 'Unit new.service could not be found.' });
    const b = new SystemdBackend({ booted: false, layout: sd.layout });
    assert.equal(await b.available('new'), false);
    assert.deepEqual(sd.calls(), ['systemctl status new.service -n 0', 'systemctl --system daemon-reload', 'systemctl status new.service -n 0']);
  });

  it('status is is-active, waiting out "activating" once a second up to `wait` times', async () => {
    sd.answer('is-active web.service', { seq: ['activating', 'activating', 'active'] });
    const client = new SystemctlClient(sd.layout, { booted: false, scope: true });
    const sleeps: number[] = [];
    assert.equal(await unitIsActive(client, 'web', 3, async (ms) => void sleeps.push(ms)), true);
    assert.deepEqual(sleeps, [1000, 1000]);
    sd.answer('is-active down.service', { rc: 3, out: 'inactive' });
    assert.equal(await new SystemdBackend({ booted: false, layout: sd.layout }).status('down'), false);
  });

  it('enabled: is-enabled, then template links, then rc links of unit-less init scripts', async () => {
    sd.answer('is-enabled web.service', { rc: 0 });
    sd.answer('is-enabled getty@tty1.service', { rc: 1 });
    sd.answer('is-enabled legacy.service', { rc: 1 });
    fs.mkdirSync(path.join(sd.layout.localUnitDir, 'getty.target.wants'));
    fs.symlinkSync('/lib/systemd/system/getty@.service', path.join(sd.layout.localUnitDir, 'getty.target.wants', 'getty@tty1.service'));
    fs.writeFileSync(path.join(sd.layout.sysv.initDir, 'legacy'), '#!/bin/sh\n', { mode: 0o755 });
    const b = new SystemdBackend({ booted: false, layout: sd.layout });
    assert.equal(await b.enabled('web'), true);
    assert.equal(await b.enabled('getty@tty1.service'), true);
    assert.equal(await b.enabled('legacy'), false);
    fs.symlinkSync('../init.d/legacy', path.join(sd.dir, 'rc2.d', 'S01legacy'));
    assert.equal(await b.enabled('legacy'), true);
  });

  it('enables units with systemctl (raising its stderr) and unit-less init scripts with update-rc.d', async () => {
    fs.writeFileSync(path.join(sd.layout.sysv.initDir, 'legacy'), '#!/bin/sh\n', { mode: 0o755 });
    sd.answer('enable broken.service', { rc: 1, err: 'Failed to enable unit: Unit file broken.service does not exist.' });
    const b = new SystemdBackend({ booted: false, layout: sd.layout });
    assert.equal(await b.enable('legacy'), true);
    assert.equal(await b.disable('legacy'), true);
    assert.equal(await b.enable('web'), true);
    await assert.rejects(b.enable('broken'), /Unit file broken.service does not exist/);
    assert.deepEqual(
      sd.calls().filter((c) => !c.includes('status')),
      ['update-rc.d -f legacy defaults 99', 'update-rc.d -f legacy remove', 'systemctl enable web.service', 'systemctl enable broken.service'],
    );
  });

  it('force-reload goes --no-block by default, as in Salt', async () => {
    await new SystemdBackend({ booted: false, layout: sd.layout }).forceReload('web');
    assert.deepEqual(sd.calls().slice(-1), ['systemctl --no-block force-reload web.service']);
  });

  it('masks are /dev/null links; unmask only when masked', async () => {
    fs.symlinkSync('/dev/null', path.join(sd.layout.localUnitDir, 'web.service'));
    const b = new SystemdBackend({ booted: false, layout: sd.layout });
    assert.equal(await b.masked('web', false), true);
    assert.equal(await b.masked('web', true), false);
    assert.equal(await b.unmask('other', false), true);
    assert.equal(await b.unmask('web', false), true);
    assert.deepEqual(sd.calls().filter((c) => c.includes('unmask')), ['systemctl unmask web.service']);
    sd.answer('unmask --runtime web.service', { rc: 1 });
    fs.symlinkSync('/dev/null', path.join(sd.layout.runtimeUnitDir, 'web.service'));
    await assert.rejects(b.unmask('web', true), /Failed to unmask service 'web'/);
  });

  it('lists services from unit files and unit-less executable init scripts', async () => {
    for (const f of ['ssh.service', 'fstrim.timer', 'x.conf']) fs.writeFileSync(path.join(sd.layout.unitDirs[0], f), '');
    fs.writeFileSync(path.join(sd.layout.sysv.initDir, 'ssh'), '', { mode: 0o755 });
    fs.writeFileSync(path.join(sd.layout.sysv.initDir, 'legacy'), '', { mode: 0o755 });
    fs.writeFileSync(path.join(sd.layout.sysv.initDir, 'notexec'), '', { mode: 0o644 });
    assert.deepEqual([...unitServices(sd.layout)].sort(), ['fstrim.timer', 'ssh']);
    assert.deepEqual(sysvOnlyServices(sd.layout), ['legacy']);
    assert.deepEqual(await new SystemdBackend({ booted: false, layout: sd.layout }).getAll(), ['fstrim.timer', 'legacy', 'ssh']);
    assert.equal(isMasked(sd.layout, 'ssh', false), false);
    assert.equal(hasInstanceLink(sd.layout, 'getty@tty2.service'), false);
    assert.equal(hasLocalUnitFile(sd.layout, 'ssh'), false);
  });

  it('service.running over this backend shows systemctl\'s refusal as the comment', async () => {
    sd.answer('status web.service -n 0', { rc: 3, out: '* web.service - Web\n     Loaded: loaded (/etc/systemd/system/web.service)' });
    sd.answer('is-active web.service', { rc: 3, out: 'inactive' });
    sd.answer('is-enabled web.service', { rc: 1, out: 'disabled' });
    sd.answer('start web.service', { rc: 1, err: 'Failed to start web.service: Unit web.service is masked.' });
    const mod = makeServiceModule({ pick: () => new SystemdBackend({ booted: false, layout: sd.layout }), sleep: async () => undefined });
    const ret = await runState(mod.functions.running as StateFunction<unknown>, 'web', { no_block: true }, makeStateContext());
    assert.deepEqual(ret, { name: 'web', result: false, changes: {}, comment: 'Failed to start web.service: Unit web.service is masked.', warnings: ["The 'no_block' argument is not supported by this platform"] });
    assert.deepEqual(sd.calls().slice(-1), ['systemctl start web.service']);
  });
});
