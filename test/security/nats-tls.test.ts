/**
 * TLS on the bus (`nats.tls` on the master, `master_tls_ca` on minions): the master makes a
 * private CA and a server certificate for its names, every client speaks TLS and checks the
 * server against that CA; a client that does not trust it, or speaks plain text, gets nothing.
 */
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { ensureBusTls, subjectAltNames } from '../../master/nats/tls-files';
import { Fleet } from '../helpers/fleet';

/** What a plain-text client gets from the port: the INFO line, then the answer to a plain CONNECT. */
function plainTalk(port: number): Promise<string> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let text = '';
    sock.on('data', (d) => {
      text += d.toString('latin1');
      if (text.includes('\r\n') && !text.includes('CONNECT-SENT')) {
        sock.write('CONNECT {"verbose":false}\r\nPING\r\n');
        text += 'CONNECT-SENT\n';
      }
    });
    const done = () => resolve(text);
    sock.on('close', done);
    sock.on('error', done);
    setTimeout(() => sock.destroy(), 3000);
  });
}

describe('security: TLS on the bus', function () {
  this.timeout(120_000);
  let fleet: Fleet;
  const ids = ['ctrl-1.lab', 'ctrl-2.lab'];

  before(async () => {
    fleet = new Fleet('auto_accept: True');
    fleet.tls = true;
    await fleet.startMaster();
    for (const id of ids) fleet.startMinion(id, {});
    await fleet.waitReady(ids);
  });

  after(async () => {
    if (fleet) await fleet.cleanup();
  });

  it('runs jobs with every connection over TLS checked against the master CA', () => {
    const r = fleet.cli('run', '*', 'test.ping');
    assert.equal(r.status, 0, r.stderr);
    for (const id of ids) assert.match(r.stdout, new RegExp(`^${id.replace('.', '\\.')}:\n    True$`, 'm'));
    assert.match(r.stdout, /# of minions returned: 2\n/);
    const dir = path.dirname(fleet.tlsCaFile);
    const ca = new crypto.X509Certificate(fs.readFileSync(fleet.tlsCaFile));
    const server = new crypto.X509Certificate(fs.readFileSync(path.join(dir, 'server.pem')));
    assert.ok(ca.ca);
    assert.ok(server.verify(ca.publicKey), 'the server certificate is signed by the CA');
    assert.match(server.subjectAltName ?? '', /DNS:localhost/);
    assert.match(server.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    for (const key of ['ca.key', 'server.key']) assert.equal(fs.statSync(path.join(dir, key)).mode & 0o777, 0o600, key);
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
  });

  it('gives nothing to a client speaking plain text', async () => {
    const port = Number(new URL(fleet.url).port);
    const talk = await plainTalk(port);
    assert.match(talk, /"tls_required":true/);
    assert.doesNotMatch(talk, /PONG/);
  });

  it('refuses to let a client connect without trusting the CA', async () => {
    await assert.rejects(connect({ servers: fleet.url, timeout: 3000 }), /certificate|self.signed|TLS|unable to verify/i);
    const other = ensureBusTls(fs.mkdtempSync(path.join(os.tmpdir(), 'brine-other-ca-')), []);
    await assert.rejects(connect({ servers: fleet.url, timeout: 3000, tls: { caFile: other.caFile } }), /certificate|signature|TLS|unable to verify/i);
  });

  it('keeps the CA across restarts and makes a new server certificate when a name is added', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-tls-'));
    const first = ensureBusTls(dir, ['master.lab']);
    assert.deepEqual(first.made.map((f) => path.basename(f)), ['ca.pem', 'server.pem']);
    const caBefore = fs.readFileSync(first.caFile, 'utf8');
    assert.deepEqual(ensureBusTls(dir, ['master.lab']).made, []);
    const grown = ensureBusTls(dir, ['master.lab', '10.0.0.5']);
    assert.deepEqual(grown.made.map((f) => path.basename(f)), ['server.pem']);
    assert.equal(fs.readFileSync(grown.caFile, 'utf8'), caBefore);
    assert.match(new crypto.X509Certificate(fs.readFileSync(grown.certFile)).subjectAltName ?? '', /IP Address:10\.0\.0\.5/);
    assert.throws(() => subjectAltNames(['bad name\nsubjectAltName=DNS:evil']), /neither a host name nor an IP address/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
