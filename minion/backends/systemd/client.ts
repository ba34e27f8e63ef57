/**
 * One conversation with systemctl for one state call: runs commands, remembers `systemctl
 * status` answers and the systemd version, and reloads the daemon once when a unit file
 * changed on disk (Salt's _check_for_unit_changes).
 */
import type { CmdResult } from '../../states/cmd/runner';
import { runTool, ServiceToolError } from '../sysvinit/run';
import { needsDaemonReload, parseSystemdVersion, systemctlCommand, unitAvailable, type SystemctlCallOptions } from './commands';
import type { SystemdLayout } from './layout';
import { hasLocalUnitFile } from './units';

const versions = new Map<string, number | undefined>();

/** What the client needs to know about the host. */
export interface SystemctlClientOptions {
  /** systemd is PID 1 (scopes need a running systemd). */
  booted: boolean;
  /** The `systemd.scope` option: wrap changes in `systemd-run --scope` (default true). */
  scope: boolean;
}

/** Runs systemctl with Salt's conventions. */
export class SystemctlClient {
  private readonly statusCache = new Map<string, CmdResult>();
  private readonly checked = new Set<string>();

  constructor(
    readonly layout: SystemdLayout,
    readonly opts: SystemctlClientOptions,
  ) {}

  /** Run `systemctl ACTION [UNIT]` (wrapped in a scope when asked and possible). */
  async run(action: readonly string[], name?: string, call: SystemctlCallOptions & { timeout?: number } = {}): Promise<CmdResult> {
    const scope = call.scope === true && (await this.hasScope());
    return runTool(systemctlCommand(this.layout, action, name, { scope, noBlock: call.noBlock }), { timeout: call.timeout });
  }

  /** The systemd version (`systemctl --version`), remembered per systemctl binary. */
  async version(): Promise<number | undefined> {
    if (!versions.has(this.layout.systemctl)) {
      const r = await runTool([this.layout.systemctl, '--version']);
      versions.set(this.layout.systemctl, r.retcode === 0 ? parseSystemdVersion(r.stdout) : undefined);
    }
    return versions.get(this.layout.systemctl);
  }

  /** Scopes are used when systemd runs, is 205 or newer, and `systemd.scope` is not False. */
  async hasScope(): Promise<boolean> {
    if (!this.opts.booted || !this.opts.scope) return false;
    const v = await this.version();
    return v !== undefined && v >= 205;
  }

  /** `systemctl status UNIT -n 0` with stderr folded into stdout, asked once per unit. */
  async status(name: string): Promise<CmdResult> {
    let r = this.statusCache.get(name);
    if (!r) {
      const raw = await this.run(['status'], name);
      r = { ...raw, stdout: [raw.stdout, raw.stderr].filter((s) => s).join('\n'), stderr: '' };
      this.statusCache.set(name, r);
    }
    return r;
  }

  /** Whether systemd knows the unit. Throws ServiceToolError when its answer is unreadable. */
  async unitKnown(name: string): Promise<boolean> {
    const r = await this.status(name);
    const known = unitAvailable(r.retcode, r.stdout, await this.version());
    if (known === undefined) throw new ServiceToolError(`Failed to get information on unit '${name}'`);
    return known;
  }

  /** `systemctl --system daemon-reload`; throws ServiceToolError when it fails. */
  async daemonReload(): Promise<boolean> {
    const r = await this.run(['--system', 'daemon-reload']);
    if (r.retcode !== 0) {
      throw new ServiceToolError(`Problem performing systemctl daemon-reload: ${[r.stdout, r.stderr].filter((s) => s).join('\n')}`);
    }
    this.statusCache.clear();
    return true;
  }

  /** Reload the daemon (once per unit and call) when a unit file is new or changed on disk. */
  async checkForUnitChanges(name: string): Promise<void> {
    if (this.checked.has(name)) return;
    this.checked.add(name);
    const untracked = hasLocalUnitFile(this.layout, name) && !(await this.unitKnown(name));
    if (untracked || needsDaemonReload((await this.status(name)).stdout)) await this.daemonReload();
  }
}
