/**
 * The lab's pure parts: reading apt sources (both formats), the address plan taken from the
 * example pillar, the controllers' /etc/hosts and minion config, the launcher's argv.
 * (The lab itself, `npm run lab -- up`, needs root and the network: it is not part of npm test.)
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hostAptSources, mainSource, mirrorEndpoints, parseDeb822Sources, parseOneLineSources, sourcesList } from '../lab/mirror';
import { BRIDGE_NETNS, labPlan } from '../lab/plan';
import { hostsFile, minionConfig, minionUnit, sysvinitScript } from '../lab/rootfs';
import { DROPPED_CAPS, LAUNCH_SCRIPT, launchArgv } from '../lab/launcher';
import { labLayout } from '../lab/layout';

const PROJECT = path.resolve(__dirname, '..', '..', '..');

describe('lab: apt sources', () => {
  it('reads deb822 stanzas, skipping deb-src, disabled stanzas and comments', () => {
    const text = [
      'Types: deb',
      '# a comment',
      'URIs: http://mirror.invalid/debian',
      'Suites: bookworm bookworm-updates',
      'Components: main contrib',
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
      '',
      'Types: deb-src',
      'URIs: http://mirror.invalid/debian',
      'Suites: bookworm',
      'Components: main',
      '',
      'Types: deb',
      'URIs: http://other.invalid/debian',
      'Suites: bookworm',
      'Components: main',
      'Enabled: no',
    ].join('\n');
    const s = parseDeb822Sources(text);
    assert.equal(s.length, 1);
    assert.deepEqual(s[0], {
      uri: 'http://mirror.invalid/debian',
      scheme: 'http',
      host: 'mirror.invalid',
      port: 80,
      suites: ['bookworm', 'bookworm-updates'],
      components: ['main', 'contrib'],
      signedBy: '/usr/share/keyrings/debian-archive-keyring.gpg',
    });
  });

  it('reads one-line sources with options and a port', () => {
    const s = parseOneLineSources('deb [arch=amd64 signed-by=/k.gpg] https://m.invalid:8443/debian/ bookworm main # x\ndeb-src http://m.invalid/debian bookworm main\n');
    assert.equal(s.length, 1);
    assert.equal(s[0]?.uri, 'https://m.invalid:8443/debian');
    assert.equal(s[0]?.port, 8443);
    assert.equal(s[0]?.signedBy, '/k.gpg');
  });

  it('keeps the release\'s suites, finds the main source, one relay per host and port, writes sources.list', () => {
    const etc = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-apt-'));
    fs.mkdirSync(path.join(etc, 'sources.list.d'));
    fs.writeFileSync(path.join(etc, 'sources.list.d', 'debian.sources'), 'Types: deb\nURIs: http://a.invalid/debian\nSuites: bookworm bookworm-updates trixie\nComponents: main\n\nTypes: deb\nURIs: http://a.invalid/debian-security\nSuites: bookworm-security\nComponents: main\n');
    fs.writeFileSync(path.join(etc, 'sources.list.d', 'other.list.disabled'), 'deb http://b.invalid/x bookworm main\n');
    fs.writeFileSync(path.join(etc, 'sources.list.d', 'third.list'), 'deb http://c.invalid/x nodistro main\n');
    const s = hostAptSources('bookworm', etc);
    assert.deepEqual(s.map((x) => [x.uri, x.suites]), [
      ['http://a.invalid/debian', ['bookworm', 'bookworm-updates']],
      ['http://a.invalid/debian-security', ['bookworm-security']],
    ]);
    assert.equal(mainSource(s, 'bookworm')?.uri, 'http://a.invalid/debian');
    assert.deepEqual(mirrorEndpoints(s), [{ host: 'a.invalid', port: 80 }]);
    assert.equal(
      sourcesList(s).split('\n').slice(1).join('\n'),
      'deb http://a.invalid/debian bookworm main\ndeb http://a.invalid/debian bookworm-updates main\ndeb http://a.invalid/debian-security bookworm-security main\n',
    );
    fs.rmSync(etc, { recursive: true, force: true });
  });
});

describe('lab: plan and controller files', () => {
  const plan = labPlan(PROJECT);

  it('takes the networks and host addresses from pillars/network.sls, srv first', () => {
    assert.deepEqual(plan.networks.map((n) => [n.name, n.bridge, n.bridgeAddress]), [
      ['srv', 'br-srv', '10.0.0.254'],
      ['api', 'br-api', '10.0.1.254'],
      ['data', 'br-data', '10.0.2.254'],
    ]);
    assert.deepEqual(plan.controllers.map((c) => [c.name, c.id, c.netns, c.address]), [
      ['ctrl-1', 'ctrl-1.lab', 'brine-lab-ctrl-1', '10.0.0.11'],
      ['ctrl-2', 'ctrl-2.lab', 'brine-lab-ctrl-2', '10.0.0.12'],
      ['ctrl-3', 'ctrl-3.lab', 'brine-lab-ctrl-3', '10.0.0.13'],
    ]);
    assert.deepEqual(plan.controllers[1]?.interfaces.map((i) => [i.iface, i.peer, i.address]), [
      ['eth0', 'ctrl-2-srv', '10.0.0.12'],
      ['eth1', 'ctrl-2-api', '10.0.1.12'],
      ['eth2', 'ctrl-2-data', '10.0.2.12'],
    ]);
    assert.equal(plan.natsUrl, 'nats://10.0.0.254:4222');
    assert.equal(plan.relayAddress(0), '10.0.0.253');
    assert.ok(BRIDGE_NETNS.startsWith('brine-lab-'));
  });

  it('names the three controllers and the mirror in /etc/hosts', () => {
    const hosts = hostsFile(plan, [{ host: 'mirror.invalid', address: '10.0.0.253' }]);
    assert.match(hosts, /^10\.0\.0\.11\tctrl-1\.lab ctrl-1$/m);
    assert.match(hosts, /^10\.0\.0\.13\tctrl-3\.lab ctrl-3$/m);
    assert.match(hosts, /^10\.0\.0\.253\tmirror\.invalid$/m);
  });

  it('gives each minion its id, the host grain and the master on the bridge side', () => {
    const c = plan.controllers[2]!;
    assert.deepEqual(JSON.parse(minionConfig(plan, c)), { id: 'ctrl-3.lab', master: 'nats://10.0.0.254:4222', acceptance_wait_time: 1, grains: { host: 'ctrl-3' } });
    assert.match(minionUnit('/p'), /^ExecStart=\/usr\/local\/bin\/node \/p\/bin\/brine minion -c \/etc\/brine -l info$/m);
    assert.match(sysvinitScript('/p'), /\/usr\/local\/bin\/node \/p\/bin\/brine minion -c \/etc\/brine -l info >> \/var\/log\/brine-minion\.log/);
  });

  it('passes every value to the launcher as an argument, never inside its script', () => {
    const layout = labLayout('/tmp/lab-x');
    const argv = launchArgv({
      name: 'ctrl-1',
      netns: 'brine-lab-ctrl-1',
      cgroup: '/sys/fs/cgroup/systemd/brine-lab/ctrl-1',
      lower: layout.base,
      paths: layout.controller('ctrl-1'),
      archives: layout.archives,
      init: 'systemd',
      nodeBinary: '/usr/bin/node',
      readOnlyBinds: ['/p', '/q'],
    });
    assert.ok(argv.includes(LAUNCH_SCRIPT));
    assert.ok(!LAUNCH_SCRIPT.includes('/tmp/lab-x') && !LAUNCH_SCRIPT.includes('ctrl-1'));
    assert.deepEqual(argv.slice(-3), ['-sys_module,-sys_rawio,-sys_time,-wake_alarm,-syslog,-sys_pacct,-mknod,-dac_read_search,-mac_admin,-mac_override,-block_suspend,-audit_control,-audit_read,-bpf,-perfmon,-sys_boot', '/p', '/q']);
    assert.ok(DROPPED_CAPS.includes('sys_time') && DROPPED_CAPS.includes('sys_module'));
    assert.ok(argv.includes('--net=/run/netns/brine-lab-ctrl-1'));
  });
});
