/**
 * Orchestration runs on the master (`brine orch run NAME`, Salt's state.orchestrate): the SLS is
 * compiled, stored as a job (fun `state.orchestrate`, its steps' jobs are its children), run by
 * the state engine with the `salt` and `test` state modules, and followed by events for the
 * CLI's live display. Each finished step is recorded on disk; a run cut short by a master
 * restart is continued at the next start (or `brine orch resume JID`) without re-running the
 * steps it had finished.
 */
import * as path from 'node:path';
import type { Logger } from '../../common/log';
import { ORCH_RETURN_ID, type MinionProgress, type OrchStepStatus } from '../../common/protocol/orch';
import { chunkTag } from '../../common/sls/lowstate';
import type { Dict, LowChunk, StateResult, StateRunResult } from '../../common/types';
import { stateContextFor } from '../../minion/runtime';
import { runChunks } from '../../minion/state/engine';
import type { StateContext, StateModule } from '../../minion/states/contract';
import { builtinStateModules } from '../../minion/states/index';
import type { MasterConfig } from '../config/index';
import type { JobDispatcher } from '../daemon/dispatcher';
import type { EventPublisher } from '../daemon/event-publisher';
import { newJid, type JobCache } from '../jobcache/index';
import { compileOrchestration } from './compile-orch';
import { OrchStore, type OrchRecord } from './orch-store';
import { skipFinished } from './resume-wrap';
import { runnerFunctions } from './runners';
import { saltStateModule, stepTag } from './salt-module';
import { StepJobs } from './step-jobs';

/** The function name orchestration jobs have in the job cache. */
export const ORCH_FUN = 'state.orchestrate';
const PROGRESS_EVERY_MS = 250;

/** What the runner works with. */
export interface OrchRunnerDeps {
  config: MasterConfig;
  cache: JobCache;
  dispatcher: JobDispatcher;
  events: EventPublisher;
  log: Logger;
}

/** Starts, runs and resumes orchestrations. */
export class OrchestrationRunner {
  private readonly store: OrchStore;
  private readonly steps: StepJobs;
  private readonly active = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(private readonly deps: OrchRunnerDeps) {
    this.store = new OrchStore(path.join(deps.config.cachedir, 'orch'));
    this.steps = new StepJobs(deps.dispatcher, deps.cache, deps.events.local);
  }

  /** Start orchestration `name`; resolves with its jid once it is stored (the run goes on). */
  start(name: string, pillar: Dict | undefined, test: boolean, user = 'root'): { ok: true; jid: string } | { ok: false; error: string } {
    const jid = newJid();
    this.deps.cache.createJob({ jid, fun: ORCH_FUN, args: [name], kwargs: { ...(pillar ? { pillar } : {}), ...(test ? { test: true } : {}) }, tgt: ORCH_RETURN_ID, tgtType: 'glob', user, expected: [ORCH_RETURN_ID] });
    const record: OrchRecord = { jid, sls: name, pillar: pillar ?? null, test, startedAt: Date.now(), results: {}, done: false };
    this.store.save(record);
    this.launch(record, false);
    return { ok: true, jid };
  }

  /** Continue run `jid` (already running: nothing to do; finished: refused). */
  resume(jid: string): { ok: true; jid: string; resumed: boolean } | { ok: false; error: string } {
    if (this.active.has(jid)) return { ok: true, jid, resumed: false };
    const record = this.store.load(jid);
    if (!record) return { ok: false, error: `No orchestration run ${jid} is known to this master` };
    if (record.done) return { ok: false, error: `Orchestration run ${jid} is finished: see brine jobs show ${jid}` };
    this.launch(record, true);
    return { ok: true, jid, resumed: true };
  }

  /** At start: continue every orchestration the job cache still has running. */
  resumeAll(): void {
    for (const job of this.deps.cache.listJobs({ status: 'running', fun: ORCH_FUN, limit: 10_000 })) {
      const record = this.store.load(job.jid);
      if (record && !record.done) {
        this.deps.log.warning(`Orchestration ${job.jid} (${record.sls}) was cut short by a master restart: continuing it from its first unfinished step`);
        this.launch(record, true);
      } else this.deps.cache.finishJob(job.jid);
    }
  }

  /** Whether run `jid` is going on. */
  isRunning(jid: string): boolean {
    return this.active.has(jid);
  }

  /** Stop starting new steps (the master is stopping); runs are continued at the next start. */
  stop(): void {
    this.stopped = true;
  }

  private launch(record: OrchRecord, resumed: boolean): void {
    const run = this.run(record, resumed)
      .catch((e: Error) => this.deps.log.error(`Orchestration ${record.jid} failed: ${e.stack ?? e.message}`))
      .finally(() => this.active.delete(record.jid));
    this.active.set(record.jid, run);
  }

  private async run(record: OrchRecord, resumed: boolean): Promise<void> {
    const { config, events, log } = this.deps;
    const jid = record.jid;
    const lastProgress = new Map<string, number>();
    const stepStarted = new Map<string, number>();
    const salt = saltStateModule({
      steps: this.steps,
      runners: runnerFunctions({ cache: this.deps.cache, steps: this.steps, parentJid: jid, timeout: config.timeout }),
      bus: events.local,
      parentJid: jid,
      timeout: config.timeout,
      resolve: (tgt, tgtType) => this.deps.dispatcher.resolve(tgt, tgtType),
      stopping: () => this.stopped,
      adoptable: (tag) => (resumed && !record.results[tag] ? record.stepJobs?.[tag] : undefined),
      onStepProgress: (ctx, saltFun, name, stepJid, minions) => {
        const tag = stepTag(ctx, saltFun, name);
        if (stepJid && record.stepJobs?.[tag] !== stepJid) {
          record.stepJobs = { ...record.stepJobs, [tag]: stepJid };
          this.store.save(record);
        }
        this.stepProgress(jid, tag, stepJid, minions, stepStarted, lastProgress);
      },
    });
    const testModule = builtinStateModules.find((m) => m.name === 'test');
    const modules = new Map<string, StateModule>([['salt', salt], ...(testModule ? [['test', testModule] as [string, StateModule]] : [])]);
    const compiled = compileOrchestration(config, record.sls, record.pillar ?? undefined, modules);
    if (!compiled.ok) {
      await this.finish(record, compiled.errors, 1);
      return;
    }
    const { chunks, inputs } = compiled.value;
    await events.orch(
      {
        type: 'orch-start',
        jid,
        name: compiled.value.sls,
        test: record.test,
        steps: chunks.map((c) => ({ id: c.__id__, tag: chunkTag(c), fun: `${c.state}.${c.fun}` })),
        resumed,
        finished: Object.keys(record.results),
        at: Date.now(),
      },
      resumed ? undefined : `${jid}.orch-start`,
    );
    log.info(`Orchestration ${jid}: ${compiled.value.sls}${record.test ? ' (test)' : ''}, ${chunks.length} steps${resumed ? `, ${Object.keys(record.results).length} already done` : ''}`);
    const results = await runChunks(chunks, {
      test: record.test,
      modules: resumed ? skipFinished(modules, record.results) : modules,
      contextFor: (low: LowChunk, test: boolean): StateContext =>
        stateContextFor(low, test, inputs, () => {
          throw new Error('templates are not rendered in orchestration steps');
        }),
      onResult: (tag: string, result: StateResult) => {
        if (this.stopped) return;
        record.results[tag] = result;
        this.store.save(record);
        void events.orch({ type: 'orch-step', jid, tag, status: stepStatus(result), comment: result.comment, result: result.result, startedAt: stepStarted.get(tag) ?? Date.now(), at: Date.now() });
      },
      log,
    });
    if (this.stopped) return;
    const failed = Object.values(results).some((r) => r.result === false);
    await this.finish(record, results, failed ? 1 : 0);
  }

  private readonly lastStepJid = new Map<string, string>();

  private stepProgress(jid: string, tag: string, stepJid: string | undefined, minions: Record<string, MinionProgress>, started: Map<string, number>, last: Map<string, number>): void {
    const lastJid = this.lastStepJid;
    if (!started.has(tag)) started.set(tag, Date.now());
    const now = Date.now();
    const settled = Object.values(minions).some((m) => m.state !== 'running' && m.state !== 'waiting');
    const newJob = stepJid !== undefined && lastJid.get(tag) !== stepJid;
    if (!settled && !newJob && now - (last.get(tag) ?? 0) < PROGRESS_EVERY_MS) return;
    last.set(tag, now);
    if (stepJid !== undefined) lastJid.set(tag, stepJid);
    void this.deps.events.orch({ type: 'orch-step', jid, tag, status: 'running', ...(stepJid ? { stepJid } : {}), minions, startedAt: started.get(tag), at: now });
  }

  private async finish(record: OrchRecord, results: StateRunResult | string[], retcode: number): Promise<void> {
    const { cache, events } = this.deps;
    const data = { [ORCH_RETURN_ID]: results as unknown as Record<string, unknown> };
    await cache.recordReturn({ jid: record.jid, minion: ORCH_RETURN_ID, data: results, retcode, success: retcode === 0, startedAt: record.startedAt, finishedAt: Date.now() });
    cache.finishJob(record.jid);
    record.done = true;
    this.store.save(record);
    await events.orch({ type: 'orch-done', jid: record.jid, data, retcode, at: Date.now() }, `${record.jid}.orch-done`);
    this.deps.log.info(`Orchestration ${record.jid} finished (retcode ${retcode})`);
  }
}


/** The display status of a finished step. */
export function stepStatus(result: StateResult): OrchStepStatus {
  if (result.result === false) return /^One or more requisite failed/.test(result.comment) ? 'skipped' : 'failed';
  if (result.result === null) return 'changed';
  return Object.keys(result.changes ?? {}).length > 0 ? 'changed' : 'ok';
}
