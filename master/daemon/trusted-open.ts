/** Opening envelopes sent to the master: who may send what, with which replay protection. */
import { MASTER_ID } from '../../common/protocol/subjects';
import { openEnvelope, type EnvelopeKind, type OpenedEnvelope } from '../../common/wire/envelope';
import type { NodeIdentity, PublicKeys } from '../../common/wire/keys';
import { ReplayGuard } from '../../common/wire/replay';

/**
 * Open an envelope addressed to the master from `sender` only (whatever the envelope claims),
 * with that sender's trusted keys. Without `replay`, a throw-away guard is used: for messages
 * read from a stream, whose redelivery after a restart must be accepted and whose effect is
 * idempotent (returns are stored once per job and minion).
 */
export function openFrom(
  bytes: Uint8Array,
  kind: EnvelopeKind,
  sender: string,
  senderKeys: Pick<PublicKeys, 'sign' | 'encrypt'> | undefined,
  master: NodeIdentity,
  replay?: ReplayGuard,
): OpenedEnvelope {
  return openEnvelope(bytes, {
    expectKind: kind,
    expectTo: MASTER_ID,
    senderKeys: (id) => (id === sender ? senderKeys : undefined),
    recipient: master.privateKeys,
    requireSealed: true,
    replay: replay ?? ReplayGuard.inMemory({ capacity: 1 }),
  });
}
