/**
 * Whether one requested Python package is already as wanted (Salt's
 * pip_state._check_if_installed): installed in a version its specifier accepts, or, with
 * `upgrade`, installed in the newest version the index offers that the specifier accepts.
 */
import {
  availableVersions,
  canonicalName,
  compareVersions,
  satisfiesAll,
  type IndexOptions,
  type InstalledPackage,
  type PipTarget,
  type Requirement,
} from '../../backends/pip';

/** How the check treats packages already installed. */
export interface SatisfiedFlags {
  upgrade: boolean;
  forceReinstall: boolean;
  ignoreInstalled: boolean;
}

/** The installed package of a requirement's name, matched as pip matches names. */
export function findInstalled(installed: InstalledPackage[], prefix: string): InstalledPackage | undefined {
  const want = canonicalName(prefix);
  return installed.find((p) => canonicalName(p.name) === want);
}

/** The newest available version the clauses accept, skipping pre-releases the clauses do not mention. */
async function desiredUpgrade(target: PipTarget, req: Requirement, index: IndexOptions): Promise<string | undefined> {
  const letters = req.clauses.map((c) => c.version);
  const allow = { a: letters.some((v) => v.includes('a')), b: letters.some((v) => v.includes('b')), rc: letters.some((v) => v.includes('rc')) };
  const excluded = (Object.keys(allow) as Array<keyof typeof allow>).filter((k) => !allow[k]);
  const offered = await availableVersions(target, req.prefix, index, excluded.length < 3);
  const versions = (offered ?? []).filter((v) => !excluded.some((x) => v.includes(x)));
  if (!req.clauses.length) return versions[versions.length - 1];
  return [...versions].reverse().find((v) => satisfiesAll(v, req.clauses));
}

/**
 * Salt's comment when the requirement is already satisfied, or undefined when it must be
 * installed.
 *
 * Example: await alreadySatisfied({prefix: 'brinetiny', clauses: [], text: 'brinetiny'},
 *                                 [{name: 'brinetiny', version: '1.0'}], ...)
 *   -> 'Python package brinetiny was already installed'
 */
export async function alreadySatisfied(
  req: Requirement,
  installed: InstalledPackage[],
  flags: SatisfiedFlags,
  target: PipTarget,
  index: IndexOptions,
): Promise<string | undefined> {
  const current = req.prefix ? findInstalled(installed, req.prefix) : undefined;
  if (!current || flags.ignoreInstalled || flags.forceReinstall) return undefined;
  if (!flags.upgrade) {
    return satisfiesAll(current.version, req.clauses) ? `Python package ${req.text} was already installed` : undefined;
  }
  const desired = await desiredUpgrade(target, req, index);
  if (!desired) {
    return `Python package ${req.prefix} was already installed and\nthe available upgrade doesn't fulfills the version requirements`;
  }
  return compareVersions(current.version, desired) === 0 ? `Python package ${req.text} was already installed` : undefined;
}
