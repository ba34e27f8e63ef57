/**
 * The `service` state module: running, dead, enabled, disabled, and mod_watch (restart or
 * reload on `watch`), over the init system's backend (systemd when it is PID 1, else sysvinit).
 * Every result carries `backend` naming the init system that read or changed the host.
 */
import type { StateFunction, StateModule } from '../contract';
import { disabledState, enabledState } from './boot-states';
import { deadState } from './dead';
import { hostServiceEnv, type ServiceEnv } from './env';
import { serviceModWatch } from './mod-watch';
import { runningState } from './running';

export type { ServiceEnv } from './env';

/** A service module over the given backend picker and sleeper (tests use fakes). */
export function makeServiceModule(env: ServiceEnv = hostServiceEnv): StateModule {
  const fns: Record<string, StateFunction<unknown>> = {
    running: runningState(env) as StateFunction<unknown>,
    dead: deadState(env) as StateFunction<unknown>,
    enabled: enabledState(env) as StateFunction<unknown>,
    disabled: disabledState(env) as StateFunction<unknown>,
  };
  return { name: 'service', functions: fns, modWatch: serviceModWatch(env) };
}

/** Salt's service states that Brine implements, on this host's init system. */
export const serviceModule: StateModule = makeServiceModule();
