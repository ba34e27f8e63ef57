/**
 * The `salt` state module of orchestration files (Salt's saltmod): `salt.state`,
 * `salt.function`, `salt.runner` and `salt.wait_for_event`, run by the master. In test mode
 * salt.state runs its step on the minions with test=True (that is its check), so these are
 * `run` functions rather than check-then-apply.
 */
import { fnmatchCase } from '../../common/match/fnmatch';
import { chunkTag } from '../../common/sls/lowstate';
import { isDict } from '../../common/sls/shape';
import type { Dict, StateReturn } from '../../common/types';
import type { MinionProgress } from '../../common/protocol/orch';
import type { StateContext, StateModule } from '../../minion/states/contract';
import type { LocalBus } from '../daemon/local-bus';
import { splitBatches } from './batch';
import type { RunnerFunction } from './runners';
import type { StepJob, StepJobs } from './step-jobs';
import { failMinionsOf, functionStepReturn, stateStepReturn } from './verdicts';

/** The functions of the salt module. */
export type SaltFunctionName = 'state' | 'function' | 'runner' | 'wait_for_event';

/** What the salt module works with during one orchestration run. */
export interface SaltModuleDeps {
  steps: StepJobs;
  runners: Record<string, RunnerFunction>;
  bus: LocalBus;
  /** The orchestration job: step jobs are its children. */
  parentJid: string;
  /** Default silence allowed per minion (seconds). */
  timeout: number;
  /** Resolve a target to the minions it names (for batches). */
  resolve: (tgt: string | string[], tgtType: string) => Promise<{ matched: string[] } | { error: string }>;
  /** The job a step published before the master restarted and that did not finish with the run, if any. */
  adoptable: (tag: string) => string | undefined;
  /** True once the master is stopping: no new step job is started (the run is continued at the next start). */
  stopping: () => boolean;
  /** Told when a step starts and as its minions progress. */
  onStepProgress: (ctx: StateContext, saltFun: SaltFunctionName, name: string, stepJid: string | undefined, minions: Record<string, MinionProgress>) => void;
}

function fail(name: string, comment: string): StateReturn {
  return { name, changes: {}, comment, result: false };
}

function targetOf(args: Dict): { tgt: string | string[]; tgtType: string } {
  const tgtType = typeof args.tgt_type === 'string' ? args.tgt_type : typeof args.expr_form === 'string' ? args.expr_form : 'glob';
  const tgt = Array.isArray(args.tgt) ? args.tgt.map(String) : String(args.tgt ?? '');
  return { tgt: tgtType === 'list' && typeof tgt === 'string' ? tgt.split(',').map((s) => s.trim()).filter(Boolean) : tgt, tgtType };
}

function timeoutOf(args: Dict, dflt: number): number {
  const t = Number(args.timeout);
  return Number.isFinite(t) && t > 0 ? t : dflt;
}

/** Salt's key of a step of the salt module. */
export function stepTag(ctx: Pick<StateContext, 'id'>, saltFun: SaltFunctionName, name: string): string {
  return chunkTag({ state: 'salt', __id__: ctx.id, name, fun: saltFun });
}

/** The `salt` state module for one orchestration run. */
export function saltStateModule(deps: SaltModuleDeps): StateModule {
  const runJob = async (ctx: StateContext, saltFun: SaltFunctionName, name: string, req: Parameters<StepJobs['run']>[0]): Promise<StepJob | { error: string }> => {
    if (deps.stopping()) return { error: 'The master is stopping: this step will run when the orchestration is resumed' };
    const earlier = req.tgtType === 'list' && Array.isArray(req.tgt) ? undefined : deps.adoptable(stepTag(ctx, saltFun, name));
    if (earlier) {
      deps.onStepProgress(ctx, saltFun, name, earlier, {});
      return deps.steps.follow(earlier);
    }
    deps.onStepProgress(ctx, saltFun, name, undefined, {});
    return deps.steps.run(req, deps.parentJid, (jid, minions) => deps.onStepProgress(ctx, saltFun, name, jid, minions));
  };

  const state = async (name: string, args: Dict, ctx: StateContext): Promise<StateReturn> => {
    if (args.tgt === undefined || args.tgt === '') return fail(name, "Missing 'tgt': the minions to run the states on");
    const { tgt, tgtType } = targetOf(args);
    let fun: string;
    const callArgs: unknown[] = [];
    if (args.highstate === true) fun = 'state.highstate';
    else if (args.sls !== undefined && args.sls !== null && args.sls !== '') {
      fun = 'state.sls';
      callArgs.push(Array.isArray(args.sls) ? args.sls.map(String).join(',') : String(args.sls));
    } else return fail(name, 'No highstate or sls specified, no execution made');
    if (args.concurrent !== undefined && typeof args.concurrent !== 'boolean') return fail(name, "Must pass in boolean for value of 'concurrent'");
    const test = ctx.test || args.test === true;
    const kwargs: Dict = { saltenv: typeof args.saltenv === 'string' ? args.saltenv : ctx.saltenv };
    if (test) kwargs.test = true;
    if (args.pillar !== undefined) {
      if (!isDict(args.pillar)) return fail(name, 'Pillar data must be formatted as a dictionary');
      kwargs.pillar = args.pillar;
    }
    if (args.queue === true) kwargs.queue = true;
    if (args.concurrent === true) kwargs.concurrent = true;
    const timeout = timeoutOf(args, deps.timeout);
    const failMinions = failMinionsOf(args.fail_minions);
    const jobs: StepJob[] = [];
    if (args.batch === undefined || args.batch === null) {
      const job = await runJob(ctx, 'state', name, { fun, args: callArgs, kwargs, tgt, tgtType, timeout });
      if ('error' in job) return fail(name, job.error);
      jobs.push(job);
    } else {
      const resolved = await deps.resolve(tgt, tgtType);
      if ('error' in resolved) return fail(name, resolved.error);
      const batches = splitBatches(resolved.matched, args.batch);
      if ('error' in batches) return fail(name, batches.error);
      for (const [i, batch] of batches.entries()) {
        const job = await runJob(ctx, 'state', name, { fun, args: callArgs, kwargs, tgt: batch, tgtType: 'list', timeout });
        if ('error' in job) return fail(name, job.error);
        jobs.push(job);
        const verdict = stateStepReturn(name, [job], failMinions, test);
        if (verdict.result === false && (args.failhard === true || ctx.chunk?.failhard === true) && i < batches.length - 1) {
          const rest = batches.slice(i + 1).flat();
          const ret = stateStepReturn(name, jobs, failMinions, test);
          ret.comment += `\nBatch ${i + 1} of ${batches.length} failed and failhard is set: not run on ${rest.join(', ')}`;
          return ret;
        }
      }
    }
    const matched = jobs.reduce((n, j) => n + j.expected.length + j.missing.length, 0);
    if (matched === 0) return fail(name, `No minions matched the target ${JSON.stringify(tgt)} (${tgtType}): nothing was run`);
    return stateStepReturn(name, jobs, failMinions, test);
  };

  const fn = async (name: string, args: Dict, ctx: StateContext): Promise<StateReturn> => {
    if (args.tgt === undefined || args.tgt === '') return fail(name, "Missing 'tgt': the minions to run the function on");
    const { tgt, tgtType } = targetOf(args);
    if (ctx.test) {
      return { name, changes: {}, result: null, comment: `Function ${name} would be executed on target ${Array.isArray(tgt) ? tgt.join(',') : tgt}` };
    }
    const warnings: string[] = [];
    let callArgs: unknown[] = [];
    if (typeof args.arg === 'string') {
      warnings.push("Please specify 'arg' as a list of arguments.");
      callArgs = args.arg.split(/\s+/).filter(Boolean);
    } else if (Array.isArray(args.arg)) callArgs = args.arg;
    const kwargs = isDict(args.kwarg) ? args.kwarg : {};
    const job = await runJob(ctx, 'function', name, { fun: name, args: callArgs, kwargs, tgt, tgtType, timeout: timeoutOf(args, deps.timeout) });
    if ('error' in job) return fail(name, job.error);
    if (job.expected.length + job.missing.length === 0) return fail(name, 'No minions responded');
    const ret = functionStepReturn(name, name, job, failMinionsOf(args.fail_minions));
    if (warnings.length) ret.warnings = warnings;
    return ret;
  };

  const runner = async (name: string, args: Dict, ctx: StateContext): Promise<StateReturn> => {
    if (ctx.test) return { name, changes: {}, result: null, comment: `Runner function '${name}' would be executed.` };
    const run = deps.runners[name];
    if (!run) return fail(name, `Runner function '${name}' is not available. Available: ${Object.keys(deps.runners).sort().join(', ')}`);
    const kwargs: Dict = Object.fromEntries(Object.entries(args).filter(([k]) => !k.startsWith('__') && !['name', 'order', 'require', 'watch', 'onfail', 'onchanges', 'parallel', 'retry', 'failhard'].includes(k)));
    deps.onStepProgress(ctx, 'runner', name, undefined, {});
    const out = await run(kwargs);
    const success = out.success && !(isDict(out.data) && 'Error' in out.data);
    return { name, changes: { return: out.data ?? null }, result: success, comment: `Runner function '${name}' ${success ? 'executed' : 'failed'}.` };
  };

  const waitForEvent = async (name: string, args: Dict, ctx: StateContext): Promise<StateReturn> => {
    if (ctx.test) return { name, changes: {}, result: null, comment: `Orchestration would wait for event '${name}'` };
    const ids = Array.isArray(args.id_list) ? args.id_list.map(String) : [];
    const eventId = typeof args.event_id === 'string' ? args.event_id : 'id';
    const timeoutMs = (Number.isFinite(Number(args.timeout)) ? Number(args.timeout) : 300) * 1000;
    const started = Date.now();
    const left = [...ids];
    const seen: string[] = [];
    deps.onStepProgress(ctx, 'wait_for_event', name, undefined, {});
    const ok = await new Promise<boolean>((resolve) => {
      if (left.length === 0) return resolve(true);
      const timer = setTimeout(() => {
        stop();
        resolve(false);
      }, timeoutMs);
      const stop = deps.bus.onMinionEvent((e) => {
        if (!fnmatchCase(e.tag, name)) return;
        const val = e.data[eventId];
        const i = val === undefined ? -1 : left.indexOf(String(val));
        if (i < 0) return;
        left.splice(i, 1);
        seen.push(String(val));
        if (left.length === 0) {
          clearTimeout(timer);
          stop();
          resolve(true);
        }
      });
    });
    const changes: Dict = seen.length ? { minions_seen: seen } : {};
    if (ok) return { name, changes, result: true, comment: `All events seen in ${((Date.now() - started) / 1000).toFixed(3)} seconds.` };
    return { name, changes, result: false, comment: `Timeout value reached. Still waiting for: ${left.join(', ')}` };
  };

  const asRun = (run: (name: string, args: Dict, ctx: StateContext) => Promise<StateReturn>) => ({
    check: () => ({ kind: 'invalid' as const, comment: 'orchestration steps run through run()' }),
    apply: () => ({ result: false, changes: {}, comment: 'orchestration steps run through run()' }),
    run,
  });
  return {
    name: 'salt',
    functions: { state: asRun(state), function: asRun(fn), runner: asRun(runner), wait_for_event: asRun(waitForEvent) },
  };
}
