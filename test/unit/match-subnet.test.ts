import * as assert from 'node:assert/strict';
import { ValidationError } from '../../common/errors';
import { matchMinion, validateTarget, type MinionFacts } from '../../common/match/index';
import { parseIpAddress, parseIpNetwork } from '../../common/match/ip';

const ctrl1: MinionFacts = {
  id: 'ctrl-1.lab',
  grains: {
    ipv4: ['127.0.0.1', '10.0.0.11', '192.168.122.11'],
    ipv6: ['::1', 'FE80::5054:FF:FE12:3456'],
  },
  pillar: {},
};
const v4only: MinionFacts = { id: 'db-1.lab', grains: { ipv4: ['10.0.1.5'] }, pillar: {} };

describe('match: ipcidr (S@)', () => {
  it('matches a network against every address of the ipv4 grain', () => {
    assert.equal(matchMinion('10.0.0.0/24', 'ipcidr', ctrl1), true);
    assert.equal(matchMinion('10.0.1.0/24', 'ipcidr', ctrl1), false);
    assert.equal(matchMinion('10.0.0.0/255.255.255.0', 'ipcidr', ctrl1), true);
    assert.equal(matchMinion('10.0.0.0/0.0.0.255', 'ipcidr', ctrl1), true);
    assert.equal(matchMinion('0.0.0.0/0', 'ipcidr', ctrl1), true);
    assert.equal(matchMinion('10.0.0.0/8', 'ipcidr', v4only), true);
  });

  it('matches a single address only when the grain lists it', () => {
    assert.equal(matchMinion('10.0.0.11', 'ipcidr', ctrl1), true);
    assert.equal(matchMinion('10.0.0.12', 'ipcidr', ctrl1), false);
  });

  it('uses the ipv6 grain for IPv6 targets, whatever the spelling of its entries', () => {
    assert.equal(matchMinion('fe80::/64', 'ipcidr', ctrl1), true);
    assert.equal(matchMinion('fe80::5054:ff:fe12:3456', 'ipcidr', ctrl1), true);
    assert.equal(matchMinion('2001:db8::/32', 'ipcidr', ctrl1), false);
    assert.equal(matchMinion('::/0', 'ipcidr', v4only), false);
  });

  it('skips grain entries that are not addresses', () => {
    const odd: MinionFacts = { id: 'x', grains: { ipv4: ['garbage', '10.0.0.7'] }, pillar: {} };
    assert.equal(matchMinion('10.0.0.0/24', 'ipcidr', odd), true);
  });

  it('refuses what Python ipaddress refuses', () => {
    const reason = (expr: string): string => {
      try {
        validateTarget(expr, 'ipcidr');
      } catch (e) {
        assert.ok(e instanceof ValidationError);
        return e.message;
      }
      return 'accepted';
    };
    assert.equal(reason('10.0.0.1/24'), 'invalid IP/CIDR target: 10.0.0.1/24 has host bits set');
    assert.equal(reason('10.0.0.256'), "invalid IP/CIDR target: '10.0.0.256' does not appear to be an IPv4 or IPv6 network");
    assert.equal(reason('010.0.0.1'), "invalid IP/CIDR target: '010.0.0.1' does not appear to be an IPv4 or IPv6 network");
    assert.equal(reason('10.0.0.0/33'), "invalid IP/CIDR target: '10.0.0.0/33' does not appear to be an IPv4 or IPv6 network");
    assert.equal(reason('ctrl-1'), "invalid IP/CIDR target: 'ctrl-1' does not appear to be an IPv4 or IPv6 network");
    assert.equal(reason('fe80::/64'), 'accepted');
  });
});

describe('match: IP parsing (Python ipaddress)', () => {
  it('parses addresses', () => {
    assert.deepEqual(parseIpAddress('10.0.0.1'), { version: 4, value: 0x0a000001n });
    assert.deepEqual(parseIpAddress('::ffff:1.2.3.4'), { version: 6, value: 0xffff01020304n });
    assert.deepEqual(parseIpAddress('fe80::1%eth0'), { version: 6, value: 0xfe800000000000000000000000000001n, scope: 'eth0' });
    assert.equal(parseIpAddress('1::2::3'), null);
    assert.equal(parseIpAddress('1:2:3:4:5:6:7:8:9'), null);
    assert.equal(parseIpAddress(':1:2:3:4:5:6:7'), null);
    assert.equal(parseIpAddress('12345::'), null);
  });

  it('parses networks as prefix, netmask or hostmask', () => {
    assert.deepEqual(parseIpNetwork('192.168.0.0/16'), { version: 4, network: 0xc0a80000n, prefix: 16 });
    assert.deepEqual(parseIpNetwork('192.168.0.0/255.255.0.0'), { version: 4, network: 0xc0a80000n, prefix: 16 });
    assert.deepEqual(parseIpNetwork('192.168.0.0/0.0.255.255'), { version: 4, network: 0xc0a80000n, prefix: 16 });
    assert.deepEqual(parseIpNetwork('10.0.0.7'), { version: 4, network: 0x0a000007n, prefix: 32 });
    assert.deepEqual(parseIpNetwork('2001:db8::/32'), { version: 6, network: 0x20010db8n << 96n, prefix: 32 });
    assert.deepEqual(parseIpNetwork('10.0.0.0/255.0.255.0'), {
      error: "'10.0.0.0/255.0.255.0' does not appear to be an IPv4 or IPv6 network",
    });
  });
});
