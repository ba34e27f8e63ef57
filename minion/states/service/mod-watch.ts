/**
 * service's mod_watch: when a watched state changed, a running service is restarted (reloaded
 * with `reload: True`, force-reloaded with `force: True` too, fully restarted with
 * `full_restart: True` where the init system has one) or started if it was not running;
 * service.dead stops it. Salt 3006's comments ("Service restarted", "Service is set to be
 * reloaded", "Failed to restart the service").
 */
import type { Dict, StateReturn } from '../../../common/types';
import type { ServiceActionOptions, ServiceBackend } from '../../backends/init-system';
import type { StateContext } from '../contract';
import { pyStr } from '../file/args';
import { serviceArgs, systemdOnlyWarnings } from './args';
import type { ServiceEnv } from './env';
import { addWarnings, freshResult, isToolError, type ServiceResult } from './outcome';

type Action = (name: string, opts: ServiceActionOptions) => Promise<boolean>;

interface Chosen {
  verb: string;
  pastParticiple: string;
  run: Action;
  accepts: readonly string[];
}

const ALL_SYSTEMD = ['no_block', 'unmask', 'unmask_runtime'];

function chooseForRunning(b: ServiceBackend, running: boolean, a: ReturnType<typeof serviceArgs>): Chosen {
  const pick = (verb: string, run: Action, accepts: readonly string[] = ALL_SYSTEMD): Chosen => ({ verb, pastParticiple: `${verb}ed`, run, accepts });
  if (!running) return pick('start', (n, o) => b.start(n, o));
  if (a.reload) {
    return a.force ? pick('forcefully reload', (n, o) => b.forceReload(n, o)) : pick('reload', (n, o) => b.reload(n, o));
  }
  if (a.fullRestart && b.fullRestart) return pick('fully restart', (n, o) => b.fullRestart!(n, o));
  return pick('restart', (n, o) => b.restart(n, o));
}

/** A mod_watch whose return names the backend that acted. */
export type ServiceModWatch = (name: string, args: Dict, ctx: StateContext) => Promise<StateReturn & { backend: string }>;

/** Salt's service.mod_watch over the backend `env` picks. */
export function serviceModWatch(env: ServiceEnv): ServiceModWatch {
  return async (name, args, ctx) => {
    const backend = env.pick(ctx.opts);
    const ret: ServiceResult & { name: string } = { name, ...freshResult(backend) };
    const a = serviceArgs(args);
    const sfun = pyStr(args.sfun);
    let chosen: Chosen;
    if (sfun === 'dead') {
      if (!(await backend.status(name, a.sig))) return { ...ret, comment: 'Service is already stopped' };
      chosen = { verb: 'stop', pastParticiple: 'stopped', run: (n, o) => backend.stop(n, o), accepts: ['no_block'] };
    } else if (sfun === 'running') {
      chosen = chooseForRunning(backend, await backend.status(name, a.sig), a);
    } else {
      return { ...ret, result: false, comment: `Unable to trigger watch for service.${sfun}` };
    }
    if (ctx.test) return { ...ret, result: null, comment: `Service is set to be ${chosen.pastParticiple}` };
    if (chosen.verb === 'start') await backend.stop(name, { timeout: a.timeout });
    addWarnings(ret, systemdOnlyWarnings(args, chosen.accepts, backend.name, backend.honoursSystemdArgs));
    const opts = { timeout: a.timeout, noBlock: backend.honoursSystemdArgs ? a.noBlock : undefined };
    let ok: boolean;
    try {
      ok = await chosen.run(name, opts);
    } catch (e) {
      if (!isToolError(e)) throw e;
      return { ...ret, result: false, comment: e.message };
    }
    if (a.initDelay) await env.sleep(a.initDelay);
    ret.changes = { [name]: ok };
    ret.result = ok;
    ret.comment = ok ? `Service ${chosen.pastParticiple}` : `Failed to ${chosen.verb} the service`;
    return ret;
  };
}
