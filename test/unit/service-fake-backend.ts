/**
 * An in-memory service backend for the service state tests: services with a running flag and
 * a boot flag, a log of the actions called, and switches to make actions fail or refuse.
 */
import type { ServiceActionOptions, ServiceBackend, ServiceBackendName } from '../../minion/backends/init-system';
import { ServiceToolError } from '../../minion/backends/sysvinit/run';

/** One fake service. */
export interface FakeService {
  running: boolean;
  enabled: boolean;
  masked?: boolean;
}

/** What an action does instead of succeeding. */
export type FakeFailure = 'false' | { refuse: string } | 'no-effect';

/** A scriptable backend. */
export class FakeBackend implements ServiceBackend {
  readonly services = new Map<string, FakeService>();
  /** `action name` for every action called, in order. */
  readonly calls: string[] = [];
  /** Options each action received. */
  readonly options: ServiceActionOptions[] = [];
  /** Per action (`start`, `enable`, ...): how it fails. */
  readonly failures = new Map<string, FakeFailure>();
  /** Start/restart bump this; a restart gives the service a new "pid". */
  pid = 100;
  /** systemd masks (only when built `withMasks`). */
  masked?: (name: string, runtime: boolean) => Promise<boolean>;
  unmask?: (name: string, runtime: boolean) => Promise<boolean>;

  constructor(
    readonly name: ServiceBackendName = 'sysvinit',
    readonly honoursSystemdArgs = false,
    withMasks = false,
  ) {
    if (withMasks) {
      this.masked = async (n) => this.services.get(n)?.masked ?? false;
      this.unmask = (n, runtime) =>
        this.act(runtime ? 'unmask-runtime' : 'unmask', n, {}, (s) => {
          s.masked = false;
        });
    }
  }

  /** Add a service. */
  add(name: string, s: FakeService): this {
    this.services.set(name, { ...s });
    return this;
  }

  private svc(name: string): FakeService {
    const s = this.services.get(name);
    if (!s) throw new Error(`fake: no service ${name}`);
    return s;
  }

  private async act(action: string, name: string, opts: ServiceActionOptions, effect: (s: FakeService) => void): Promise<boolean> {
    this.calls.push(`${action} ${name}`);
    this.options.push(opts);
    const failure = this.failures.get(action);
    if (failure === 'false') return false;
    if (failure && typeof failure === 'object') throw new ServiceToolError(failure.refuse);
    if (failure !== 'no-effect' && this.services.has(name)) effect(this.svc(name));
    return true;
  }

  async available(name: string): Promise<boolean> {
    const f = this.failures.get('available');
    if (f && typeof f === 'object') throw new ServiceToolError(f.refuse);
    return this.services.has(name);
  }
  async getAll(): Promise<string[]> {
    return [...this.services.keys()].sort();
  }
  async status(name: string, sig?: string): Promise<boolean> {
    this.calls.push(sig ? `status ${name} sig=${sig}` : `status ${name}`);
    return this.services.get(name)?.running ?? false;
  }
  async enabled(name: string): Promise<boolean> {
    return this.services.get(name)?.enabled ?? false;
  }
  async disabled(name: string): Promise<boolean> {
    return this.services.has(name) && !this.svc(name).enabled;
  }
  start(name: string, opts: ServiceActionOptions = {}): Promise<boolean> {
    return this.act('start', name, opts, (s) => {
      if (!s.running) this.pid++;
      s.running = true;
    });
  }
  stop(name: string, opts: ServiceActionOptions = {}): Promise<boolean> {
    return this.act('stop', name, opts, (s) => {
      s.running = false;
    });
  }
  restart(name: string, opts: ServiceActionOptions = {}): Promise<boolean> {
    return this.act('restart', name, opts, (s) => {
      this.pid++;
      s.running = true;
    });
  }
  reload(name: string, opts: ServiceActionOptions = {}): Promise<boolean> {
    return this.act('reload', name, opts, () => undefined);
  }
  forceReload(name: string, opts: ServiceActionOptions = {}): Promise<boolean> {
    return this.act('force-reload', name, opts, () => undefined);
  }
  fullRestart(name: string, opts: ServiceActionOptions = {}): Promise<boolean> {
    return this.act('full-restart', name, opts, (s) => {
      this.pid++;
      s.running = true;
    });
  }
  enable(name: string, opts: ServiceActionOptions = {}): Promise<boolean> {
    return this.act('enable', name, opts, (s) => {
      s.enabled = true;
    });
  }
  disable(name: string, opts: ServiceActionOptions = {}): Promise<boolean> {
    return this.act('disable', name, opts, (s) => {
      s.enabled = false;
    });
  }
}
