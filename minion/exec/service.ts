/**
 * `service.*` execution functions (Salt's systemd_service / debian_service shapes): status,
 * start, stop, restart, reload, force_reload, enabled, disabled, enable, disable, available,
 * missing, get_all, on the init system's backend (systemd when it is PID 1, else sysvinit).
 */
import type { Dict } from '../../common/types';
import { compileFnmatch } from '../../common/match/fnmatch';
import { chooseServiceBackend, type ServiceBackend } from '../backends/init-system';
import type { MinionRuntime } from '../runtime';
import { pyStr } from '../states/file/args';
import { plain, type ExecFunction } from './contract';

type BackendCall = (b: ServiceBackend, name: string, args: unknown[], kwargs: Dict) => Promise<unknown>;

const GLOB = /\*|\?|\[.+\]/;

function nameArg(fun: string, args: unknown[], kwargs: Dict): string {
  const v = args[0] ?? kwargs.name;
  if (v === undefined || v === null) {
    const short = fun.split('.')[1];
    throw new Error(`Passed invalid arguments to ${fun}: ${short}() missing 1 required positional argument: 'name'`);
  }
  return pyStr(v);
}

function timeoutOf(kwargs: Dict): number | undefined {
  return typeof kwargs.timeout === 'number' ? kwargs.timeout : undefined;
}

/** A function taking a service name, answering from the backend chosen for this minion. */
function byName(fun: string, call: BackendCall): ExecFunction {
  return async (args, kwargs, minion: MinionRuntime) => {
    const name = nameArg(fun, args, kwargs);
    return plain(await call(chooseServiceBackend(minion.opts), name, args, kwargs));
  };
}

/** service.status: a bool, or for a glob (`ssh*`) a mapping of each matching service to a bool. */
const status: BackendCall = async (b, name, args, kwargs) => {
  const sig = args[1] ?? kwargs.sig;
  const sigText = sig === undefined || sig === null || sig === '' ? undefined : pyStr(sig);
  if (!GLOB.test(name)) return b.status(name, sigText);
  const match = compileFnmatch(name);
  const out: Record<string, boolean> = {};
  for (const svc of (await b.getAll()).filter((s) => match(s))) out[svc] = await b.status(svc, sigText);
  return out;
};

/** The registry of service functions. */
export const serviceFunctions: Record<string, ExecFunction> = {
  'service.status': byName('service.status', status),
  'service.start': byName('service.start', (b, n, _a, k) => b.start(n, { timeout: timeoutOf(k) })),
  'service.stop': byName('service.stop', (b, n, _a, k) => b.stop(n, { timeout: timeoutOf(k) })),
  'service.restart': byName('service.restart', (b, n, _a, k) => b.restart(n, { timeout: timeoutOf(k) })),
  'service.reload': byName('service.reload', (b, n, _a, k) => b.reload(n, { timeout: timeoutOf(k) })),
  'service.force_reload': byName('service.force_reload', (b, n, _a, k) => b.forceReload(n, { timeout: timeoutOf(k) })),
  'service.enabled': byName('service.enabled', (b, n) => b.enabled(n)),
  'service.disabled': byName('service.disabled', (b, n) => b.disabled(n)),
  'service.enable': byName('service.enable', (b, n, _a, k) => b.enable(n, { timeout: timeoutOf(k) })),
  'service.disable': byName('service.disable', (b, n, _a, k) => b.disable(n, { timeout: timeoutOf(k) })),
  'service.available': byName('service.available', (b, n) => b.available(n)),
  'service.missing': byName('service.missing', async (b, n) => !(await b.available(n))),
  'service.get_all': async (_args, _kwargs, minion) => plain(await chooseServiceBackend(minion.opts).getAll()),
};
