/**
 * Where the lab keeps everything on the host: the debootstrap base (kept between runs), the
 * shared apt archives, one directory per controller (overlay upper/work dirs and the mount
 * point of its root), the master's config and cache, the relay sockets and the state file.
 */
import * as path from 'node:path';

/** The default lab directory (outside the repository; `BRINE_LAB_DIR` or `--dir` moves it). */
export const DEFAULT_LAB_DIR = '/var/tmp/brine-lab';

/** The files and directories of one controller. */
export interface ControllerPaths {
  dir: string;
  /** The overlay's upper directory: everything the controller changes lands here. */
  upper: string;
  /** The overlay's work directory. */
  work: string;
  /** Where the merged root is mounted, inside the controller's own mount namespace only. */
  root: string;
  /** Bound over the controller's /dev/console: what its init prints. */
  console: string;
  /** Output of the launcher (the namespace set-up before init starts). */
  launcherLog: string;
}

/** The lab's paths. */
export interface LabLayout {
  dir: string;
  /** The debootstrap root shared read-only by the controllers (overlay lower dir). */
  base: string;
  /** Written when the base is complete: what it was made from. */
  baseMarker: string;
  baseLog: string;
  /** Packages debootstrap downloaded (kept so that a rebuilt base downloads nothing). */
  debootstrapCache: string;
  /** Bound on every controller's /var/cache/apt/archives: each .deb is downloaded once. */
  archives: string;
  /** Sockets of the apt relay. */
  runDir: string;
  stateFile: string;
  masterDir: string;
  masterLog: string;
  /** One controller's paths. */
  controller(name: string): ControllerPaths;
  /** The Unix socket joining the two halves of the relay to `host`. */
  relaySocket(host: string): string;
  relayLog(host: string, side: 'host' | 'bridge'): string;
}

/** The layout of a lab under `dir` (default: $BRINE_LAB_DIR or /var/tmp/brine-lab). */
export function labLayout(dir?: string): LabLayout {
  const root = path.resolve(dir ?? process.env.BRINE_LAB_DIR ?? DEFAULT_LAB_DIR);
  if (/[,:!\s"'\\]/.test(root)) throw new Error(`the lab directory ${root} must not contain commas, colons, spaces, quotes or backslashes (socat and mount options)`);
  const runDir = path.join(root, 'run');
  return {
    dir: root,
    base: path.join(root, 'base', 'root'),
    baseMarker: path.join(root, 'base', 'complete.json'),
    baseLog: path.join(root, 'base', 'debootstrap.log'),
    debootstrapCache: path.join(root, 'base', 'debs'),
    archives: path.join(root, 'apt-archives'),
    runDir,
    stateFile: path.join(root, 'state.json'),
    masterDir: path.join(root, 'master'),
    masterLog: path.join(root, 'master.log'),
    controller(name: string): ControllerPaths {
      const d = path.join(root, 'controllers', name);
      return {
        dir: d,
        upper: path.join(d, 'upper'),
        work: path.join(d, 'work'),
        root: path.join(d, 'root'),
        console: path.join(d, 'console.log'),
        launcherLog: path.join(d, 'launcher.log'),
      };
    },
    relaySocket: (host: string) => path.join(runDir, `relay-${host}.sock`),
    relayLog: (host: string, side: 'host' | 'bridge') => path.join(runDir, `relay-${host}-${side}.log`),
  };
}
