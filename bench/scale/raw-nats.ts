/**
 * The physical limit the fleet figures are compared with: one request/response round to `n`
 * subjects over plain NATS on this machine (no keys, no boxes, no JetStream, no job cache),
 * with the responders spread over a few connections like the swarm's minions.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats } from '../../common/nats/connect';

/** Milliseconds for `n` requests answered, best of `rounds`. */
export async function rawNatsRound(servers: string[], credentials: Parameters<typeof connectNats>[0]['credentials'], n: number, rounds = 3): Promise<number> {
  const responders: NatsConnection[] = [];
  const requester = await connectNats({ servers, name: 'bench-raw-requester', credentials });
  try {
    for (let c = 0; c < 4; c++) {
      const nc = await connectNats({ servers, name: `bench-raw-responder-${c}`, credentials });
      responders.push(nc);
      for (let i = c; i < n; i += 4) nc.subscribe(`bench.raw.${i}`, { callback: (_e, m) => void m.respond(m.data) });
      await nc.flush();
    }
    let best = Infinity;
    for (let r = 0; r < rounds; r++) {
      const inbox = `_INBOX.bench.${r}`;
      let answered = 0;
      let finish: () => void = () => {};
      const all = new Promise<void>((resolve) => (finish = resolve));
      const sub = requester.subscribe(inbox, { callback: () => {
        if (++answered === n) finish();
      } });
      await requester.flush();
      const t0 = performance.now();
      const body = new Uint8Array(64);
      for (let i = 0; i < n; i++) requester.publish(`bench.raw.${i}`, body, { reply: inbox });
      await all;
      best = Math.min(best, performance.now() - t0);
      sub.unsubscribe();
    }
    return best;
  } finally {
    await Promise.all([requester, ...responders].map((nc) => nc.close()));
  }
}
