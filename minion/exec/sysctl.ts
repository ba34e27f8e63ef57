/**
 * `sysctl.get`, `sysctl.assign`, `sysctl.show`, `sysctl.persist`, `sysctl.default_config`:
 * kernel parameters, with Salt's linux_sysctl return shapes.
 */
import { pyStr } from '../../common/python/repr';
import {
  configHolds,
  defaultConfig,
  keyExists,
  keyPath,
  listValues,
  persistConfig,
  readConfig,
  readValue,
  sameValue,
  SysctlError,
  writeValue,
} from '../backends/sysctl';
import { plain, type ExecFunction } from './contract';

function required(v: unknown, what: string, fun: string): string {
  if (v === undefined) throw new SysctlError(`Passed invalid arguments to sysctl.${fun}: ${fun}() missing 1 required positional argument: '${what}'`);
  return pyStr(v);
}

/** Python truthiness of a CLI argument. */
function truthy(v: unknown): boolean {
  return !(v === undefined || v === null || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0));
}

/**
 * Salt's persist: set the kernel and the config file; 'Already set' when both already say
 * the value, 'Updated' otherwise. Unlike Salt, the kernel is written first, so a value it
 * refuses never lands in the config file.
 */
async function persist(name: string, value: string, configArg: unknown): Promise<string> {
  const config = configArg === undefined || configArg === null ? await defaultConfig() : pyStr(configArg);
  if (!keyExists(name)) throw new SysctlError(`sysctl ${name} does not exist`);
  const view = readConfig(config);
  if (view.kind === 'unreadable') throw new SysctlError(`Could not read from file: ${config}`);
  const runtimeOk = sameValue(readValue(name) ?? '', value);
  const configOk = view.kind === 'read' && configHolds(view.lines, name, value);
  if (runtimeOk && configOk) return 'Already set';
  if (!runtimeOk) writeValue(name, value);
  if (!configOk) persistConfig(config, name, value);
  return 'Updated';
}

/** The registry of sysctl functions. */
export const sysctlFunctions: Record<string, ExecFunction> = {
  'sysctl.get': (args, kwargs) => {
    const name = required(args[0] ?? kwargs.name, 'name', 'get');
    const value = readValue(name);
    if (value !== undefined) return plain(value);
    return plain(`sysctl: cannot stat ${keyPath(name)}: No such file or directory`, 1);
  },
  'sysctl.assign': (args, kwargs) => {
    const name = required(args[0] ?? kwargs.name, 'name', 'assign');
    const value = required(args[1] ?? kwargs.value, 'value', 'assign');
    return plain(writeValue(name, value));
  },
  'sysctl.show': (args, kwargs) => {
    const configFile = args[0] ?? kwargs.config_file;
    if (!truthy(configFile)) return plain(listValues());
    const view = readConfig(pyStr(configFile));
    if (view.kind === 'missing') return plain([]);
    if (view.kind === 'unreadable') return plain(null);
    return plain(view.values);
  },
  'sysctl.persist': async (args, kwargs) => {
    const name = required(args[0] ?? kwargs.name, 'name', 'persist');
    const value = required(args[1] ?? kwargs.value, 'value', 'persist');
    return plain(await persist(name, value, args[2] ?? kwargs.config));
  },
  'sysctl.default_config': async () => plain(await defaultConfig()),
};
