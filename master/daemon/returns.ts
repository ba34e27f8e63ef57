/**
 * What minions say about jobs (BRINE_RETURNS, brine.ret.<jid>.<minion>): checked against the
 * accepted key of the minion the subject names, then stored in the job cache (started,
 * return), fed to the job tracker (progress) and re-published as job events for the CLI. A
 * message is acknowledged only once the job cache has written it; while it cannot (disk full)
 * the events still go out, and the message waits, or is delivered again, until it is written.
 */
import type { Logger } from '../../common/log';
import type { StreamMessage } from '../../common/nats/stream-reassembly';
import { parseMinionJobMessage } from '../../common/protocol/messages';
import { parseReturnSubject } from '../../common/protocol/subjects';
import { WireError } from '../../common/wire/errors';
import type { NodeIdentity } from '../../common/wire/keys';
import type { JobCache } from '../jobcache/index';
import type { MinionKeyStore } from '../pki/store';
import type { EventPublisher } from './event-publisher';
import { reportRejected } from './rejections';
import type { JobTracker } from './tracker';
import { openFrom } from './trusted-open';

/** What the returns handler works with. */
export interface ReturnsDeps {
  cache: JobCache;
  keys: MinionKeyStore;
  tracker: JobTracker;
  events: EventPublisher;
  master: NodeIdentity;
  log: Logger;
  /** Whether `minion` was sent job `jid`. */
  wasSent: (jid: string, minion: string) => boolean;
}

/** Handle one message of the returns stream; resolves once it is stored (then it may be acknowledged). */
export async function handleReturnMessage(deps: ReturnsDeps, msg: StreamMessage): Promise<void> {
  const where = parseReturnSubject(msg.subject);
  if (!where) {
    reportRejected(deps.log, deps.events, `message on ${msg.subject}`, new Error('not a return subject'));
    return;
  }
  const { jid, minion } = where;
  let payload;
  try {
    const opened = openFrom(msg.data, 'ret', minion, deps.keys.publicKeysOf(minion), deps.master);
    if (opened.header.jid !== jid) throw new WireError('malformed', `envelope is for job ${opened.header.jid ?? '(none)'}, subject for ${jid}`);
    payload = parseMinionJobMessage(opened.payload);
    if (payload.jid !== jid) throw new WireError('malformed', `payload is for job ${payload.jid}, subject for ${jid}`);
    if (!deps.wasSent(jid, minion)) throw new WireError('malformed', `${minion} was not sent job ${jid}`);
  } catch (e) {
    reportRejected(deps.log, deps.events, `return on ${msg.subject} (claimed sender ${minion})`, e);
    return;
  }
  switch (payload.type) {
    case 'started': {
      deps.tracker.heard(jid, minion);
      void deps.events.job({ type: 'started', jid, minion, at: payload.at }, `${jid}.${minion}.started`);
      await deps.cache.recordStarted(jid, minion, payload.at);
      return;
    }
    case 'progress':
      deps.tracker.heard(jid, minion);
      void deps.events.job({ type: 'progress', jid, minion, done: payload.done, total: payload.total, ...(payload.current ? { current: payload.current } : {}), at: payload.at });
      return;
    case 'return': {
      // queued first, so that a job ended by this return is closed after it is written
      const stored = deps.cache.recordReturn({
        jid,
        minion,
        data: payload.data,
        retcode: payload.retcode,
        success: payload.success,
        startedAt: payload.startedAt,
        finishedAt: payload.finishedAt,
      });
      // the CLI and the tracker hear of it now, even while the job cache cannot be written (disk full)
      await deps.events.job(
        { type: 'ret', jid, minion, data: payload.data, retcode: payload.retcode, success: payload.success && payload.retcode === 0, outputter: payload.outputter, at: Date.now() },
        `${jid}.${minion}.ret`,
      );
      deps.tracker.answered(jid, minion);
      // acknowledged only once written: a return the job cache could not take yet is delivered again
      const outcome = await stored;
      if (outcome === 'rejected') deps.log.warning(`Return of ${minion} for job ${jid} could not be stored (see the job's errors)`);
      return;
    }
  }
}
