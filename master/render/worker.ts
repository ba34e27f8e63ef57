/**
 * A render worker thread: runs compileForMinion for each job the pool sends, one at a time.
 * Anything thrown becomes `{ ok: false, errors: [message] }`; the thread never dies of it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BrineError } from '../../common/errors';
import { compileForMinion } from './compile-for-minion';
import type { RenderAnswer, RenderJob, RenderWorkerData } from './messages';
import type { RenderRequest, RenderResult } from './request';
import type { MasterRenderSettings } from './settings';
import { TreeSnapshot } from './tree-snapshot';

/** Snapshots kept (jobs rendering at the same time); the oldest is dropped first. */
const SNAPSHOTS_KEPT = 4;
const snapshots = new Map<string, TreeSnapshot>();

/** The request's snapshot of the roots (made at its first render); undefined: compileForMinion reads them afresh. */
function treeFor(settings: MasterRenderSettings, req: RenderRequest): TreeSnapshot | undefined {
  if (req.snapshot === undefined) return undefined;
  let tree = snapshots.get(req.snapshot);
  if (!tree) {
    if (snapshots.size >= SNAPSHOTS_KEPT) snapshots.delete(snapshots.keys().next().value as string);
    tree = new TreeSnapshot(settings, true);
    snapshots.set(req.snapshot, tree);
  }
  return tree;
}

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
      result = compileForMinion(settings, job.req, treeFor(settings, job.req));
    } catch (e) {
      result = failure(e);
    }
    answer(port, job.seq, result);
  });
}
