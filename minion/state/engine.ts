/**
 * The state engine: runs ordered low chunks, honouring requisites (require, watch ->
 * mod_watch, onchanges, onfail, prereq, listen, the `_any`/`_all` forms), `failhard`,
 * `retry`, `onlyif`/`unless`/`creates`, `parallel` and test mode, and returns Salt 3006's results.
 */
import type { Logger } from '../../common/log';
import { chunkTag } from '../../common/sls/lowstate';
import type { Dict, LowChunk, StateResult, StateReturn, StateRunResult } from '../../common/types';
import type { StateContext, StateModule } from '../states/contract';
import { evaluateConditions, hasConditions, shellRetcode, type ConditionVerdict, type RetcodeRunner } from './conditions';
import { isParallel, lostBranchResult, parallelResult, ParallelBranches, type BranchTiming } from './parallel';
import {
  lostRequisitesComment, requisiteStatus, resolveRequisites, type RanResult, type RequisiteKind, type RequisiteStatus,
} from './requisites';
import {
  parallelRetryComment, retryConfig, retryInterval, retryTestComment, serialRetryComment, type RetryConfig,
} from './retry';
import { startStopwatch, stopStopwatch } from './timing';
import { runStateFunction } from './invoke';

/** Everything the engine needs from its host. */
export interface EngineOptions {
  test: boolean;
  failhard?: boolean;
  modules: ReadonlyMap<string, StateModule>;
  /** Build the context a state function runs with. */
  contextFor(low: LowChunk, test: boolean): StateContext;
  /** How onlyif/unless commands run (default: /bin/sh -c). */
  retcode?: RetcodeRunner;
  /** Called after each state finishes (progress events). */
  onResult?(tag: string, result: StateResult, done: number, total: number): void;
  /** Where the engine logs state starts, completions and failures (never arguments). */
  log?: Logger;
  /** Sleep used between retries (tests pass a fast one). */
  sleep?(ms: number): Promise<void>;
}

type Running = Map<string, StateResult>;

/** A state return as the engine handles it (`skip_watch` is set when onlyif/unless skipped it). */
type EngineReturn = StateReturn & { skip_watch?: boolean };

/** How conditions (onlyif/unless/creates) are handled for one call: checked now, already decided, or already passed. */
type Conditions = 'evaluate' | 'passed' | ConditionVerdict;

/** The requisite statuses under which the state function itself is called. */
type CallStatus = Extract<RequisiteStatus, 'met' | 'change' | 'skip_watch'>;

interface CallOptions {
  /** Run in test mode whatever the run's mode (prereq checks). */
  forceTest?: boolean;
  /** A prereq check: its result goes to `pre`, with run number -1 and no retry. */
  prereqRun?: boolean;
  conditions?: Conditions;
}

/** Run compiled chunks and return the results in Salt's shape. */
export async function runChunks(chunks: readonly LowChunk[], opts: EngineOptions): Promise<StateRunResult> {
  const run = new EngineRun(chunks, opts);
  return run.execute();
}

class EngineRun {
  private readonly running: Running = new Map();
  private readonly pre = new Map<string, StateResult>();
  private readonly active = new Set<string>();
  private readonly branches = new ParallelBranches();
  /** Result keys in Salt's order: a parallel state's at its launch, the others' when they finish. */
  private readonly slots = new Set<string>();
  private runNum = 0;
  private failhardHit = false;

  constructor(
    private readonly chunks: readonly LowChunk[],
    private readonly opts: EngineOptions,
  ) {}

  async execute(): Promise<StateRunResult> {
    for (const low of this.chunks) {
      if (this.failhardHit) break;
      if (!this.started(chunkTag(low))) await this.callChunk(low);
    }
    await this.branches.settleAll();
    if (!this.failhardHit) await this.callListen();
    const out: StateRunResult = {};
    for (const tag of this.slots) {
      const r = this.running.get(tag);
      if (r) out[tag] = r;
    }
    return out;
  }

  /** Whether a chunk has finished or is running in a parallel branch. */
  private started(tag: string): boolean {
    return this.running.has(tag) || this.branches.has(tag);
  }

  private shouldFailhard(low: LowChunk): boolean {
    if (this.opts.test) return false;
    const r = this.running.get(chunkTag(low));
    if (!r || r.result !== false) return false;
    return Boolean(low.failhard ?? this.opts.failhard ?? false);
  }

  private store(tag: string, result: StateResult): void {
    this.slots.add(tag);
    this.running.set(tag, result);
  }

  /**
   * Keep a finished result. A parallel state never triggers failhard itself: Salt checks
   * failhard when the state is started, and its result is then still None.
   */
  private record(low: LowChunk, result: StateResult, parallel = false): void {
    const tag = chunkTag(low);
    const log = this.opts.log;
    if (log) {
      const what = `${low.state}.${low.fun} [${low.name}] (${low.__sls__}:${low.__id__})`;
      if (result.result === false) log.error(`${what} failed: ${result.comment}`);
      else log.info(`Completed state ${what} at time ${result.start_time} (duration_in_ms=${result.duration})`);
    }
    this.store(tag, result);
    this.opts.onResult?.(tag, result, this.running.size, this.chunks.length);
    if (!parallel && this.shouldFailhard(low)) this.failhardHit = true;
  }

  private async callChunk(low: LowChunk): Promise<void> {
    const tag = chunkTag(low);
    const { byKind, lost } = resolveRequisites(low, this.chunks);
    if ([...lost.values()].some((l) => l.length)) {
      this.record(low, this.notRun(low, false, lostRequisitesComment(lost), true));
      return;
    }
    this.active.add(tag);
    try {
      for (const [kind, reqChunks] of byKind) {
        for (const req of reqChunks) {
          if (this.failhardHit) return;
          const rtag = chunkTag(req);
          if (kind === 'prereq') {
            if (!this.pre.has(rtag) && !this.started(rtag)) await this.preCheck(req, low);
            continue;
          }
          if (this.started(rtag)) continue;
          if (this.active.has(rtag)) {
            if (kind === 'prerequired') continue;
            this.record(low, this.notRun(low, false, 'Recursive requisite found', true));
            return;
          }
          await this.callChunk(req);
        }
      }
      if (this.failhardHit || this.started(tag)) return;
      // Requisites running in parallel branches are waited for before their results are judged.
      await this.settleRequisites(byKind);
      const status = requisiteStatus(byKind, this.running as Map<string, RanResult>, this.pre);
      switch (status) {
        case 'met':
        case 'change':
        case 'skip_watch':
          if (isParallel(low)) await this.launch(low, status);
          else this.record(low, await this.callNow(low, status));
          break;
        case 'fail': {
          const failed = new Set<string>();
          for (const reqChunks of byKind.values()) {
            for (const req of reqChunks) {
              const r = this.pre.get(chunkTag(req)) ?? this.running.get(chunkTag(req));
              if (r && r.result === false) failed.add(`${req.__sls__}.${req.__id__}`);
            }
          }
          this.record(low, this.notRun(low, false, `One or more requisite failed: ${[...failed].join(', ')}`));
          break;
        }
        case 'pre':
          this.record(low, this.notRun(low, true, 'No changes detected'));
          break;
        case 'onfail':
          this.record(low, this.notRun(low, true, 'State was not run because onfail req did not change'));
          break;
        case 'onchanges':
          this.record(low, this.notRun(low, true, 'State was not run because none of the onchanges reqs changed'));
          break;
      }
    } finally {
      this.active.delete(tag);
    }
  }

  private async settleRequisites(byKind: ReadonlyMap<RequisiteKind, LowChunk[]>): Promise<void> {
    const tags: string[] = [];
    for (const reqChunks of byKind.values()) for (const req of reqChunks) tags.push(chunkTag(req));
    await this.branches.settle(tags);
  }

  /** Call the state function now (and mod_watch when a watched state changed). */
  private async callNow(low: LowChunk, status: CallStatus, conditions: Conditions = 'evaluate'): Promise<StateResult> {
    let ret = await this.call(low, low, { conditions });
    if (status === 'skip_watch') {
      ret.comment += ' mod_watch was not run because requisites were skipped by another state';
    } else if (status === 'change') {
      const mod = this.opts.modules.get(low.state);
      if (!Object.keys(ret.changes).length && !ret.skip_watch && mod?.modWatch) {
        ret = await this.call(watchLow(low), low);
      }
    }
    return ret;
  }

  /**
   * Start a parallel state and return without waiting for it. As in Salt, onlyif/unless/creates
   * are checked first: a state they skip is not started in parallel.
   */
  private async launch(low: LowChunk, status: CallStatus): Promise<void> {
    if (hasConditions(low)) {
      let verdict: ConditionVerdict | undefined;
      try {
        verdict = await evaluateConditions(low, this.opts.retcode ?? shellRetcode);
      } catch {
        verdict = undefined; // the call evaluates them again and reports the exception
      }
      if (!verdict || verdict.skip) {
        this.record(low, await this.callNow(low, status, verdict ?? 'evaluate'));
        return;
      }
    }
    const tag = chunkTag(low);
    const mod = this.opts.modules.get(low.state);
    // Salt starts mod_watch as a parallel call of its own after the state's: two run numbers, the result keeps the second.
    const reserved = status === 'change' && mod?.modWatch ? 2 : 1;
    const runNum = this.runNum + reserved - 1;
    this.runNum += reserved;
    this.slots.add(tag);
    this.opts.log?.info(`Started state ${low.state}.${low.fun} [${low.name}] (${low.__sls__}:${low.__id__}) in parallel`);
    const sw = startStopwatch();
    this.branches.start(tag, async () => {
      let result: StateResult;
      try {
        result = await this.runBranch(low, status, runNum);
      } catch (e) {
        result = lostBranchResult(low, runNum, stopStopwatch(sw), e);
      }
      this.record(low, result, true);
    });
  }

  /** The body of a parallel branch: the state (then mod_watch when it made no change), retried as Salt retries in a branch. */
  private async runBranch(low: LowChunk, status: CallStatus, runNum: number): Promise<StateResult> {
    let run = await this.attemptInBranch(low, 'passed');
    if (status === 'skip_watch') {
      run.ret.comment += ' mod_watch was not run because requisites were skipped by another state';
    } else if (status === 'change') {
      const mod = this.opts.modules.get(low.state);
      if (!Object.keys(run.ret.changes).length && !run.ret.skip_watch && mod?.modWatch) {
        run = await this.attemptInBranch(watchLow(low), 'evaluate');
      }
    }
    return parallelResult(run.ret, low, runNum, run.timing);
  }

  /** One state function call inside a branch, with its retries (Salt's `_call_parallel_target`). */
  private async attemptInBranch(low: LowChunk, conditions: Conditions): Promise<{ ret: EngineReturn; timing: BranchTiming }> {
    const test = this.opts.test;
    const sw = startStopwatch();
    let ret = await this.runFunction(low, test, conditions);
    const timing = stopStopwatch(sw);
    if (low.retry === undefined) return { ret, timing };
    const cfg = retryConfig(low.retry);
    if (test) return { ret: { ...ret, comment: retryTestComment(ret.comment, cfg) }, timing };
    let attempt = 1;
    while (ret.result !== cfg.until && cfg.attempts > attempt) {
      const interval = retryInterval(cfg);
      await (this.opts.sleep ?? defaultSleep)(interval * 1000);
      const again = startStopwatch();
      const next = await this.runFunction(low, false, 'passed');
      timing.duration += stopStopwatch(again).duration + interval * 1000;
      ret = { ...next, comment: parallelRetryComment(attempt, ret.comment, next) };
      attempt++;
    }
    return { ret, timing };
  }

  /** Run a prereq'd chunk in test mode (after its own requisites) to learn whether it would change. */
  private async preCheck(target: LowChunk, requirer: LowChunk): Promise<void> {
    const { byKind } = resolveRequisites(target, this.chunks);
    for (const [kind, reqChunks] of byKind) {
      if (kind === 'prerequired' || kind === 'prereq') continue;
      for (const req of reqChunks) {
        const rtag = chunkTag(req);
        if (!this.started(rtag) && !this.active.has(rtag) && chunkTag(req) !== chunkTag(requirer)) {
          await this.callChunk(req);
        }
      }
    }
    const own = new Map([...byKind].filter(([k]) => k !== 'prerequired' && k !== 'prereq'));
    await this.settleRequisites(own);
    const status = requisiteStatus(own, this.running as Map<string, RanResult>, this.pre);
    let ret: StateResult;
    if (status === 'fail') ret = this.notRun(target, false, 'One or more requisite failed', false, true);
    else {
      ret = await this.call(target, target, { forceTest: true, prereqRun: true });
      if (!Object.keys(ret.changes).length && status === 'change') {
        ret.changes = { watch: 'watch' };
        ret.result = null;
      }
    }
    this.pre.set(chunkTag(target), ret);
  }

  /** Call one state function (or mod_watch) with timing, checks, retries and error capture. */
  private async call(low: LowChunk, orig: LowChunk = low, opts: CallOptions = {}): Promise<StateResult> {
    const test = Boolean(opts.forceTest) || this.opts.test;
    const sw = startStopwatch();
    const ret = await this.runFunction(low, test, opts.conditions ?? 'evaluate');
    const retryCfg = low.retry === undefined ? undefined : retryConfig(low.retry);
    const timing = stopStopwatch(sw);
    const result: StateResult = {
      ...ret,
      __sls__: orig.__sls__,
      __run_num__: opts.prereqRun ? -1 : this.runNum++,
      start_time: timing.start_time,
      duration: timing.duration,
      __id__: orig.__id__,
    };
    if (retryCfg && !opts.prereqRun) return this.retry(low, orig, result, retryCfg, test);
    return result;
  }

  /** The state function's return, or Salt's comment when the module or function does not exist. */
  private async runFunction(low: LowChunk, test: boolean, conditions: Conditions): Promise<EngineReturn> {
    const mod = this.opts.modules.get(low.state);
    const fn = low.fun === 'mod_watch' ? mod?.modWatch : mod?.functions[low.fun];
    if (!mod || !fn) {
      const full = `${low.state}.${low.fun}`;
      return {
        result: false,
        name: low.name,
        changes: {},
        comment: `State '${full}' was not found in SLS '${low.__sls__}'\nReason: '${full}' is not available.\n`,
      };
    }
    return this.invoke(low, mod, test, conditions);
  }

  private async retry(
    low: LowChunk,
    orig: LowChunk,
    first: StateResult,
    cfg: RetryConfig,
    test: boolean,
  ): Promise<StateResult> {
    if (test) {
      first.comment = retryTestComment(first.comment, cfg);
      return first;
    }
    let ret = first;
    let attempt = 1;
    while (ret.result !== cfg.until && cfg.attempts > attempt) {
      const interval = retryInterval(cfg);
      await (this.opts.sleep ?? defaultSleep)(interval * 1000);
      const prev = ret;
      const sw = startStopwatch();
      const mod = this.opts.modules.get(low.state)!;
      const again = await this.invoke(low, mod, false, 'evaluate');
      const timing = stopStopwatch(sw);
      ret = {
        ...again,
        __sls__: orig.__sls__,
        __run_num__: first.__run_num__,
        start_time: first.start_time,
        duration: prev.duration + timing.duration + interval * 1000,
        __id__: orig.__id__,
      };
      ret.comment = serialRetryComment(attempt, prev, again.comment ?? '');
      attempt++;
    }
    return ret;
  }

  private async invoke(low: LowChunk, mod: StateModule, test: boolean, conditions: Conditions): Promise<EngineReturn> {
    try {
      if (conditions !== 'passed') {
        const verdict = conditions === 'evaluate'
          ? (hasConditions(low) ? await evaluateConditions(low, this.opts.retcode ?? shellRetcode) : undefined)
          : conditions;
        if (verdict?.skip) {
          return { name: low.name, changes: {}, result: true, comment: verdict.comment, skip_watch: verdict.skipWatch };
        }
      }
      const ctx = this.opts.contextFor(low, test);
      const args = stateArguments(low);
      if (low.fun === 'mod_watch') {
        const r = await mod.modWatch!(low.name, args, ctx);
        const ret: StateReturn = { name: r.name ?? low.name, changes: r.changes ?? {}, result: r.result, comment: r.comment ?? '' };
        if (r.warnings?.length) ret.warnings = r.warnings;
        if (r.backend) ret.backend = r.backend;
        return ret;
      }
      return await runStateFunction(mod.functions[low.fun], low.name, args, ctx);
    } catch (e) {
      const err = e as Error;
      return {
        name: low.name,
        changes: {},
        result: false,
        comment: `An exception occurred in this state: ${err?.stack ?? String(e)}`,
      };
    }
  }

  private notRun(low: LowChunk, result: boolean, comment: string, stateRan = false, prereqRun = false): StateResult {
    const sw = startStopwatch();
    const timing = stopStopwatch(sw);
    const r: StateResult = {
      name: low.name,
      changes: {},
      result,
      duration: timing.duration,
      start_time: timing.start_time,
      comment,
      __run_num__: prereqRun ? -1 : this.runNum++,
      __sls__: low.__sls__,
      __id__: low.__id__,
    };
    if (!stateRan) r.__state_ran__ = false;
    return r;
  }

  /** After the run: mod_watch of every state that `listen`s to a state that changed (Salt's call_listen). */
  private async callListen(): Promise<void> {
    const watchers: LowChunk[] = [];
    const seen = new Set<string>();
    const addWatcher = (listener: LowChunk, target: LowChunk) => {
      const r = this.running.get(chunkTag(target));
      if (!r || !Object.keys(r.changes).length) return;
      const low = { ...listener, sfun: listener.fun, fun: 'mod_watch', __id__: `listener_${listener.__id__}` } as LowChunk;
      const tag = chunkTag(low);
      if (seen.has(tag)) return;
      seen.add(tag);
      watchers.push(low);
    };
    for (const chunk of this.chunks) {
      for (const [key, targets] of [['listen', chunk.listen], ['listen_in', chunk.listen_in]] as const) {
        if (!Array.isArray(targets)) continue;
        for (const t of targets) {
          const [state, id] = typeof t === 'string' ? [undefined, t] : (Object.entries(t as Dict)[0] ?? []);
          const matched = this.chunks.filter(
            (c) => (state === undefined || c.state === state) && (c.__id__ === String(id) || c.name === String(id)),
          );
          if (!matched.length) {
            const ltag = `Listen_Error_|-listen_${String(id)}_|-listen_${state}_|-Listen_Error`;
            this.store(ltag, {
              ...this.notRun(chunk, false, `Referenced state ${state}: ${String(id)} does not exist`, true),
              name: `listen_${state}:${String(id)}`,
            });
            continue;
          }
          for (const m of matched) {
            if (key === 'listen') addWatcher(chunk, m);
            else addWatcher(m, chunk);
          }
        }
      }
    }
    for (const low of watchers) {
      for (const k of ['require', 'watch', 'listen', 'listen_in', 'onchanges', 'onfail', 'prereq']) delete low[k];
      // Salt runs the listeners as a run of their own: parallel ones in branches, all settled at its end.
      if (isParallel(low)) await this.launch(low, 'met');
      else this.record(low, await this.call(low));
    }
    await this.branches.settleAll();
  }
}

/** The chunk that calls a state's mod_watch (`sfun` names the state function). */
function watchLow(low: LowChunk): LowChunk {
  return { ...low, sfun: low.fun, fun: 'mod_watch' } as LowChunk;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Low-chunk keys that are engine business, never passed to a state function. */
const ENGINE_KEYS = new Set([
  'state', 'fun', 'name', 'order', 'failhard', 'onlyif', 'unless', 'creates', 'retry', 'parallel',
  'reload_modules', 'reload_grains', 'reload_pillar', 'fire_event', 'check_cmd', 'listen', 'listen_in',
  'require_any', 'require_in', 'watch', 'watch_any', 'watch_in', 'prereq', 'prereq_in',
  'prerequired', 'onchanges', 'onchanges_any', 'onchanges_in', 'onfail', 'onfail_any', 'onfail_all',
  'onfail_in', 'onfail_stop', 'use', 'use_in', 'name_order',
]);

/**
 * The arguments a state function receives: the chunk minus engine keys and dunders.
 * `require` is passed on, as Salt does for functions that take it (file.directory's `clean`
 * keeps the files of the states it requires).
 */
export function stateArguments(low: LowChunk): Dict {
  const args: Dict = {};
  for (const [k, v] of Object.entries(low)) {
    if (k.startsWith('__') || ENGINE_KEYS.has(k)) continue;
    args[k] = v;
  }
  return args;
}
