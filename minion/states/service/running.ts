/**
 * service.running: start the service if it is not running; with `enable`, also make it start
 * (or not) at boot. Comments, changes and results are Salt 3006's.
 */
import type { Dict } from '../../../common/types';
import type { ServiceBackend } from '../../backends/init-system';
import { stateFunction, type CheckOutcome, type StateFunction } from '../contract';
import { pyStr } from '../file/args';
import { enabledTypoComment, serviceArgs, systemdOnlyWarnings, type ServiceArgs } from './args';
import { bootChangeWanted, bootDisable, bootEnable } from './boot';
import type { ServiceEnv } from './env';
import { addWarnings, applyStep, freshResult, availability, isToolError, type ServiceResult } from './outcome';
import { previewUnmask, runUnmask } from './unmask';

/** What check learned. */
export interface RunningPlan {
  backend: ServiceBackend;
  args: ServiceArgs;
  available: boolean;
  running: boolean;
  enabled: boolean;
}

const START_ARGS = ['no_block', 'unmask', 'unmask_runtime'];

type Outcome = CheckOutcome<RunningPlan> & { backend: string };

/** service.running over the backend `env` picks. */
export function runningState(env: ServiceEnv): StateFunction<RunningPlan> {
  return stateFunction<RunningPlan>({
    async check(name, args, ctx): Promise<Outcome> {
      const backend = env.pick(ctx.opts);
      const tag = { backend: backend.name };
      if ('enabled' in args) return { kind: 'invalid', comment: enabledTypoComment(name), ...tag };
      const a = serviceArgs(args);
      const plan: RunningPlan = { backend, args: a, available: false, running: false, enabled: false };
      const avail = await availability(backend, name);
      if (!avail.ok) return { kind: 'invalid', comment: avail.comment, ...tag };
      plan.available = avail.available;
      if (!plan.available) {
        const testComment = `Service ${name} not present; if created in this state run, it would have been started`;
        return { kind: 'drift', changes: {}, testComment, plan, ...tag };
      }
      plan.running = await backend.status(name, a.sig);
      plan.enabled = await backend.enabled(name);
      const unmask = a.unmask ? await previewUnmask(backend, name, a.unmaskRuntime) : undefined;
      const unmaskText = unmask ? (unmask.needed ? unmask.testComment : unmask.comment) : '';
      if (plan.running) {
        const boot = bootChangeWanted(a.enable, plan.enabled);
        if (boot) return { kind: 'drift', changes: {}, testComment: `Service ${name} set to be ${boot}d`, plan, ...tag };
        const comment = joinLines(`The service ${name} is already running`, unmaskText);
        if (unmask?.needed) return { kind: 'drift', changes: {}, testComment: comment, plan, ...tag };
        return { kind: 'in-state', comment, ...tag };
      }
      return { kind: 'drift', changes: {}, testComment: joinLines(`Service ${name} is set to start`, unmaskText), plan, ...tag };
    },

    async apply(name, args, _ctx, plan) {
      const { backend, args: a } = plan;
      const ret = freshResult(backend);
      if (!plan.available) {
        return { ...ret, result: false, comment: `The named service ${name} is not available` };
      }
      const unmaskComment = a.unmask ? await runUnmask(backend, name, a.unmaskRuntime) : '';
      const opts = { timeout: a.timeout, noBlock: backend.honoursSystemdArgs ? a.noBlock : undefined };
      if (plan.running) {
        ret.comment = joinLines(`The service ${name} is already running`, unmaskComment);
        const boot = bootChangeWanted(a.enable, plan.enabled);
        if (boot === 'enable') applyStep(ret, await bootEnable(backend, name, null, true, opts));
        if (boot === 'disable') applyStep(ret, await bootDisable(backend, name, null, true, opts));
        return ret;
      }
      return startService(env, name, args, plan, ret, unmaskComment);
    },
  });
}

async function startService(env: ServiceEnv, name: string, args: Dict, plan: RunningPlan, ret: ServiceResult, unmaskComment: string): Promise<ServiceResult> {
  const { backend, args: a } = plan;
  addWarnings(ret, systemdOnlyWarnings(args, START_ARGS, backend.name, backend.honoursSystemdArgs));
  const opts = { timeout: a.timeout, noBlock: backend.honoursSystemdArgs ? a.noBlock : undefined };
  let started: boolean;
  try {
    started = await backend.start(name, opts);
  } catch (e) {
    if (!isToolError(e)) throw e;
    return { ...ret, result: false, comment: e.message };
  }
  if (!started) {
    ret.result = false;
    ret.comment = `Service ${name} failed to start`;
    if (a.enable === true) applyStep(ret, await bootEnable(backend, name, false, false, opts));
    if (a.enable === false) applyStep(ret, await bootDisable(backend, name, false, false, opts));
    return ret;
  }
  if (a.initDelay) await env.sleep(a.initDelay);
  const after = await backend.status(name, a.sig);
  const enabledAfter = await backend.enabled(name);
  if ((plan.enabled !== enabledAfter || plan.running !== after) && !Object.keys(ret.changes).length) ret.changes[name] = after;
  if (after) ret.comment = `Started service ${name}`;
  else {
    ret.comment = `Service ${name} failed to start`;
    ret.result = false;
  }
  if (a.enable === true) applyStep(ret, await bootEnable(backend, name, after, after, opts));
  if (a.enable === false) applyStep(ret, await bootDisable(backend, name, after, after, opts));
  if (a.initDelay) ret.comment = `${ret.comment}\nDelayed return for ${pyStr(args.init_delay)} seconds`;
  if (a.unmask) ret.comment = `${ret.comment}\n${unmaskComment}`;
  return ret;
}

function joinLines(...parts: string[]): string {
  return parts.filter((p) => p).join('\n');
}
