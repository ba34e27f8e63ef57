/**
 * salt-key's directory layout under the master's pki dir: one file per minion id, named by the id,
 * holding that minion's public key document.
 */

/** The state of a minion's key, as `register` reports it. */
export type KeyStatus = 'accepted' | 'pending' | 'rejected' | 'denied';

/** salt-key's directory (and listing key) for each status. */
export const KEY_DIRS = {
  accepted: 'minions',
  pending: 'minions_pre',
  rejected: 'minions_rejected',
  denied: 'minions_denied',
} as const satisfies Record<KeyStatus, string>;

export type KeyDir = (typeof KEY_DIRS)[KeyStatus];

/** All statuses, in salt-key's listing order. */
export const KEY_STATUSES: readonly KeyStatus[] = ['accepted', 'pending', 'rejected', 'denied'];

/** Ids per directory, sorted like salt-key (case-insensitively). */
export type KeyListing = Record<KeyDir, string[]>;
