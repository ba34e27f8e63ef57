/**
 * Attack suite, arguments to system tools: package, service and sysctl names (and values)
 * with a leading `-`, newlines or shell metacharacters must never become options or commands.
 * apt-get, apt-mark, systemctl, systemd-run, service and update-rc.d are replaced by
 * recording stand-ins (nothing is installed or started); dpkg, dpkg-query and apt-cache run for
 * real behind recording ones. Every argv they receive is checked, and no marker file appears.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createSysctlModule } from '../../minion/states/sysctl';
import { ArgvShims } from '../helpers/argv-shims';
import { BRINE } from '../helpers/fleet';
import { runState } from '../unit/helpers/run-state';
import { makeStateContext } from '../unit/helpers/state-context';

/** Tools whose arguments are checked. */
const PKG_TOOLS = new Set(['apt-get', 'apt-cache', 'apt-mark', 'dpkg', 'dpkg-query']);
const SERVICE_TOOLS = new Set(['systemctl', 'systemd-run', 'service', 'update-rc.d']);

describe('security: hostile names given to pkg, service and sysctl', function () {
  this.timeout(60_000);
  let dir: string;
  let marker: string;
  let shims: ArgvShims;

  /** Names that try to become options, and names that try to become commands. */
  const optionNames = () => ['--force-yes', `-oDPkg::Pre-Invoke::=touch ${marker}`, '-c/etc/shadow', '--help', `-H root@evil`, '--root=/tmp'];
  const commandNames = () => [`x; touch ${marker}`, `$(touch ${marker})`, `\`touch ${marker}\``, `x\ntouch ${marker}`, `x | touch ${marker}`, `x && touch ${marker}`, `x'; touch ${marker}; '`, `x" ; touch ${marker} ; "`];

  /** Apply `sls` (written from `text`) with `brine call --local`, the shims first on PATH. */
  function apply(sls: string, text: string, args: string[] = [], extraConfig = ''): { status: number | null; stdout: string; out: string } {
    const states = path.join(dir, 'states');
    fs.mkdirSync(states, { recursive: true });
    fs.writeFileSync(path.join(states, `${sls}.sls`), text);
    const etc = path.join(dir, 'etc');
    fs.mkdirSync(etc, { recursive: true });
    fs.writeFileSync(path.join(etc, 'minion'), `id: m1\nfile_roots: {base: [${states}]}\npillar_roots: {base: [${path.join(dir, 'pillars')}]}\ncachedir: ${path.join(dir, 'cache')}\n${extraConfig}`);
    const r = spawnSync(process.execPath, [BRINE, 'call', '--local', '-c', etc, 'state.apply', sls, ...args, '--out', 'json'], {
      encoding: 'utf8',
      env: { ...process.env, PATH: shims.path, NO_COLOR: '1' },
      timeout: 60_000,
    });
    return { status: r.status, stdout: r.stdout, out: r.stdout + r.stderr };
  }

  /** One state per name: `<fun>` with `- name: <name>` (YAML double-quoted, every character kept). */
  function statesFor(fun: string, names: string[], extra = ''): string {
    return names.map((n, i) => `${fun.replace('.', '-')}-${i}:\n  ${fun}:\n    - name: ${JSON.stringify(n)}\n${extra}`).join('');
  }

  /** Every call of `tools`: no argument is a fragment of a hostile name (no shell splitting happened). */
  function assertWholeArguments(tools: Set<string>, hostile: string[]): void {
    for (const call of shims.calls().filter((c) => tools.has(c[0]))) {
      for (const arg of call.slice(1)) {
        const related = hostile.filter((h) => arg.includes('touch') && h.includes('touch'));
        if (related.length) assert.ok(hostile.some((h) => arg === h || arg === `${h}.service` || arg.startsWith(`${h}=`)), `${call[0]} got a piece of a hostile name: ${JSON.stringify(call)}`);
      }
    }
  }

  /** Every call of `tools`: a hostile name that starts with `-` only ever comes after `--`. */
  function assertNoOptions(tools: Set<string>, hostile: string[]): void {
    for (const call of shims.calls().filter((c) => tools.has(c[0]))) {
      const endOfOptions = call.indexOf('--');
      call.forEach((arg, i) => {
        const injected = hostile.some((h) => h.startsWith('-') && (arg === h || arg.startsWith(`${h}.`) || arg.startsWith(`${h}=`)));
        assert.ok(!injected || (endOfOptions > 0 && endOfOptions < i), `${call[0]} took the name ${JSON.stringify(arg)} as an option: ${JSON.stringify(call)}`);
      });
    }
  }

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-sec-args-'));
    marker = path.join(dir, 'PWNED');
    fs.mkdirSync(path.join(dir, 'pillars'));
    fs.writeFileSync(path.join(dir, 'pillars', 'top.sls'), "base:\n  '*': []\n");
    shims = new ArgvShims({ inert: ['apt-get', 'apt-mark', 'systemctl', 'systemd-run', 'service', 'update-rc.d'], passThrough: ['apt-cache', 'dpkg', 'dpkg-query'] });
  });
  beforeEach(() => shims.reset());
  after(() => {
    shims?.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('pkg', () => {
    // every state reads the whole dpkg database: few states, each with many names
    const pkgSls = () =>
      statesFor('pkg.installed', [optionNames()[0], optionNames()[1], commandNames()[0], commandNames()[3]]) +
      statesFor('pkg.latest', [optionNames()[1], commandNames()[1]]) +
      `removed:\n  pkg.removed:\n    - pkgs: ${JSON.stringify([...optionNames(), ...commandNames()])}\n` +
      `many:\n  pkg.installed:\n    - pkgs: ${JSON.stringify([...optionNames(), ...commandNames()])}\n`;

    it('runs no command hidden in a package name, in test mode or for real', () => {
      for (const args of [['test=True'], []]) {
        shims.reset();
        const r = apply('pkgs', pkgSls(), args);
        assert.notEqual(r.status, 0, r.out);
        assert.equal(fs.existsSync(marker), false, `a command ran (${args.join(' ') || 'for real'})`);
        assert.ok(shims.calls().some((c) => c[0] === 'dpkg-query'), 'the package database was not read through the shims');
        assertWholeArguments(PKG_TOOLS, [...optionNames(), ...commandNames()]);
      }
    });

    // HOLE: minion/backends/apt (operations.ts installPackages, facts.ts candidates) put package
    // names after apt's options with no `--` and no check that a Debian package name starts with a
    // letter or digit: pkg.installed name='-oDPkg::Pre-Invoke::=touch /tmp/pwned' (with any real
    // package in `pkgs` so dpkg runs) makes apt-get run the hook as root; pkg.latest passes the name
    // to `apt-cache -q policy`. Reproduce: this test with it.skip -> it (apt-get is a recording shim).
    it('never hands a package name to apt as an option', () => {
      for (const args of [['test=True'], []]) {
        shims.reset();
        apply('pkgs', pkgSls(), args);
        assertNoOptions(PKG_TOOLS, optionNames());
      }
    });
  });

  describe('service', () => {
    const serviceSls = () =>
      statesFor('service.running', [...optionNames(), ...commandNames()]) +
      statesFor('service.dead', [...optionNames(), ...commandNames()]) +
      statesFor('service.enabled', [...optionNames(), ...commandNames()]);

    it('runs no command hidden in a service name, with the sysvinit and the systemd backend', () => {
      for (const provider of ['sysvinit', 'systemd']) {
        for (const args of [['test=True'], []]) {
          shims.reset();
          apply('services', serviceSls(), args, `providers: {service: ${provider}}\n`);
          assert.equal(fs.existsSync(marker), false, `a command ran (${provider} ${args.join(' ') || 'for real'})`);
          assertWholeArguments(SERVICE_TOOLS, [...optionNames(), ...commandNames()]);
        }
      }
    });

    // HOLE: minion/backends/systemd/commands.ts systemctlCommand passes the unit name after the
    // action with no `--` and nothing refuses a name starting with `-`: service.running
    // name='-H root@evil' runs `systemctl status '-H root@evil.service' -n 0` (systemctl then talks to
    // another host over ssh); '--root=/tmp' and '--help' become options the same way.
    // Reproduce: this test with it.skip -> it (systemctl is a recording shim).
    it('never hands a service name to systemctl or service as an option', () => {
      for (const provider of ['sysvinit', 'systemd']) {
        shims.reset();
        apply('services', serviceSls(), [], `providers: {service: ${provider}}\n`);
        assertNoOptions(SERVICE_TOOLS, optionNames());
      }
    });
  });

  describe('sysctl', () => {
    it('runs nothing for key names with shell metacharacters or a leading -', () => {
      const sls = statesFor('sysctl.present', [...optionNames(), ...commandNames(), 'kernel.x; touch MARKER', 'kernel/../../../tmp/x'], '    - value: 1\n');
      for (const args of [['test=True'], []]) {
        shims.reset();
        const r = apply('keys', sls.replace(/MARKER/g, marker), args);
        assert.notEqual(r.status, 0, r.out);
        const results = Object.values((JSON.parse(r.stdout) as { local: Record<string, { result: boolean; comment: string }> }).local);
        assert.equal(results.length, optionNames().length + commandNames().length + 2);
        for (const x of results) assert.equal(x.result, false, x.comment);
        assert.equal(fs.existsSync(marker), false);
        assert.deepEqual(shims.calls().filter((c) => c[0] !== 'systemctl'), []);
      }
    });

    it('refuses a key name with a newline, over a fake /proc/sys', async () => {
      const fake = path.join(dir, 'fake-sysctl');
      fs.mkdirSync(path.join(fake, 'proc', 'kernel'), { recursive: true });
      fs.writeFileSync(path.join(fake, 'proc', 'kernel', 'domainname'), '(none)\n');
      const present = createSysctlModule({ procSys: path.join(fake, 'proc'), defaultConfig: () => path.join(fake, 'default.conf') }).functions.present;
      const conf = path.join(fake, 'sysctl.conf');
      const r = await runState(present, 'kernel.domainname\nkernel.core_pattern', { value: '|/tmp/evil', config: conf }, makeStateContext());
      assert.equal(r.result, false, r.comment);
      assert.equal(fs.existsSync(conf), false);
    });

    // HOLE: minion/backends/sysctl/operations.ts persistConfig writes `${name} = ${value}` with the
    // value as given: sysctl.present name=kernel.domainname value="x\nkernel.core_pattern = |/tmp/evil"
    // (kernel.domainname takes any string, so the kernel accepts it) persists a second line into
    // /etc/sysctl.d/99-salt.conf, and at the next boot (or `sysctl --system`) the kernel runs
    // /tmp/evil as root on every crash. A value with a newline must be refused (or never reach the
    // file). Reproduce: this test with it.skip -> it (a fake /proc/sys and config file are used).
    it('never lets a value with a newline add another setting to the sysctl config file', async () => {
      const fake = path.join(dir, 'fake-sysctl-2');
      fs.mkdirSync(path.join(fake, 'proc', 'kernel'), { recursive: true });
      fs.writeFileSync(path.join(fake, 'proc', 'kernel', 'domainname'), '(none)\n');
      const present = createSysctlModule({ procSys: path.join(fake, 'proc'), defaultConfig: () => path.join(fake, 'default.conf') }).functions.present;
      const conf = path.join(fake, 'sysctl.conf');
      await runState(present, 'kernel.domainname', { value: 'x\nkernel.core_pattern = |/tmp/evil', config: conf }, makeStateContext());
      const lines = fs.existsSync(conf) ? fs.readFileSync(conf, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')) : [];
      for (const l of lines) assert.match(l, /^kernel\.domainname = /, `the config file got another setting: ${JSON.stringify(l)}`);
    });
  });
});
