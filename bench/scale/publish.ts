/** Publishing a job through the master and watching it to the end, as `brine run` does, timed. */
import { MasterClient } from '../../cli/master-client/client';
import { watchJob } from '../../cli/master-client/watch-job';

/** What became of a watched job. */
export interface WatchedJob {
  ms: number;
  jid: string;
  ok: number;
  failed: number;
  noResponse: number;
}

/** Publish `fun` to the target and watch it until every expected minion answered or was given up on. */
export async function publishAndWatch(client: MasterClient, fun: string, args: unknown[], kwargs: Record<string, unknown>, tgt: string | string[], tgtType: string, timeoutS = 120): Promise<WatchedJob> {
  const t0 = performance.now();
  const reply = await client.command({ op: 'publish', fun, args, kwargs, tgt, tgtType, timeout: timeoutS });
  if (!reply.ok || reply.op !== 'publish') throw new Error(`publish failed: ${JSON.stringify(reply)}`);
  const outcome = await watchJob(client, reply.jid, reply.expected, reply.missing, { output: { color: false }, out: 'quiet', summary: false, write: () => {} });
  return { ms: performance.now() - t0, jid: reply.jid, ok: outcome.answered.length, failed: outcome.failed.length, noResponse: outcome.noResponse.length };
}

/** publishAndWatch, failing unless exactly `expected` minions returned. */
export async function publishAndWatchAll(client: MasterClient, fun: string, args: unknown[], kwargs: Record<string, unknown>, tgt: string | string[], tgtType: string, expected: number): Promise<WatchedJob> {
  const r = await publishAndWatch(client, fun, args, kwargs, tgt, tgtType);
  if (r.ok + r.failed !== expected) throw new Error(`${fun}: ${r.ok + r.failed}/${expected} returned (${r.noResponse} did not respond)`);
  return r;
}
