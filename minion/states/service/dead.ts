/**
 * service.dead: stop the service if it is running; with `enable`, also make it start (or not)
 * at boot. A service that does not exist is already dead. Salt 3006's comments and changes
 * (a stop reports `{name: False}`: the status after stopping).
 */
import type { ServiceBackend } from '../../backends/init-system';
import { stateFunction, type CheckOutcome, type StateFunction } from '../contract';
import { enabledTypoComment, serviceArgs, systemdOnlyWarnings, type ServiceArgs } from './args';
import { bootChangeWanted, bootDisable, bootEnable } from './boot';
import type { ServiceEnv } from './env';
import { addWarnings, applyStep, freshResult, availability, type ServiceResult } from './outcome';

/** What check learned. */
export interface DeadPlan {
  backend: ServiceBackend;
  args: ServiceArgs;
  available: boolean;
  running: boolean;
  enabled: boolean;
}

type Outcome = CheckOutcome<DeadPlan> & { backend: string };

/** service.dead over the backend `env` picks. */
export function deadState(env: ServiceEnv): StateFunction<DeadPlan> {
  return stateFunction<DeadPlan>({
    async check(name, args, ctx): Promise<Outcome> {
      const backend = env.pick(ctx.opts);
      const tag = { backend: backend.name };
      if ('enabled' in args) return { kind: 'invalid', comment: enabledTypoComment(name), ...tag };
      const a = serviceArgs(args);
      const plan: DeadPlan = { backend, args: a, available: false, running: false, enabled: false };
      const avail = await availability(backend, name);
      if (!avail.ok) return { kind: 'invalid', comment: avail.comment, ...tag };
      plan.available = avail.available;
      if (!plan.available) {
        const testComment = `Service ${name} not present; if created in this state run, it would have been stopped`;
        return { kind: 'drift', changes: {}, testComment, plan, ...tag };
      }
      plan.running = await backend.status(name, a.sig);
      plan.enabled = await backend.enabled(name);
      if (!plan.running) {
        const boot = bootChangeWanted(a.enable, plan.enabled);
        if (boot) return { kind: 'drift', changes: {}, testComment: `Service ${name} set to be ${boot}d`, plan, ...tag };
        return { kind: 'in-state', comment: `The service ${name} is already dead`, ...tag };
      }
      return { kind: 'drift', changes: {}, testComment: `Service ${name} is set to be killed`, plan, ...tag };
    },

    async apply(name, args, _ctx, plan) {
      const { backend, args: a } = plan;
      const ret = freshResult(backend);
      if (!plan.available) return { ...ret, comment: `The named service ${name} is not available` };
      const opts = { timeout: a.timeout, noBlock: backend.honoursSystemdArgs ? a.noBlock : undefined };
      if (!plan.running) {
        ret.comment = `The service ${name} is already dead`;
        const boot = bootChangeWanted(a.enable, plan.enabled);
        if (boot === 'enable') applyStep(ret, await bootEnable(backend, name, null, true, opts));
        if (boot === 'disable') applyStep(ret, await bootDisable(backend, name, null, true, opts));
        return ret;
      }
      addWarnings(ret, systemdOnlyWarnings(args, ['no_block'], backend.name, backend.honoursSystemdArgs));
      return stopService(env, name, plan, ret, opts);
    },
  });
}

async function stopService(env: ServiceEnv, name: string, plan: DeadPlan, ret: ServiceResult, opts: { timeout?: number; noBlock?: boolean }): Promise<ServiceResult> {
  const { backend, args: a } = plan;
  if (!(await backend.stop(name, opts))) {
    ret.result = false;
    ret.comment = `Service ${name} failed to die`;
    if (a.enable === true) applyStep(ret, await bootEnable(backend, name, true, false, opts));
    if (a.enable === false) applyStep(ret, await bootDisable(backend, name, true, false, opts));
    return ret;
  }
  if (a.initDelay) await env.sleep(a.initDelay);
  const after = await backend.status(name);
  const enabledAfter = await backend.enabled(name);
  if ((plan.enabled !== enabledAfter || plan.running !== after) && !Object.keys(ret.changes).length) ret.changes[name] = after;
  if (after) {
    ret.result = false;
    ret.comment = `Service ${name} failed to die`;
  } else ret.comment = `Service ${name} was killed`;
  if (a.enable === true) applyStep(ret, await bootEnable(backend, name, after, !after, opts));
  if (a.enable === false) applyStep(ret, await bootDisable(backend, name, after, !after, opts));
  return ret;
}
