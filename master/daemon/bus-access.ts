/**
 * Who may do what on the master's own nats-server: every accepted minion is an nkey user (its
 * Ed25519 key) with only its own subjects, a client without credentials is the guest (it may
 * only ask to be accepted), the CLI is the operator and the master has every permission.
 * The user list follows the accepted keys: when keys are accepted, rejected or deleted (by the
 * auth handler or by `brine key` editing the pki dir) the server reloads it without a restart.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../common/log';
import { userNkeyOf } from '../../common/nats/nkey-identity';
import { GUEST_USER, guestPermissions, minionPermissions, operatorPermissions } from '../../common/protocol/permissions';
import type { PublicKeys } from '../../common/wire/keys';
import type { NatsServer, NatsServerAuth, NatsUser } from '../nats/index';
import { KEY_DIRS } from '../pki/layout';
import type { MinionKeyStore } from '../pki/store';

/** How long key-directory changes are gathered before one reload. */
const GATHER_MS = 100;
/** Safety net: the key directory is compared this often even with change notices... */
const RESYNC_EVERY_MS = 30_000;
/** ...and this often when it cannot be watched. */
const RESYNC_UNWATCHED_MS = 5_000;

/** A minion's bus user, kept while its accepted key stays the same. */
interface MinionUser {
  keys: PublicKeys;
  user: NatsUser & { nkey: string };
}

/** What BusAccess needs. */
export interface BusAccessDeps {
  keys: MinionKeyStore;
  masterKeys: PublicKeys;
  operatorKeys: PublicKeys;
  log: Logger;
}

/** The nats-server users of the master's bus, kept in step with the accepted keys. */
export class BusAccess {
  private readonly guestPassword = crypto.randomBytes(24).toString('base64url');
  private server: NatsServer | undefined;
  private applied = '';
  private requested = false;
  private running: Promise<void> | undefined;
  private watcher: fs.FSWatcher | undefined;
  private gatherTimer: NodeJS.Timeout | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly minionUsers = new Map<string, MinionUser>();

  constructor(private readonly deps: BusAccessDeps) {}

  /** The users the server should accept now (for its first start). */
  currentAuth(): NatsServerAuth {
    const { auth, signature } = this.compute();
    this.applied = signature;
    return auth;
  }

  /** Follow the accepted keys on `server` from now on (directory watch plus a periodic check). */
  follow(server: NatsServer): void {
    this.server = server;
    const dir = path.join(this.deps.keys.pkiDir, KEY_DIRS.accepted);
    try {
      this.watcher = fs.watch(dir, () => this.gather());
      this.watcher.on('error', (e) => {
        this.deps.log.warning(`Watching ${dir} for key changes: ${e.message}; checking every ${RESYNC_UNWATCHED_MS / 1000} s instead`);
        this.resyncEvery(RESYNC_UNWATCHED_MS);
      });
      this.resyncEvery(RESYNC_EVERY_MS);
    } catch (e) {
      this.deps.log.warning(`Cannot watch ${dir} for key changes (${(e as Error).message}); checking every ${RESYNC_UNWATCHED_MS / 1000} s instead`);
      this.resyncEvery(RESYNC_UNWATCHED_MS);
    }
  }

  private resyncEvery(ms: number): void {
    clearInterval(this.resyncTimer);
    this.resyncTimer = setInterval(() => void this.sync(), ms);
    this.resyncTimer.unref();
  }

  /**
   * Bring the server's users in line with the accepted keys; resolves once the server runs
   * with them (at once when nothing changed). Calls made while a reload runs share the next one.
   */
  sync(): Promise<void> {
    if (!this.server || this.closed) return Promise.resolve();
    this.requested = true;
    this.running ??= this.reloadWhileRequested().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Stop following the keys. */
  close(): void {
    this.closed = true;
    this.watcher?.close();
    clearTimeout(this.gatherTimer);
    clearInterval(this.resyncTimer);
  }

  private gather(): void {
    if (this.gatherTimer || this.closed) return;
    this.gatherTimer = setTimeout(() => {
      this.gatherTimer = undefined;
      void this.sync();
    }, GATHER_MS);
  }

  private async reloadWhileRequested(): Promise<void> {
    while (this.requested && !this.closed && this.server) {
      this.requested = false;
      const { auth, signature: minions } = this.compute();
      if (minions === this.applied) continue;
      try {
        await this.server.updateAuth(auth);
        this.applied = minions;
        this.deps.log.info(`Bus permissions reloaded: ${auth.users.length - 3} accepted minion(s) may connect`);
      } catch (e) {
        this.deps.log.error(`Could not reload the bus permissions: ${(e as Error).message}`);
      }
    }
  }

  /**
   * The users the server should have now, and their signature: the accepted ids with their
   * nkeys, as text, which changes when they do (a minion's permissions follow from both).
   */
  private compute(): { auth: NatsServerAuth & { users: NatsUser[] }; signature: string } {
    const { keys, log } = this.deps;
    const operatorNkey = userNkeyOf(this.deps.operatorKeys.sign);
    const users: NatsUser[] = [
      { nkey: userNkeyOf(this.deps.masterKeys.sign) },
      { nkey: operatorNkey, permissions: operatorPermissions(operatorNkey) },
      { user: GUEST_USER, password: this.guestPassword, permissions: guestPermissions() },
    ];
    const seen = new Set(users.flatMap((u) => ('nkey' in u ? [u.nkey] : [])));
    const accepted = keys.list()[KEY_DIRS.accepted];
    const signature: string[] = [];
    for (const id of accepted) {
      const user = this.minionUser(id);
      if (!user) continue;
      if (seen.has(user.nkey)) {
        log.error(`Minion ${id} cannot connect to the bus: its key is already the key of another identity`);
        continue;
      }
      seen.add(user.nkey);
      users.push(user);
      signature.push(`${id} ${user.nkey}`);
    }
    if (this.minionUsers.size > accepted.length) {
      const still = new Set(accepted);
      for (const id of this.minionUsers.keys()) if (!still.has(id)) this.minionUsers.delete(id);
    }
    return { auth: { users, noAuthUser: GUEST_USER }, signature: signature.join('\n') };
  }

  /** The bus user of accepted minion `id` (made again only when its key file changed); undefined when it has none. */
  private minionUser(id: string): (NatsUser & { nkey: string }) | undefined {
    let keys: PublicKeys | undefined;
    try {
      keys = this.deps.keys.publicKeysOf(id);
    } catch (e) {
      this.deps.log.error(`Minion ${id} cannot connect to the bus: ${(e as Error).message}`);
      return undefined;
    }
    if (!keys) return undefined;
    const known = this.minionUsers.get(id);
    if (known && known.keys === keys) return known.user;
    const nkey = userNkeyOf(keys.sign);
    const user = { nkey, permissions: minionPermissions(id, nkey) };
    this.minionUsers.set(id, { keys, user });
    return user;
  }
}
