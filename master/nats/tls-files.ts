/**
 * The certificates of the master's bus when its connections leave the host: a private CA
 * (made once, its certificate is what minions trust) and a server certificate signed by it for
 * the names minions use to reach the master (plus localhost and 127.0.0.1 for the master and
 * the CLI). Made with Debian's `openssl` command; the server certificate is made again when a
 * name is added or it comes close to expiry. Keys are 0600 in a 0700 directory.
 */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensurePrivateDir } from '../../common/wire/files';
import { NatsServerStartError } from './errors';

/** The files the server and its clients use. */
export interface BusTlsFiles {
  /** The CA certificate minions and the CLI trust (`master_tls_ca` on minions). */
  caFile: string;
  /** The server's certificate chain and key. */
  certFile: string;
  keyFile: string;
}

/** Names every certificate carries: the master and the CLI connect over loopback. */
const ALWAYS = ['localhost', '127.0.0.1'];
/** A server certificate expiring within this is made again. */
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9*](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*$/;

/** The subjectAltName entries for `names`; throws on a name that is neither a host name nor an address. */
export function subjectAltNames(names: readonly string[]): string[] {
  return [...new Set([...ALWAYS, ...names])].map((name) => {
    if (net.isIP(name)) return `IP:${name}`;
    if (HOSTNAME.test(name)) return `DNS:${name}`;
    throw new NatsServerStartError(`nats.tls.names: ${JSON.stringify(name)} is neither a host name nor an IP address`);
  });
}

function openssl(args: string[], what: string): void {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.error) throw new NatsServerStartError(`cannot run openssl to make the bus ${what} (${r.error.message}); install it with \`apt-get install openssl\``);
  if (r.status !== 0) throw new NatsServerStartError(`openssl could not make the bus ${what}: ${r.stderr.trim()}`);
}

/** Whether the certificate at `file` names every entry of `sans` and is not about to expire. */
function certificateCovers(file: string, sans: readonly string[]): boolean {
  try {
    const cert = new crypto.X509Certificate(fs.readFileSync(file));
    if (Date.parse(cert.validTo) - Date.now() < RENEW_BEFORE_MS) return false;
    const present = new Set((cert.subjectAltName ?? '').split(', ').map((s) => s.replace(/^IP Address:/, 'IP:')));
    return sans.every((s) => present.has(s));
  } catch {
    return false;
  }
}

/**
 * The CA and server certificate under `dir` for `names`, made when missing, when a name is
 * not covered, or when the server certificate expires within 30 days (the CA is kept).
 */
export function ensureBusTls(dir: string, names: readonly string[]): BusTlsFiles & { made: string[] } {
  ensurePrivateDir(dir);
  const files = { caFile: path.join(dir, 'ca.pem'), certFile: path.join(dir, 'server.pem'), keyFile: path.join(dir, 'server.key') };
  const caKey = path.join(dir, 'ca.key');
  const made: string[] = [];
  const sans = subjectAltNames(names);
  if (!fs.existsSync(files.caFile) || !fs.existsSync(caKey)) {
    openssl(
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', caKey, '-out', files.caFile, '-days', '3650',
        '-subj', `/CN=Brine bus CA ${os.hostname().replace(/[^A-Za-z0-9.-]/g, '')}`.slice(0, 64),
        '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
      'CA',
    );
    fs.chmodSync(caKey, 0o600);
    made.push(files.caFile);
  }
  if (made.length > 0 || !fs.existsSync(files.keyFile) || !certificateCovers(files.certFile, sans)) {
    const csr = path.join(dir, 'server.csr');
    const ext = path.join(dir, 'server.ext');
    fs.writeFileSync(ext, `subjectAltName=${sans.join(',')}\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=serverAuth\n`, { mode: 0o600 });
    try {
      openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', files.keyFile, '-out', csr, '-subj', '/CN=brine-master'], 'server key');
      fs.chmodSync(files.keyFile, 0o600);
      openssl(['x509', '-req', '-in', csr, '-CA', files.caFile, '-CAkey', caKey, '-set_serial', `0x${crypto.randomBytes(16).toString('hex')}`, '-days', '825', '-sha256', '-extfile', ext, '-out', files.certFile], 'server certificate');
    } finally {
      fs.rmSync(csr, { force: true });
      fs.rmSync(ext, { force: true });
    }
    made.push(files.certFile);
  }
  return { ...files, made };
}
