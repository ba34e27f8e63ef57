/**
 * Finding Debian's `nats-server` binary: an explicit path, else the first `nats-server`
 * on PATH, else /usr/sbin/nats-server (not on a normal user's PATH).
 */
import { findExecutable, isExecutableFile, pathDirs } from '../../common/which';
import { NatsServerMissingError } from './errors';

/** Where Debian's package installs the server. */
export const DEBIAN_NATS_SERVER = '/usr/sbin/nats-server';

const INSTALL_HINT = 'install it with `apt-get install nats-server`, or name an existing cluster in `nats.servers`';

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
  const onPath = findExecutable('nats-server', pathDirs(searchPath));
  if (onPath) return onPath;
  if (isExecutableFile(DEBIAN_NATS_SERVER)) return DEBIAN_NATS_SERVER;
  throw new NatsServerMissingError(`nats-server was not found on PATH nor at ${DEBIAN_NATS_SERVER}; ${INSTALL_HINT}`);
}
