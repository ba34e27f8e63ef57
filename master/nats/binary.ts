/**
 * Finding Debian's `nats-server` binary: an explicit path, else the first `nats-server`
 * on PATH, else /usr/sbin/nats-server (not on a normal user's PATH).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NatsServerMissingError } from './errors';

/** Where Debian's package installs the server. */
export const DEBIAN_NATS_SERVER = '/usr/sbin/nats-server';

const INSTALL_HINT = 'install it with `apt-get install nats-server`, or name an existing cluster in `nats.servers`';

function isExecutableFile(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) return false;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The path of the nats-server binary to run: `explicit` when given (it must exist and be
 * executable), else PATH, else /usr/sbin. Throws NatsServerMissingError telling the operator
 * to `apt-get install nats-server`.
 */
export function findNatsServerBinary(explicit?: string, searchPath: string = process.env.PATH ?? ''): string {
  if (explicit !== undefined) {
    if (isExecutableFile(explicit)) return explicit;
    throw new NatsServerMissingError(`nats-server binary ${JSON.stringify(explicit)} does not exist or is not executable; ${INSTALL_HINT}`);
  }
  const dirs = searchPath.split(path.delimiter).filter((d) => d !== '');
  for (const dir of dirs) {
    const candidate = path.join(dir, 'nats-server');
    if (isExecutableFile(candidate)) return candidate;
  }
  if (isExecutableFile(DEBIAN_NATS_SERVER)) return DEBIAN_NATS_SERVER;
  throw new NatsServerMissingError(`nats-server was not found on PATH nor at ${DEBIAN_NATS_SERVER}; ${INSTALL_HINT}`);
}
