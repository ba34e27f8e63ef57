/**
 * Key fingerprints in Salt's `pem_finger` style: SHA-256 as lowercase hex pairs joined by ':'
 * (what `brine key finger` prints and what a minion's `master_finger` pins).
 */
import * as crypto from 'node:crypto';
import { publicDocument, type PublicKeys } from './keys';

/** Fingerprint of the exact bytes of a public key document. */
export function fingerprint(doc: string | Uint8Array): string {
  const hex = crypto.createHash('sha256').update(doc).digest('hex');
  return hex.match(/../g)!.join(':');
}

/** Fingerprint of a key set, over its canonical public key document (so it never depends on formatting). */
export function publicKeysFingerprint(keys: PublicKeys): string {
  return fingerprint(publicDocument(keys));
}

/** Whether a fingerprint matches a pinned one (case and surrounding whitespace ignored). */
export function fingerprintMatches(actual: string, pinned: string): boolean {
  return actual.trim().toLowerCase() === pinned.trim().toLowerCase();
}
