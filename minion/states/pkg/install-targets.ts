/**
 * What pkg.installed has to install (Salt's _find_install_targets): from the wanted packages
 * and one snapshot of the dpkg database, the packages missing or at a non-matching version,
 * or the reason nothing needs doing.
 */
import type { PackageDb, VersionMap } from '../../backends/apt/facts';
import { candidates, listPkgs, upgradeCandidates } from '../../backends/apt/facts';
import { refreshDb } from '../../backends/apt/operations';
import type { AptRunOptions } from '../../backends/apt/runner';
import { fulfillsVersionString } from '../../backends/apt/versions';
import { desiredFromName, repackPkgs, type Desired } from './args';

/** The outcome: nothing to do (with Salt's comment), a refusal, or the targets. */
export type InstallTargets =
  | { kind: 'satisfied'; comment: string }
  | { kind: 'error'; comment: string }
  | { kind: 'targets'; desired: Desired; targets: Desired; versionSpec: boolean; refreshed: boolean };

/** The inputs of the search. */
export interface TargetQuery {
  name: string;
  version: string | null;
  pkgs: unknown;
  ignoreEpoch?: boolean;
  allowUpdates: boolean;
  /** Refresh before resolving `latest` versions (Salt refreshes there even in test mode). */
  refresh: boolean;
  fromrepo?: string;
}

/** Resolve `latest` versions to the candidate (or the installed version when up to date); true when it refreshed. */
async function resolveLatest(desired: Desired, installed: VersionMap, q: TargetQuery, run: AptRunOptions): Promise<boolean> {
  const wants = [...desired].filter(([, v]) => v === 'latest').map(([n]) => n);
  if (!wants.length) return false;
  if (q.refresh) await refreshDb({}, run);
  const cand = upgradeCandidates(wants, installed, await candidates(wants, q.fromrepo, run));
  for (const n of wants) {
    const have = installed[n] ?? [];
    desired.set(n, cand[n] || (have.length ? have[have.length - 1] : null));
  }
  return q.refresh;
}

/**
 * Salt's _find_install_targets for apt (no sources, no pkg_verify, no capabilities).
 * Example: with `sl` installed, `findInstallTargets({ name: 'sl', version: null, ... }, db, {})`
 * → `{ kind: 'satisfied', comment: 'Package sl is already installed' }`.
 */
export async function findInstallTargets(q: TargetQuery, db: PackageDb, run: AptRunOptions): Promise<InstallTargets> {
  const cur = listPkgs(db);
  let desired: Desired;
  if (Array.isArray(q.pkgs) && q.pkgs.length) {
    const repacked = await repackPkgs(q.pkgs);
    if (!repacked || !repacked.size) return { kind: 'error', comment: "Invalidly formatted 'pkgs' parameter. See minion log." };
    desired = repacked;
  } else {
    desired = await desiredFromName(q.name, q.version);
    const cver = cur[q.name] ?? [];
    if (!(q.name in db.purgeDesired)) {
      if (q.version && cver.includes(q.version)) {
        return { kind: 'satisfied', comment: `Version ${q.version} of package '${q.name}' is already installed` };
      }
      if (cver.length && q.version === null) return { kind: 'satisfied', comment: `Package ${q.name} is already installed` };
    }
  }

  const refreshed = await resolveLatest(desired, cur, q, run);

  const targets: Desired = new Map();
  let versionSpec = false;
  for (const [pkg, spec] of desired) {
    const cver = cur[pkg] ?? [];
    if (!cver.length) {
      targets.set(pkg, spec);
      continue;
    }
    if (spec === null) continue;
    versionSpec = true;
    if (!fulfillsVersionString(cver, spec, q.ignoreEpoch, q.allowUpdates)) targets.set(pkg, spec);
  }
  if (!targets.size) {
    return {
      kind: 'satisfied',
      comment: `All specified packages are already installed${versionSpec ? ' and are at the desired version' : ''}`,
    };
  }
  return { kind: 'targets', desired, targets, versionSpec, refreshed };
}
