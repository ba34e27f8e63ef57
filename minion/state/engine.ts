/**
 * The state engine: runs ordered low chunks, honouring requisites (require, watch ->
 * mod_watch, onchanges, onfail, prereq, listen, the `_any`/`_all` forms), `failhard`,
 * `retry`, `onlyif`/`unless`/`creates` and test mode, and returns Salt 3006's results.
 */
import type { Logger } from '../../common/log';
import { chunkTag } from '../../common/sls/lowstate';
import type { Dict, LowChunk, StateResult, StateReturn, StateRunResult } from '../../common/types';
import type { StateContext, StateModule } from '../states/contract';
import { evaluateConditions, hasConditions, shellRetcode, type RetcodeRunner } from './conditions';
import { lostRequisitesComment, requisiteStatus, resolveRequisites, type RanResult } from './requisites';
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

/** Run compiled chunks and return the results in Salt's shape. */
export async function runChunks(chunks: readonly LowChunk[], opts: EngineOptions): Promise<StateRunResult> {
  const run = new EngineRun(chunks, opts);
  return run.execute();
}

class EngineRun {
  private readonly running: Running = new Map();
  private readonly pre = new Map<string, StateResult>();
  private readonly active = new Set<string>();
  private runNum = 0;
  private failhardHit = false;

  constructor(
    private readonly chunks: readonly LowChunk[],
    private readonly opts: EngineOptions,
  ) {}

  async execute(): Promise<StateRunResult> {
    for (const low of this.chunks) {
      if (this.failhardHit) break;
      if (!this.running.has(chunkTag(low))) await this.callChunk(low);
    }
    if (!this.failhardHit) await this.callListen();
    return Object.fromEntries(this.running);
  }

  private shouldFailhard(low: LowChunk): boolean {
    if (this.opts.test) return false;
    const r = this.running.get(chunkTag(low));
    if (!r || r.result !== false) return false;
    return Boolean(low.failhard ?? this.opts.failhard ?? false);
  }

  private record(low: LowChunk, result: StateResult): void {
    const tag = chunkTag(low);
    const log = this.opts.log;
    if (log) {
      const what = `${low.state}.${low.fun} [${low.name}] (${low.__sls__}:${low.__id__})`;
      if (result.result === false) log.error(`${what} failed: ${result.comment}`);
      else log.info(`Completed state ${what} at time ${result.start_time} (duration_in_ms=${result.duration})`);
    }
    this.running.set(tag, result);
    this.opts.onResult?.(tag, result, this.running.size, this.chunks.length);
    if (this.shouldFailhard(low)) this.failhardHit = true;
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
            if (!this.pre.has(rtag) && !this.running.has(rtag)) await this.preCheck(req, low);
            continue;
          }
          if (this.running.has(rtag)) continue;
          if (this.active.has(rtag)) {
            if (kind === 'prerequired') continue;
            this.record(low, this.notRun(low, false, 'Recursive requisite found', true));
            return;
          }
          await this.callChunk(req);
        }
      }
      if (this.failhardHit || this.running.has(tag)) return;
      const status = requisiteStatus(byKind, this.running as Map<string, RanResult>, this.pre);
      switch (status) {
        case 'met':
          this.record(low, await this.call(low));
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
        case 'skip_watch': {
          const ret = await this.call(low);
          ret.comment += ' mod_watch was not run because requisites were skipped by another state';
          this.record(low, ret);
          break;
        }
        case 'change': {
          let ret = await this.call(low);
          const mod = this.opts.modules.get(low.state);
          if (!Object.keys(ret.changes).length && !ret.skip_watch && mod?.modWatch) {
            ret = await this.call({ ...low, sfun: low.fun, fun: 'mod_watch' } as LowChunk, low);
          }
          this.record(low, ret);
          break;
        }
      }
    } finally {
      this.active.delete(tag);
    }
  }

  /** Run a prereq'd chunk in test mode (after its own requisites) to learn whether it would change. */
  private async preCheck(target: LowChunk, requirer: LowChunk): Promise<void> {
    const { byKind } = resolveRequisites(target, this.chunks);
    for (const [kind, reqChunks] of byKind) {
      if (kind === 'prerequired' || kind === 'prereq') continue;
      for (const req of reqChunks) {
        const rtag = chunkTag(req);
        if (!this.running.has(rtag) && !this.active.has(rtag) && chunkTag(req) !== chunkTag(requirer)) {
          await this.callChunk(req);
        }
      }
    }
    const status = requisiteStatus(
      new Map([...byKind].filter(([k]) => k !== 'prerequired' && k !== 'prereq')),
      this.running as Map<string, RanResult>,
      this.pre,
    );
    let ret: StateResult;
    if (status === 'fail') ret = this.notRun(target, false, 'One or more requisite failed', false, true);
    else {
      ret = await this.call(target, target, true, true);
      if (!Object.keys(ret.changes).length && status === 'change') {
        ret.changes = { watch: 'watch' };
        ret.result = null;
      }
    }
    this.pre.set(chunkTag(target), ret);
  }

  /** Call one state function (or mod_watch) with timing, checks, retries and error capture. */
  private async call(low: LowChunk, orig: LowChunk = low, forceTest = false, prereqRun = false): Promise<StateResult> {
    const test = forceTest || this.opts.test;
    const sw = startStopwatch();
    let ret: StateReturn & { skip_watch?: boolean };
    const mod = this.opts.modules.get(low.state);
    const fn = low.fun === 'mod_watch' ? mod?.modWatch : mod?.functions[low.fun];
    if (!mod || !fn) {
      const full = `${low.state}.${low.fun}`;
      ret = {
        result: false,
        name: low.name,
        changes: {},
        comment: `State '${full}' was not found in SLS '${low.__sls__}'\nReason: '${full}' is not available.\n`,
      };
    } else {
      ret = await this.invoke(low, mod, test);
    }
    const retryCfg = low.retry === undefined ? undefined : retryConfig(low.retry);
    const timing = stopStopwatch(sw);
    const result: StateResult = {
      ...ret,
      __sls__: orig.__sls__,
      __run_num__: prereqRun ? -1 : this.runNum++,
      start_time: timing.start_time,
      duration: timing.duration,
      __id__: orig.__id__,
    };
    if (retryCfg && !prereqRun) return this.retry(low, orig, result, retryCfg, test);
    return result;
  }

  private async retry(
    low: LowChunk,
    orig: LowChunk,
    first: StateResult,
    cfg: RetryConfig,
    test: boolean,
  ): Promise<StateResult> {
    if (test) {
      first.comment = `${first.comment}  The state would be retried every ${cfg.interval} seconds (with a splay of up to ${cfg.splay} seconds) a maximum of ${cfg.attempts} times or until a result of ${pyBool(cfg.until)} is returned`;
      return first;
    }
    let ret = first;
    let attempt = 1;
    while (ret.result !== cfg.until && cfg.attempts > attempt) {
      const interval = cfg.interval + (cfg.splay ? Math.floor(Math.random() * (cfg.splay + 1)) : 0);
      await (this.opts.sleep ?? defaultSleep)(interval * 1000);
      const prev = ret;
      this.runNum--;
      const sw = startStopwatch();
      const mod = this.opts.modules.get(low.state)!;
      const again = await this.invoke(low, mod, false);
      const timing = stopStopwatch(sw);
      ret = {
        ...again,
        __sls__: orig.__sls__,
        __run_num__: this.runNum++,
        start_time: first.start_time,
        duration: prev.duration + timing.duration + interval * 1000,
        __id__: orig.__id__,
      };
      ret.comment = `Attempt ${attempt}: Returned a result of "${pyBool(prev.result)}", with the following comment: "${prev.comment}"\n${again.comment ?? ''}`;
      attempt++;
    }
    return ret;
  }

  private async invoke(low: LowChunk, mod: StateModule, test: boolean): Promise<StateReturn & { skip_watch?: boolean }> {
    try {
      if (hasConditions(low)) {
        const verdict = await evaluateConditions(low, this.opts.retcode ?? shellRetcode);
        if (verdict.skip) {
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
            this.running.set(ltag, {
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
      this.record(low, await this.call(low));
    }
  }
}

interface RetryConfig {
  until: boolean;
  attempts: number;
  splay: number;
  interval: number;
}

function retryConfig(v: unknown): RetryConfig {
  const defaults: RetryConfig = { until: true, attempts: 2, splay: 0, interval: 30 };
  if (v === true) return defaults;
  if (v === false) return { ...defaults, attempts: 0 };
  if (v && typeof v === 'object') {
    const d = v as Dict;
    return {
      until: typeof d.until === 'boolean' ? d.until : defaults.until,
      attempts: Number.isInteger(d.attempts) ? (d.attempts as number) : defaults.attempts,
      splay: Number.isInteger(d.splay) ? (d.splay as number) : defaults.splay,
      interval: Number.isInteger(d.interval) ? (d.interval as number) : defaults.interval,
    };
  }
  return defaults;
}

function pyBool(v: boolean | null): string {
  return v === null ? 'None' : v ? 'True' : 'False';
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
