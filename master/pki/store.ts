/**
 * The master's store of minion public keys, in salt-key's layout under the pki dir
 * (`minions/`, `minions_pre/`, `minions_rejected/`, `minions_denied/`, one file per id).
 * It answers a minion's auth request (`register`) the way Salt 3006's master does, and runs
 * `brine key list|accept|reject|delete` (globs as salt-key reads them: fnmatch, comma = several).
 *
 * Ids are checked with validateMinionId before any path is built from them; files whose names
 * are not valid ids (or start with a dot, like temporary files) are ignored. Writes are atomic.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ValidationError } from '../../common/errors';
import { fnmatchCase } from '../../common/match/fnmatch';
import { validateMinionId } from '../../common/paths';
import { KeyFileError } from '../../common/wire/errors';
import { ensurePrivateDir, writeFileAtomic } from '../../common/wire/files';
import { fingerprint } from '../../common/wire/fingerprint';
import { canonicalPublicDocument, parsePublicDocument, type PublicKeys } from '../../common/wire/keys';
import { KEY_DIRS, KEY_STATUSES, type KeyDir, type KeyListing, type KeyStatus } from './layout';

/** Which other statuses `accept` may take keys from (pending keys always). */
export interface AcceptOptions {
  includeRejected?: boolean;
  includeDenied?: boolean;
}

/** Which other statuses `reject` may take keys from (pending keys always). */
export interface RejectOptions {
  includeAccepted?: boolean;
  includeDenied?: boolean;
}

const PUBLIC_KEY_MODE = 0o644;

/** salt-key's key directories for one master; see the module comment. */
export class MinionKeyStore {
  private readonly cache = new Map<string, { stamp: string; keys: PublicKeys; checkedAt: number }>();

  /**
   * Open (and create, mode 0700) the key directories under `pkiDir`. `recheckAfterMs`: how long
   * an accepted key read once is used without looking at its file again (0, the default: every
   * time). The master reads a minion's key for each message it gets from it; `brine key`
   * changes the files from another process, so a key deleted there is still honoured that long.
   */
  constructor(
    readonly pkiDir: string,
    private readonly recheckAfterMs = 0,
  ) {
    ensurePrivateDir(pkiDir);
    for (const status of KEY_STATUSES) ensurePrivateDir(path.join(pkiDir, KEY_DIRS[status]));
  }

  /**
   * A minion presents its public key document (Salt's `_auth`):
   * id already rejected -> 'rejected' (nothing stored); same key as accepted -> 'accepted';
   * a different key for an accepted id -> 'denied' (kept in minions_denied, the accepted key untouched);
   * same key as pending -> 'pending'; a different key for a pending id -> 'denied';
   * a new id -> 'pending' (stored in minions_pre). Throws ValidationError for a bad id or document.
   */
  register(id: string, publicDoc: string | Uint8Array): KeyStatus {
    validateMinionId(id);
    const presented = canonicalPublicDocument(publicDoc, `public key of minion ${JSON.stringify(id)}`);
    if (fs.existsSync(this.file('rejected', id))) return 'rejected';
    for (const status of ['accepted', 'pending'] as const) {
      const stored = this.readCanonical(status, id);
      if (stored === undefined) continue;
      if (stored === presented) return status;
      writeFileAtomic(this.file('denied', id), presented, PUBLIC_KEY_MODE);
      return 'denied';
    }
    writeFileAtomic(this.file('pending', id), presented, PUBLIC_KEY_MODE);
    return 'pending';
  }

  /** Every id per directory, sorted case-insensitively (salt-key's order). */
  list(): KeyListing {
    const listing = {} as KeyListing;
    for (const status of KEY_STATUSES) listing[KEY_DIRS[status]] = this.idsIn(status);
    return listing;
  }

  /** The ids per directory matching `glob` (fnmatch; `a,b` means either), like salt-key's name_match. */
  match(glob: string): KeyListing {
    const patterns = glob.split(',');
    const listing = this.list();
    for (const dir of Object.keys(listing) as KeyDir[]) {
      listing[dir] = listing[dir].filter((id) => patterns.some((p) => fnmatchCase(id, p)));
    }
    return listing;
  }

  /** Move matching pending keys (and rejected/denied ones when asked) to accepted; returns the ids accepted. */
  accept(glob: string, opts: AcceptOptions = {}): string[] {
    const from: KeyStatus[] = ['pending'];
    if (opts.includeRejected) from.push('rejected');
    if (opts.includeDenied) from.push('denied');
    return this.move(glob, from, 'accepted');
  }

  /** Move matching pending keys (and accepted/denied ones when asked) to rejected; returns the ids rejected. */
  reject(glob: string, opts: RejectOptions = {}): string[] {
    const from: KeyStatus[] = ['pending'];
    if (opts.includeAccepted) from.push('accepted');
    if (opts.includeDenied) from.push('denied');
    return this.move(glob, from, 'rejected');
  }

  /** Delete matching keys in every directory; returns the ids deleted. */
  delete(glob: string): string[] {
    const affected = new Set<string>();
    const matches = this.match(glob);
    for (const status of KEY_STATUSES) {
      for (const id of matches[KEY_DIRS[status]]) {
        fs.rmSync(this.file(status, id), { force: true });
        affected.add(id);
      }
    }
    for (const id of affected) this.cache.delete(id);
    return sortIds([...affected]);
  }

  /** The public keys of an accepted minion, or undefined when it is not accepted. */
  publicKeysOf(id: string): PublicKeys | undefined {
    const file = this.file('accepted', id);
    const now = this.recheckAfterMs > 0 ? Date.now() : 0;
    const recent = this.cache.get(id);
    if (recent && now - recent.checkedAt < this.recheckAfterMs) return recent.keys;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        this.cache.delete(id);
        return undefined;
      }
      throw err;
    }
    const stamp = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    const cached = this.cache.get(id);
    if (cached && cached.stamp === stamp) {
      cached.checkedAt = now;
      return cached.keys;
    }
    let keys: PublicKeys;
    try {
      keys = parsePublicDocument(fs.readFileSync(file), file);
    } catch (err) {
      throw new KeyFileError(`accepted key of minion ${JSON.stringify(id)} is unreadable: ${(err as Error).message}`, file);
    }
    this.cache.set(id, { stamp, keys, checkedAt: now });
    return keys;
  }

  /** The stored public key document of `id` in `status`, or undefined. */
  publicDocumentOf(id: string, status: KeyStatus = 'accepted'): string | undefined {
    try {
      return fs.readFileSync(this.file(status, id), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Fingerprints of the keys matching `glob`, per directory (salt-key -f). */
  fingerprints(glob: string): Record<KeyDir, Record<string, string>> {
    const matches = this.match(glob);
    const result = {} as Record<KeyDir, Record<string, string>>;
    for (const status of KEY_STATUSES) {
      const dir = KEY_DIRS[status];
      result[dir] = {};
      for (const id of matches[dir]) {
        const doc = this.publicDocumentOf(id, status);
        if (doc !== undefined) result[dir][id] = fingerprint(doc);
      }
    }
    return result;
  }

  private move(glob: string, from: readonly KeyStatus[], to: KeyStatus): string[] {
    const matches = this.match(glob);
    const affected = new Set<string>();
    for (const status of from) {
      for (const id of matches[KEY_DIRS[status]]) {
        const src = this.file(status, id);
        if (to === 'accepted' && this.readCanonical(status, id) === undefined) continue; // not a valid key: never accept it
        try {
          fs.renameSync(src, this.file(to, id));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // moved meanwhile
          throw err;
        }
        affected.add(id);
      }
    }
    for (const id of affected) this.cache.delete(id);
    return sortIds([...affected]);
  }

  /** The canonical document stored for `id` in `status`; undefined when absent or not a valid document. */
  private readCanonical(status: KeyStatus, id: string): string | undefined {
    const doc = this.publicDocumentOf(id, status);
    if (doc === undefined) return undefined;
    try {
      return canonicalPublicDocument(doc);
    } catch (err) {
      if (err instanceof ValidationError) return undefined;
      throw err;
    }
  }

  private idsIn(status: KeyStatus): string[] {
    let names: string[];
    try {
      names = fs.readdirSync(path.join(this.pkiDir, KEY_DIRS[status]));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return sortIds(names.filter((name) => !name.startsWith('.') && isValidId(name)));
  }

  /** The file of `id` in `status`; the id is validated first, so it never leaves its directory. */
  private file(status: KeyStatus, id: string): string {
    validateMinionId(id);
    return path.join(this.pkiDir, KEY_DIRS[status], id);
  }
}

function isValidId(name: string): boolean {
  try {
    validateMinionId(name);
    return true;
  } catch {
    return false;
  }
}

/** salt's sorted_ignorecase, with a code-point tie break so the order never depends on the filesystem. */
function sortIds(ids: string[]): string[] {
  return ids.sort((a, b) => {
    const la = a.toLowerCase();
    const lb = b.toLowerCase();
    if (la !== lb) return la < lb ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}
