/**
 * Issue 3's "done when": `brine call --local state.apply` of an SLS in the style of seeds/004's
 * ha/deploy (packages, templated config files with mode 0440 from pillar, sysctl, a service
 * watching its config) converges this machine, a network namespace of it for sysctl, and a
 * second run reports no changes; a changed pillar value restarts the service.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TempTree } from '../helpers/tree';
import { acquireSuiteLock, aptUnavailable, ensureAptLists, installedVersion, releaseSuiteLock } from './pkg-support';
import { TestDaemon } from './service-fixture';

const BRINE = path.resolve(__dirname, '..', '..', '..', 'bin', 'brine');
const PKG = 'sl';

interface Ret {
  result: boolean | null;
  changes: Record<string, unknown>;
  comment: string;
}

describe('converging an ha/deploy-style SLS on this machine', function () {
  this.timeout(600000);
  const netns = `brine-conv-${process.pid}`;
  let tree: TempTree;
  let daemon: TestDaemon;
  let pkgWasInstalled = false;
  let skipReason: string | undefined;

  before(async function () {
    skipReason = aptUnavailable();
    if (!skipReason && spawnSync('ip', ['netns', 'add', netns]).status !== 0) skipReason = 'cannot create a network namespace';
    if (skipReason) {
      this.skip();
      return;
    }
    await acquireSuiteLock();
    await ensureAptLists();
    pkgWasInstalled = installedVersion(PKG) !== '';
    tree = new TempTree('brine-converge-');
    daemon = new TestDaemon(`brine-conv-${process.pid}`).install('nothing yet\n');
    const authkey = path.join(tree.work, 'corosync', 'authkey');
    tree
      .pillar('top.sls', "base:\n  '*':\n    - ha\n")
      .pillar('ha.sls', 'corosync-authkey: first-secret\nha:\n  port: 5405\n')
      .state('ha/files/daemon.conf', 'port {{ pillar["ha"]["port"] }}\nhost {{ grains["host"] }}\n')
      .state(
        'ha/deploy.sls',
        `{% for p in ['${PKG}'] %}\n{{p}} pkg:\n  pkg.installed:\n    - name: {{p}}\n{% endfor %}\n\n` +
          `${authkey}:\n  file.managed:\n    - contents_pillar: corosync-authkey\n    - mode: 0440\n    - makedirs: True\n\n` +
          `${daemon.conf}:\n  file.managed:\n    - source: salt://ha/files/daemon.conf\n    - template: jinja\n\n` +
          `net.ipv4.ip_nonlocal_bind:\n  sysctl.present:\n    - value: 1\n    - config: ${path.join(tree.work, 'sysctl.conf')}\n\n` +
          `${daemon.name}:\n  service.running:\n    - enable: true\n    - watch:\n      - file: ${authkey}\n      - file: ${daemon.conf}\n`,
      );
  });

  after(() => {
    if (skipReason) return;
    daemon?.cleanup();
    if (!pkgWasInstalled) spawnSync('apt-get', ['-q', '-y', 'purge', PKG], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    spawnSync('ip', ['netns', 'del', netns]);
    tree?.cleanup();
    releaseSuiteLock();
  });

  function apply(...extra: string[]): { status: number | null; results: Record<string, Ret>; raw: string } {
    const r = spawnSync(
      'ip',
      ['netns', 'exec', netns, process.execPath, BRINE, 'call', '--local', '-c', tree.configDir(), 'state.apply', 'ha.deploy', '--out', 'json', ...extra],
      { encoding: 'utf8' },
    );
    let results: Record<string, Ret> = {};
    try {
      results = JSON.parse(r.stdout).local;
    } catch {
      throw new Error(`not JSON (status ${r.status}): ${r.stdout}\n${r.stderr}`);
    }
    return { status: r.status, results, raw: r.stdout };
  }

  it('the first run converges everything', () => {
    const hostValue = fs.readFileSync('/proc/sys/net/ipv4/ip_nonlocal_bind', 'utf8');
    const first = apply();
    assert.equal(first.status, 0, first.raw);
    for (const [key, ret] of Object.entries(first.results)) assert.equal(ret.result, true, `${key}: ${ret.comment}`);
    assert.equal(Object.keys(first.results).length, 5);
    const authkey = path.join(tree.work, 'corosync', 'authkey');
    assert.equal(fs.readFileSync(authkey, 'utf8'), 'first-secret\n');
    assert.equal(fs.statSync(authkey).mode & 0o777, 0o440);
    assert.equal(fs.readFileSync(daemon.conf, 'utf8'), 'port 5405\nhost testminion\n');
    assert.notEqual(installedVersion(PKG), '');
    assert.ok(daemon.pid(), 'the service runs');
    assert.ok(daemon.rcLinks().some((l) => l.startsWith('rc2.d/S')), 'the service is enabled');
    assert.match(fs.readFileSync(path.join(tree.work, 'sysctl.conf'), 'utf8'), /^net\.ipv4\.ip_nonlocal_bind = 1$/m);
    const inNs = spawnSync('ip', ['netns', 'exec', netns, 'cat', '/proc/sys/net/ipv4/ip_nonlocal_bind'], { encoding: 'utf8' });
    assert.equal(inNs.stdout.trim(), '1');
    assert.equal(fs.readFileSync('/proc/sys/net/ipv4/ip_nonlocal_bind', 'utf8'), hostValue, "the host's value is untouched");
  });

  it('a second run reports no changes and keeps the daemon', () => {
    const pid = daemon.pid();
    const second = apply();
    assert.equal(second.status, 0, second.raw);
    for (const [key, ret] of Object.entries(second.results)) {
      assert.equal(ret.result, true, `${key}: ${ret.comment}`);
      assert.deepEqual(ret.changes, {}, `${key} changed on the second run: ${JSON.stringify(ret.changes)}`);
    }
    assert.equal(daemon.pid(), pid);
  });

  it('a new secret in pillar rewrites the key file and restarts the watching service', () => {
    const pid = daemon.pid();
    const third = apply('pillar={"corosync-authkey": "second-secret"}');
    assert.equal(third.status, 0, third.raw);
    const svc = Object.entries(third.results).find(([k]) => k.startsWith('service_|-'))![1];
    assert.deepEqual(svc.changes, { [daemon.name]: true });
    assert.equal(svc.comment, 'Service restarted');
    assert.notEqual(daemon.pid(), pid);
    assert.equal(fs.readFileSync(path.join(tree.work, 'corosync', 'authkey'), 'utf8'), 'second-secret\n');
  });
});
