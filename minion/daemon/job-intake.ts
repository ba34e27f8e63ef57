/**
 * Opening the jobs published on this minion's job subject: only envelopes signed by the
 * pinned master key, sealed for this minion, addressed to it, within their validity window
 * and never seen before are accepted, and their payload must be a valid job.
 */
import { MASTER_ID, parseJobPayload, type JobPayload } from '../../common/protocol';
import { isWireError, WireError, type WireErrorCode } from '../../common/wire/errors';
import { openEnvelope, peekEnvelope } from '../../common/wire/envelope';
import type { PrivateKeys, PublicKeys } from '../../common/wire/keys';
import type { ReplayGuard } from '../../common/wire/replay';

/** Jids a return subject can carry (see parseReturnSubject). */
const JID_SHAPE = /^[0-9]{1,40}$/;

/** A job that passed every check. */
export interface AcceptedJob {
  ok: true;
  job: JobPayload;
}

/** Why a job was refused, with what its envelope claims (never its payload). */
export interface RefusedJob {
  ok: false;
  code: WireErrorCode;
  message: string;
  /** The sender the envelope names (unverified), when it could be read. */
  claimedSender?: string;
  /** The jid the envelope names (unverified), when it could be read. */
  claimedJid?: string;
}

/** What the intake needs to trust and open jobs. */
export interface JobIntakeKeys {
  id: string;
  masterKeys: PublicKeys;
  privateKeys: Pick<PrivateKeys, 'decrypt'>;
  replay: ReplayGuard;
}

/** Open one job envelope; never throws. */
export function openJob(bytes: Uint8Array, keys: JobIntakeKeys): AcceptedJob | RefusedJob {
  try {
    const opened = openEnvelope(bytes, {
      expectKind: 'job',
      expectTo: keys.id,
      senderKeys: (sender) => (sender === MASTER_ID ? keys.masterKeys : undefined),
      recipient: keys.privateKeys,
      requireSealed: true,
      replay: keys.replay,
    });
    const job = parseJobPayload(opened.payload);
    if (!JID_SHAPE.test(job.jid)) throw new WireError('malformed', `job: jid ${JSON.stringify(job.jid)} is not a job id`);
    if (opened.header.jid !== undefined && opened.header.jid !== job.jid) throw new WireError('malformed', 'job: the envelope and the payload name different jids');
    return { ok: true, job };
  } catch (e) {
    const refused: RefusedJob = isWireError(e) ? { ok: false, code: e.code, message: withoutCode(e) } : { ok: false, code: 'malformed', message: (e as Error).message };
    try {
      const { header } = peekEnvelope(bytes);
      refused.claimedSender = header.from;
      if (header.jid !== undefined) refused.claimedJid = header.jid;
    } catch {
      // unreadable envelope: nothing is claimed
    }
    return refused;
  }
}

/** The log line of a refused job: the code, the claimed sender and jid, never the payload. */
export function describeRefusal(r: RefusedJob, subject: string): string {
  const sender = r.claimedSender === undefined ? 'unknown' : JSON.stringify(r.claimedSender);
  return `Refused a job on ${subject}: ${r.code} (claimed sender ${sender}, jid ${r.claimedJid ?? 'none'}): ${r.message}; nothing was run`;
}

/** A WireError's message without its leading `<code>: `. */
function withoutCode(e: WireError): string {
  const prefix = `${e.code}: `;
  return e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
}
