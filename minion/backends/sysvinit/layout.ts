/**
 * Where a System-V init host keeps its pieces: init scripts, runlevel link directories, the
 * utmp file and the tools. Tests point these at temp directories or fake tools.
 */
import { findExecutable, isExecutableFile, pathDirs } from '../../../common/which';

/** The paths the sysvinit backend reads and the tools it runs. */
export interface SysvLayout {
  /** Init scripts (`/etc/init.d`). */
  initDir: string;
  /** The directory holding `rc0.d` ... `rc6.d` and `rcS.d` (`/etc`). */
  rcRoot: string;
  /** utmp files to read the runlevel from, first existing wins. */
  utmp: string[];
  /** The `service` wrapper, or null to run init scripts directly. */
  service: string | null;
  /** `update-rc.d`. */
  updateRcD: string;
}

const SBIN_DIRS = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];

/** Where each tool was last found (per PATH): checked again with one stat instead of a search. */
const foundTools = new Map<string, string>();

/**
 * The first executable named `tool` on PATH or in the sbin directories, or null. Every service
 * state asks (a state run, many times): the place found last is kept while it stays executable.
 */
export function findTool(tool: string, envPath = process.env.PATH ?? ''): string | null {
  const key = `${tool}\0${envPath}`;
  const known = foundTools.get(key);
  if (known !== undefined && isExecutableFile(known)) return known;
  const found = findExecutable(tool, [...pathDirs(envPath), ...SBIN_DIRS]) ?? null;
  if (found === null) foundTools.delete(key);
  else foundTools.set(key, found);
  return found;
}

/** The host's own layout (Debian's paths; `service` found on PATH). */
export function hostSysvLayout(): SysvLayout {
  return {
    initDir: '/etc/init.d',
    rcRoot: '/etc',
    utmp: ['/run/utmp', '/var/run/utmp'],
    service: findTool('service'),
    updateRcD: findTool('update-rc.d') ?? 'update-rc.d',
  };
}
