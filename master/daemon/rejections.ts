/** How the master reports a message it refused: one warning line and one event, never the payload. */
import type { Logger } from '../../common/log';
import { isWireError } from '../../common/wire/errors';
import type { EventPublisher } from './event-publisher';

/** Log (once, at warning) and publish a refused message: what it was, who it claimed to be, why. */
export function reportRejected(log: Logger, events: EventPublisher, what: string, err: unknown): void {
  const reason = isWireError(err) ? err.message : `${(err as Error)?.message ?? err}`;
  log.warning(`Rejected ${what}: ${reason}`);
  void events.master({ type: 'rejected', what, reason, at: Date.now() });
}
