/** Address, name and resolver grains from sample data (Salt's shapes and orderings). */
import * as assert from 'node:assert/strict';
import { parseResolv } from '../../minion/grains/dns';
import { nameGrainsFrom, parseHosts } from '../../minion/grains/hostname';
import { addressGrainsFrom, sortAddresses, type InterfaceAddresses } from '../../minion/grains/network';

describe('grains: addresses', () => {
  it('sorts addresses numerically, as Python ipaddress objects sort', () => {
    assert.deepEqual(sortAddresses(['192.168.1.10', '10.0.0.2', '9.9.9.9', '127.0.0.1', '10.0.0.2'], 4), ['9.9.9.9', '10.0.0.2', '127.0.0.1', '192.168.1.10']);
    assert.deepEqual(sortAddresses(['fe80::1', '::1', 'fd00::2', '2001:db8::10', '2001:db8::9'], 6), ['::1', '2001:db8::9', '2001:db8::10', 'fd00::2', 'fe80::1']);
  });

  it('lists every interface, addresses per family, secondaries last, hardware addresses', () => {
    const ifaces = new Map<string, InterfaceAddresses>([
      ['lo', { inet: ['127.0.0.1'], inet6: ['::1'], secondary: [], hwaddr: '00:00:00:00:00:00' }],
      ['eth0', { inet: ['192.0.2.10'], inet6: ['fe80::1'], secondary: [{ family: 4, address: '192.0.2.99' }], hwaddr: '52:54:00:12:34:56' }],
      ['eth1', { inet: [], inet6: [], secondary: [], hwaddr: '52:54:00:12:34:57' }],
      ['tun0', { inet: ['10.8.0.1'], inet6: [], secondary: [] }],
    ]);
    assert.deepEqual(addressGrainsFrom(ifaces), {
      ipv4: ['10.8.0.1', '127.0.0.1', '192.0.2.10', '192.0.2.99'],
      ipv6: ['::1', 'fe80::1'],
      ip_interfaces: { lo: ['127.0.0.1', '::1'], eth0: ['192.0.2.10', 'fe80::1', '192.0.2.99'], eth1: [], tun0: ['10.8.0.1'] },
      ip4_interfaces: { lo: ['127.0.0.1'], eth0: ['192.0.2.10', '192.0.2.99'], eth1: [], tun0: ['10.8.0.1'] },
      ip6_interfaces: { lo: ['::1'], eth0: ['fe80::1'], eth1: [], tun0: [] },
      hwaddr_interfaces: { lo: '00:00:00:00:00:00', eth0: '52:54:00:12:34:56', eth1: '52:54:00:12:34:57' },
    });
  });
});

describe('grains: names from /etc/hosts', () => {
  const hosts = parseHosts(
    ['127.0.0.1\tlocalhost', '127.0.1.1\tctrl-1.cloud.example.org ctrl-1  # this host', '::1 localhost ip6-localhost', '2001:db8::11 ctrl-1.cloud.example.org', '', '# 10.0.0.1 ctrl-1'].join('\n'),
  );

  it('parses entries, ignoring comments and blank lines', () => {
    assert.deepEqual(hosts[1], { address: '127.0.1.1', names: ['ctrl-1.cloud.example.org', 'ctrl-1'] });
    assert.equal(hosts.length, 4);
  });

  it('the canonical name of the line naming the host is the fqdn', () => {
    assert.deepEqual(nameGrainsFrom('ctrl-1', hosts, true, true), {
      localhost: 'ctrl-1',
      fqdn: 'ctrl-1.cloud.example.org',
      host: 'ctrl-1',
      domain: 'cloud.example.org',
      fqdn_ip4: ['127.0.1.1'],
      fqdn_ip6: ['2001:db8::11'],
    });
  });

  it('no addresses of a family means an empty fqdn_ip list, as in Salt', () => {
    assert.deepEqual(nameGrainsFrom('ctrl-1', hosts, true, false).fqdn_ip6, []);
  });

  it('a host /etc/hosts does not know is its own fqdn', () => {
    assert.deepEqual(nameGrainsFrom('web2.example.net', hosts, true, true), {
      localhost: 'web2.example.net',
      fqdn: 'web2.example.net',
      host: 'web2',
      domain: 'example.net',
      fqdn_ip4: [],
      fqdn_ip6: [],
    });
  });
});

describe('grains: dns (resolv.conf)', () => {
  it("parses resolv.conf into Salt's shape", () => {
    const text = [
      '# generated',
      'nameserver 10.0.0.2 # primary',
      'nameserver 2001:0DB8:0000:0000:0000:0000:0000:0053',
      'nameserver 10.0.0.2',
      'nameserver not-an-ip',
      'nameserver 010.0.0.3',
      'domain example.org',
      'search cloud.example.org example.org ; trailing',
      'sortlist 130.155.160.0/255.255.240.0 130.155.0.0 10.1.2.3/8',
      'options ndots:2 timeout:1',
      'options rotate',
      'options ndots:2',
      '',
    ].join('\n');
    assert.deepEqual(parseResolv(text), {
      nameservers: ['10.0.0.2', '2001:db8::53'],
      ip4_nameservers: ['10.0.0.2'],
      ip6_nameservers: ['2001:db8::53'],
      sortlist: ['130.155.160.0/255.255.240.0', '130.155.0.0/255.255.0.0'],
      domain: 'example.org',
      search: ['cloud.example.org', 'example.org'],
      options: ['ndots:2', 'rotate'],
    });
  });

  it('an empty file gives empty lists', () => {
    assert.deepEqual(parseResolv(''), { nameservers: [], ip4_nameservers: [], ip6_nameservers: [], sortlist: [], domain: '', search: [], options: [] });
  });
});
