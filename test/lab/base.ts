/**
 * The controllers' common root: a minimal Debian made once with debootstrap (minbase plus
 * what an init system needs) and kept under the lab directory. The controllers never write
 * to it: it is the lower directory of their overlays.
 */
import * as fs from 'node:fs';
import type { LabLayout } from './layout';
import type { AptSource } from './mirror';
import { run, LabCommandError, tail } from './proc';

/** The Debian release of the controllers. */
export const RELEASE = 'bookworm';

/**
 * Packages added to minbase: systemd as init (and `service` for the sysvinit mode), D-Bus
 * (systemd's bus, as on a real controller), `ip`, `ps`/`pgrep`, /etc/services.
 */
export const BASE_PACKAGES: readonly string[] = ['systemd', 'systemd-sysv', 'dbus', 'init-system-helpers', 'iproute2', 'procps', 'netbase'];

/** What a finished base was made from (its marker file). */
interface BaseMarker {
  release: string;
  mirror: string;
  packages: string[];
  builtAt: string;
  seconds: number;
}

function readMarker(file: string): BaseMarker | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as BaseMarker;
  } catch {
    return undefined;
  }
}

/** Whether a complete base with the current package list is there. */
export function baseReady(layout: LabLayout): boolean {
  const m = readMarker(layout.baseMarker);
  return m !== undefined && m.release === RELEASE && BASE_PACKAGES.every((p) => m.packages.includes(p)) && fs.existsSync(`${layout.base}/usr/bin/apt-get`);
}

/** How the base came to be. */
export interface BaseOutcome {
  built: boolean;
  seconds: number;
  sizeMb: number;
}

function sizeMb(dir: string): number {
  let bytes = 0;
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) bytes += fs.lstatSync(p).size;
    }
  };
  walk(dir);
  return Math.round(bytes / 1e6);
}

/**
 * Make the base with debootstrap unless a complete one is cached. `source` is the host's own
 * source of the release (debootstrap's mirror). An incomplete base is removed and made again.
 */
export async function ensureBase(layout: LabLayout, source: AptSource, log: (line: string) => void): Promise<BaseOutcome> {
  if (baseReady(layout)) {
    const m = readMarker(layout.baseMarker);
    log(`base: cached (${RELEASE}, made ${m?.builtAt ?? '?'} in ${m?.seconds ?? '?'} s)`);
    return { built: false, seconds: 0, sizeMb: sizeMb(layout.base) };
  }
  const started = Date.now();
  fs.rmSync(layout.base, { recursive: true, force: true });
  fs.rmSync(layout.baseMarker, { force: true });
  fs.mkdirSync(layout.base, { recursive: true });
  fs.mkdirSync(layout.debootstrapCache, { recursive: true });
  log(`base: debootstrap --variant=minbase ${RELEASE} (+ ${BASE_PACKAGES.join(',')}) into ${layout.base}; log in ${layout.baseLog}`);
  const argv = [
    'debootstrap',
    '--variant=minbase',
    `--include=${BASE_PACKAGES.join(',')}`,
    `--cache-dir=${layout.debootstrapCache}`,
    RELEASE,
    layout.base,
    source.uri,
  ];
  const r = await run(['nice', '-n', '10', ...argv]);
  fs.writeFileSync(layout.baseLog, `${r.stdout}\n${r.stderr}`);
  if (r.code !== 0) {
    const inner = tail(`${layout.base}/debootstrap/debootstrap.log`, 15);
    throw new Error(`${new LabCommandError(r).message}${inner ? `\n--- debootstrap.log ---\n${inner}` : ''}`);
  }
  // debootstrap leaves its .debs in the base as well: the controllers see the shared archives there
  for (const n of fs.readdirSync(`${layout.base}/var/cache/apt/archives`)) if (n.endsWith('.deb')) fs.rmSync(`${layout.base}/var/cache/apt/archives/${n}`);
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  const marker: BaseMarker = { release: RELEASE, mirror: source.uri, packages: [...BASE_PACKAGES], builtAt: new Date().toISOString(), seconds };
  fs.writeFileSync(layout.baseMarker, `${JSON.stringify(marker, null, 2)}\n`);
  return { built: true, seconds, sizeMb: sizeMb(layout.base) };
}
