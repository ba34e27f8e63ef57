/**
 * `parallel: True` (Salt's call_parallel / reconcile_procs): a chunk runs in a branch of its
 * own while the engine goes on with the next chunks; whoever needs its result waits for it.
 */
import type { LowChunk, StateResult, StateReturn } from '../../common/types';

/** Whether a chunk asks to run in parallel (Python truthiness of `parallel`, as Salt tests it). */
export function isParallel(low: LowChunk): boolean {
  const v = low.parallel;
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** The branches still running, by state tag. */
export class ParallelBranches {
  private readonly inFlight = new Map<string, Promise<void>>();

  /** Start `work` for `tag` without waiting for it; `work` must not reject (it records its own failures). */
  start(tag: string, work: () => Promise<void>): void {
    const done = work().finally(() => {
      this.inFlight.delete(tag);
    });
    this.inFlight.set(tag, done);
  }

  /** Whether the branch of `tag` is still running. */
  has(tag: string): boolean {
    return this.inFlight.has(tag);
  }

  /** How many branches are still running. */
  get size(): number {
    return this.inFlight.size;
  }

  /** Wait until the branches of these tags (those still running) have finished. */
  async settle(tags: Iterable<string>): Promise<void> {
    const waiting: Promise<void>[] = [];
    for (const tag of tags) {
      const p = this.inFlight.get(tag);
      if (p) waiting.push(p);
    }
    await Promise.all(waiting);
  }

  /** Wait until every branch has finished. */
  async settleAll(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight.values()]);
  }
}

/** When and how long a branch ran. */
export interface BranchTiming {
  start_time: string;
  duration: number;
}

/**
 * A finished parallel state in Salt's shape: the placeholder's keys first (name, result,
 * changes, comment, then the engine's bookkeeping with the run number given at launch),
 * then what the branch added (any extra keys of the state's return, `__parallel__`).
 */
export function parallelResult<R extends StateReturn>(ret: R, orig: LowChunk, runNum: number, timing: BranchTiming): StateResult {
  const { name, result, changes, comment, ...extras } = ret;
  return {
    name,
    result,
    changes,
    comment,
    __sls__: orig.__sls__,
    __run_num__: runNum,
    start_time: timing.start_time,
    duration: timing.duration,
    __id__: orig.__id__,
    ...extras,
    __parallel__: true,
  };
}

/**
 * The result of a branch that ended without a return (an engine fault, never a state's own
 * failure, which its branch records): failed, with Salt's comment and the fault.
 */
export function lostBranchResult(orig: LowChunk, runNum: number, timing: BranchTiming, fault: unknown): StateResult {
  const why = fault instanceof Error ? fault.message : String(fault);
  return {
    name: orig.name,
    result: false,
    changes: {},
    comment: `Parallel process failed to return: ${why}`,
    __sls__: orig.__sls__,
    __run_num__: runNum,
    start_time: timing.start_time,
    duration: timing.duration,
    __id__: orig.__id__,
  };
}
