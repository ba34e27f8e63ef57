/** The arguments of the service states, read as Salt's service state functions receive them. */
import type { Dict } from '../../../common/types';
import { pyStr, truthy } from '../file/args';

/** `enable`: True enables, False disables, None (absent, or any other value) leaves boot alone. */
export type EnableWish = true | false | null;

/** What the service states use from their arguments. */
export interface ServiceArgs {
  enable: EnableWish;
  /** Process signature for status (sysvinit searches the process table; systemd ignores it). */
  sig?: string;
  /** Seconds to wait after starting/stopping/restarting before looking again. */
  initDelay?: number;
  /** Brine: seconds before an init system command is killed and counts as failed. */
  timeout?: number;
  reload: boolean;
  fullRestart: boolean;
  force: boolean;
  noBlock?: boolean;
  unmask: boolean;
  unmaskRuntime: boolean;
}

/** Salt's salt.utils.data.is_true: numbers above zero, the string "true" in any case. */
export function isTrue(v: unknown): boolean {
  if (typeof v === 'string') {
    const n = Number(v.trim());
    if (v.trim() !== '' && Number.isFinite(n)) return n > 0;
    return v.toLowerCase() === 'true';
  }
  if (typeof v === 'number') return v > 0;
  return truthy(v);
}

/** `enable` as the states test it: `is True` / `is False` after turning a string into a bool. */
export function enableWish(v: unknown): EnableWish {
  if (typeof v === 'string') return isTrue(v);
  return v === true ? true : v === false ? false : null;
}

function seconds(v: unknown, key: string): number | undefined {
  if (v === undefined || v === null || v === false) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < 0) throw new TypeError(`${key} must be a number of seconds, not ${pyStr(v)}`);
  return n || undefined;
}

/** Read the arguments (throws TypeError for a non-numeric init_delay or timeout). */
export function serviceArgs(args: Dict): ServiceArgs {
  return {
    enable: enableWish(args.enable),
    sig: truthy(args.sig) ? pyStr(args.sig) : undefined,
    initDelay: seconds(args.init_delay, 'init_delay'),
    timeout: seconds(args.timeout, 'timeout'),
    reload: truthy(args.reload),
    fullRestart: truthy(args.full_restart),
    force: truthy(args.force),
    noBlock: 'no_block' in args ? truthy(args.no_block) : undefined,
    unmask: truthy(args.unmask),
    unmaskRuntime: truthy(args.unmask_runtime),
  };
}

/** Salt's typo guard: `enabled:` instead of `enable:` on running/dead. */
export function enabledTypoComment(name: string): string {
  return `Service ${name} uses non-existent option "enabled".  Perhaps "enable" option was intended?`;
}

/** The systemd-only arguments Salt passes on only where systemd runs. */
export const SYSTEMD_ONLY = ['no_block', 'unmask', 'unmask_runtime'] as const;

/**
 * Salt's warnings for systemd-only arguments given to an action that takes them, on a systemd
 * backend used without systemd running (elsewhere they are silently ignored, as in Salt).
 */
export function systemdOnlyWarnings(args: Dict, accepted: readonly string[], backendName: string, honoured: boolean): string[] {
  if (backendName !== 'systemd' || honoured) return [];
  return SYSTEMD_ONLY.filter((k) => k in args && accepted.includes(k)).map((k) => `The '${k}' argument is not supported by this platform`);
}
