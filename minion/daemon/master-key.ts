/**
 * Pinning the master's public key, as Salt's minion pins `minion_master.pub`: a fingerprint
 * configured in `master_finger` is authoritative; without it the first master key seen is
 * trusted (and stored in `<pki_dir>/minion_master.pub`) and any other key is refused after.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensurePrivateDir, writeFileAtomic } from '../../common/wire/files';
import { fingerprintMatches, publicKeysFingerprint } from '../../common/wire/fingerprint';
import { parsePublicDocument, publicDocument, samePublicKeys, type PublicKeys } from '../../common/wire/keys';

/** Name of the pinned master key file in the minion's pki_dir (Salt's name). */
export const MASTER_PUB_FILE = 'minion_master.pub';
const PUBLIC_MODE = 0o644;

/** Whether a master key may be trusted, and what trusting it requires. */
export type MasterKeyVerdict =
  | { trusted: true; fingerprint: string; /** The key must be stored (first use, or master_finger replaced an old pin). */ store: boolean }
  | { trusted: false; fingerprint: string; reason: string };

/** The minion's trust in the master's key; see the module comment. */
export class MasterKeyPin {
  readonly file: string;

  constructor(
    pkiDir: string,
    private readonly masterFinger: string | null,
  ) {
    this.file = path.join(pkiDir, MASTER_PUB_FILE);
  }

  /** The stored master key, or undefined when none is stored yet; throws when the file is unreadable. */
  pinned(): PublicKeys | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    return parsePublicDocument(text, this.file);
  }

  /** Decide whether `keys` (already proven to sign the master's reply) are the master's. */
  check(keys: PublicKeys): MasterKeyVerdict {
    const fingerprint = publicKeysFingerprint(keys);
    if (this.masterFinger !== null) {
      if (!fingerprintMatches(fingerprint, this.masterFinger)) {
        return {
          trusted: false,
          fingerprint,
          reason:
            `the master's key fingerprint ${fingerprint} does not match master_finger ${this.masterFinger.trim()} from the minion config; ` +
            'verify master_finger (brine key finger on the master prints it) and that this minion is not subject to a man-in-the-middle attack',
        };
      }
      const stored = this.readPinQuietly();
      return { trusted: true, fingerprint, store: stored === undefined || !samePublicKeys(stored, keys) };
    }
    let stored: PublicKeys | undefined;
    try {
      stored = this.pinned();
    } catch (e) {
      return { trusted: false, fingerprint, reason: `the pinned master key ${this.file} is unreadable (${(e as Error).message}); fix or delete it` };
    }
    if (stored === undefined) return { trusted: true, fingerprint, store: true };
    if (samePublicKeys(stored, keys)) return { trusted: true, fingerprint, store: false };
    return {
      trusted: false,
      fingerprint,
      reason:
        `the master's key has changed: the pinned key ${publicKeysFingerprint(stored)} (${this.file}) does not match the key the master presented, ${fingerprint}; ` +
        `the master could have been replaced or impersonated. If it was re-keyed on purpose, delete ${this.file} (or set master_finger) and restart the minion`,
    };
  }

  /** Store `keys` as the pinned master key (mode 0644, atomic). */
  store(keys: PublicKeys): void {
    ensurePrivateDir(path.dirname(this.file));
    writeFileAtomic(this.file, publicDocument(keys), PUBLIC_MODE);
  }

  private readPinQuietly(): PublicKeys | undefined {
    try {
      return this.pinned();
    } catch {
      return undefined;
    }
  }
}
