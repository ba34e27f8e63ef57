/** The sysctl backend: facts (read the kernel and config files) and operations (change them). */
export { keyPath, keyName, sameValue, spacesCollapsed, tabSeparated, PROC_SYS, SysctlError } from './keys';
export { configHolds, defaultConfig, keyExists, listValues, readConfig, readValue, type ConfigLine, type ConfigView } from './facts';
export { persistConfig, writeValue } from './operations';
