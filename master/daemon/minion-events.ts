/**
 * What minions say about themselves (BRINE_EVENTS, brine.evt.minion.<id>.<type>): their start
 * and grains, checked against their accepted key and stored in the registry.
 */
import type { Logger } from '../../common/log';
import type { StreamMessage } from '../../common/nats/stream-reassembly';
import { parseMinionEvent } from '../../common/protocol/messages';
import type { NodeIdentity } from '../../common/wire/keys';
import type { JobCache } from '../jobcache/index';
import type { MinionKeyStore } from '../pki/store';
import type { EventPublisher } from './event-publisher';
import { reportRejected } from './rejections';
import { openFrom } from './trusted-open';

const PREFIX = 'brine.evt.minion.';

/** What the minion events handler works with. */
export interface MinionEventsDeps {
  cache: JobCache;
  keys: MinionKeyStore;
  events: EventPublisher;
  master: NodeIdentity;
  log: Logger;
}

/** Handle one minion event. */
export async function handleMinionEvent(deps: MinionEventsDeps, msg: StreamMessage): Promise<void> {
  const rest = msg.subject.startsWith(PREFIX) ? msg.subject.slice(PREFIX.length) : '';
  const cut = rest.lastIndexOf('.');
  const minion = cut > 0 ? rest.slice(0, cut) : '';
  try {
    if (!minion) throw new Error('not a minion event subject');
    const opened = openFrom(msg.data, 'evt', minion, deps.keys.publicKeysOf(minion), deps.master);
    const event = parseMinionEvent(opened.payload);
    if (event.type === 'event') {
      const data = { ...event.data, id: minion };
      deps.log.info(`Event ${event.tag} from ${minion}`);
      deps.events.local.emitMinionEvent({ minion, tag: event.tag, data, at: opened.header.ts });
      await deps.events.master({ type: 'minion-event', minion, tag: event.tag, data, at: opened.header.ts });
      return;
    }
    if ((await deps.cache.recordGrains(minion, event.grains, 'accepted')) === 'rejected') return;
    deps.log.info(`Minion ${minion} ${event.type === 'start' ? 'started' : 'refreshed its grains'}`);
    if (event.type === 'start') await deps.events.master({ type: 'minion-start', minion, at: opened.header.ts });
  } catch (e) {
    reportRejected(deps.log, deps.events, `minion event on ${msg.subject}`, e);
  }
}
