/**
 * sysctl.present: a kernel parameter has a value in the running kernel and is persisted as
 * `name = value` in a sysctl config file (Salt's default: linux_sysctl.default_config).
 *
 * Example:
 *
 *     vm.swappiness:
 *       sysctl.present:
 *         - value: 10
 *         - config: /etc/sysctl.d/90-brine.conf   # optional
 *
 * Changes: `{"<name>": <value>}`. Values of multi-value keys compare equal whatever the
 * whitespace between them (`"32768 60999"` is what the kernel prints as `"32768\t60999"`).
 */
import type { Dict } from '../../../common/types';
import { pyStr } from '../../../common/python/repr';
import {
  configHolds,
  defaultConfig,
  keyExists,
  persistConfig,
  PROC_SYS,
  readConfig,
  readValue,
  sameValue,
  spacesCollapsed,
  SysctlError,
  writeValue,
} from '../../backends/sysctl';
import { stateFunction, type Applied, type CheckOutcome, type StateFunction } from '../contract';

/** Where the state reads and writes; tests point these at a fake /proc/sys. */
export interface SysctlStateOptions {
  /** The procfs sysctl directory (default /proc/sys). */
  procSys?: string;
  /** The config file used when the state has no `config` (default: Salt's default_config). */
  defaultConfig?: () => Promise<string> | string;
}

/** What must change, as check found it. */
export interface PresentPlan {
  config: string;
  value: string;
  setRuntime: boolean;
  writeConfig: boolean;
  /** Set when the config file exists but cannot be read. */
  unreadable?: boolean;
}

/** Salt's test-mode comments, chosen from what is in memory and in the config file. */
function testComment(name: string, value: string, current: string, inConfig: boolean): string {
  if (current) {
    if (!inConfig) {
      if (spacesCollapsed(current) !== spacesCollapsed(value)) return `Sysctl option ${name} set to be changed to ${value}`;
      return (
        'Sysctl value is currently set on the running system but not in a config file. ' +
        `Sysctl option ${name} set to be changed to ${value} in config file.`
      );
    }
  } else if (inConfig) {
    return (
      `Sysctl value ${name} is present in configuration file but is not present in the running config. ` +
      `The value ${name} is set to be changed to ${value}`
    );
  }
  return `Sysctl option ${name} would be changed to ${value}`;
}

async function checkPresent(name: string, args: Dict, root: string, fallback: () => Promise<string> | string): Promise<CheckOutcome<PresentPlan>> {
  if (args.value === undefined) return { kind: 'invalid', comment: 'Missing parameter value for state sysctl.present' };
  const value = pyStr(args.value);
  // a line break would add another setting to the config file (kernel.core_pattern = |/evil ...)
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value) || /[\u0000-\u001f\u007f]/.test(name)) {
    return { kind: 'invalid', comment: `Failed to set ${name}: names and values may not contain line breaks or other control characters` };
  }
  const config = args.config === undefined || args.config === null ? await fallback() : pyStr(args.config);
  if (!keyExists(name, root)) return { kind: 'invalid', comment: `Failed to set ${name} to ${value}: sysctl ${name} does not exist` };
  const view = readConfig(config);
  const current = readValue(name, root) ?? '';
  if (view.kind === 'unreadable') {
    return {
      kind: 'drift',
      changes: {},
      testComment:
        `Sysctl option ${name} might be changed, we failed to check config file at ${config}. ` +
        'The file is either unreadable, or missing.',
      plan: { config, value, setRuntime: false, writeConfig: false, unreadable: true },
    };
  }
  const lines = view.kind === 'read' ? view.lines : [];
  const setRuntime = !sameValue(current, value);
  const writeConfig = !configHolds(lines, name, value);
  if (!setRuntime && !writeConfig) return { kind: 'in-state', comment: `Sysctl value ${name} = ${value} is already set` };
  const inConfig = lines.some((l) => l.key === name);
  return { kind: 'drift', changes: {}, testComment: testComment(name, value, current, inConfig), plan: { config, value, setRuntime, writeConfig } };
}

function applyPresent(name: string, args: Dict, root: string, plan: PresentPlan): Applied {
  const fail = (why: string): Applied => ({ result: false, changes: {}, comment: `Failed to set ${name} to ${plan.value}: ${why}` });
  if (plan.unreadable) return fail(`Could not read from file: ${plan.config}`);
  try {
    // The kernel first: a value it refuses is never persisted for the next boot.
    if (plan.setRuntime) writeValue(name, plan.value, root);
    if (plan.writeConfig) persistConfig(plan.config, name, plan.value);
  } catch (e) {
    if (e instanceof SysctlError) return fail(e.message);
    throw e;
  }
  return { result: true, changes: { [name]: args.value }, comment: `Updated sysctl value ${name} = ${plan.value}` };
}

/** sysctl.present over a procfs root and a default config chooser. */
export function presentState(options: SysctlStateOptions = {}): StateFunction<PresentPlan> {
  const root = options.procSys ?? PROC_SYS;
  const fallback = options.defaultConfig ?? defaultConfig;
  return stateFunction<PresentPlan>({
    check: (name, args) => checkPresent(name, args, root, fallback),
    apply: (name, args, _ctx, plan) => applyPresent(name, args, root, plan),
  });
}
