/**
 * service.enabled and service.disabled: only whether the service starts at boot, never whether
 * it runs now. Salt 3006's comments ("Service x is already enabled, and is in the desired state").
 */
import type { ServiceBackend } from '../../backends/init-system';
import { stateFunction, type CheckOutcome, type StateFunction } from '../contract';
import { serviceArgs } from './args';
import { bootDisable, bootEnable } from './boot';
import type { ServiceEnv } from './env';
import { applyStep, freshResult, availability } from './outcome';

/** What check learned. */
export interface BootPlan {
  backend: ServiceBackend;
  available: boolean;
  timeout?: number;
}

type Outcome = CheckOutcome<BootPlan> & { backend: string };

/** service.enabled over the backend `env` picks. */
export function enabledState(env: ServiceEnv): StateFunction<BootPlan> {
  return stateFunction<BootPlan>({
    async check(name, args, ctx): Promise<Outcome> {
      const backend = env.pick(ctx.opts);
      const tag = { backend: backend.name };
      const plan: BootPlan = { backend, available: false, timeout: serviceArgs(args).timeout };
      const avail = await availability(backend, name);
      if (!avail.ok) return { kind: 'invalid', comment: avail.comment, ...tag };
      plan.available = avail.available;
      if (!plan.available) {
        const testComment = `Service ${name} not present; if created in this state run, it would have been enabled`;
        return { kind: 'drift', changes: {}, testComment, plan, ...tag };
      }
      if (await backend.enabled(name)) return { kind: 'in-state', comment: `Service ${name} is already enabled, and is in the desired state`, ...tag };
      return { kind: 'drift', changes: {}, testComment: `Service ${name} set to be enabled`, plan, ...tag };
    },

    async apply(name, _args, _ctx, plan) {
      const ret = freshResult(plan.backend);
      if (!plan.available) return { ...ret, result: false, comment: `The named service ${name} is not available` };
      applyStep(ret, await bootEnable(plan.backend, name, null, true, { timeout: plan.timeout }));
      return ret;
    },
  });
}

/** service.disabled over the backend `env` picks. */
export function disabledState(env: ServiceEnv): StateFunction<BootPlan> {
  return stateFunction<BootPlan>({
    async check(name, args, ctx): Promise<Outcome> {
      const backend = env.pick(ctx.opts);
      const tag = { backend: backend.name };
      const plan: BootPlan = { backend, available: false, timeout: serviceArgs(args).timeout };
      const avail = await availability(backend, name);
      if (!avail.ok) return { kind: 'invalid', comment: avail.comment, ...tag };
      plan.available = avail.available;
      if (!plan.available) return { kind: 'in-state', comment: `The named service ${name} is not available`, ...tag };
      if (await backend.disabled(name)) return { kind: 'in-state', comment: `Service ${name} is already disabled, and is in the desired state`, ...tag };
      return { kind: 'drift', changes: {}, testComment: `Service ${name} set to be disabled`, plan, ...tag };
    },

    async apply(name, _args, _ctx, plan) {
      const ret = freshResult(plan.backend);
      applyStep(ret, await bootDisable(plan.backend, name, null, true, { timeout: plan.timeout }));
      return ret;
    },
  });
}
