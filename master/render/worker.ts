/**
 * A render worker thread: runs compileForMinion for each job the pool sends, one at a time.
 * Anything thrown becomes `{ ok: false, errors: [message] }`; the thread never dies of it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BrineError } from '../../common/errors';
import { compileForMinion } from './compile-for-minion';
import type { RenderAnswer, RenderJob, RenderWorkerData } from './messages';
import type { RenderResult } from './request';

function failure(e: unknown): RenderResult {
  const message = e instanceof BrineError ? e.describe() : e instanceof Error ? e.message : String(e);
  return { ok: false, errors: [message] };
}

function answer(port: NonNullable<typeof parentPort>, seq: number, result: RenderResult): void {
  try {
    port.postMessage({ seq, result } satisfies RenderAnswer);
  } catch (e) {
    // a result that cannot be copied (a function put into pillar by a template, ...)
    const why = e instanceof Error ? e.message : String(e);
    port.postMessage({ seq, result: { ok: false, errors: [`Render result cannot be sent: ${why}`] } } satisfies RenderAnswer);
  }
}

if (parentPort) {
  const port = parentPort;
  const { settings } = workerData as RenderWorkerData;
  port.on('message', (job: RenderJob) => {
    let result: RenderResult;
    try {
      result = compileForMinion(settings, job.req);
    } catch (e) {
      result = failure(e);
    }
    answer(port, job.seq, result);
  });
}
