/**
 * Facts about a Python environment, read with pip (never changing anything): the installed
 * packages, pip's own version, `pip freeze`, and the versions an index offers.
 */
import { pySplitlines } from '../../../common/python/text';
import { PipError } from './errors';
import { indexArgs, type IndexOptions } from './options';
import { pipMissing, runPip, type PipTarget } from './run';
import { compareVersions } from './version';

/** One installed distribution. */
export interface InstalledPackage {
  /** The name as the distribution's metadata spells it. */
  name: string;
  version: string;
}

function failure(r: { retcode: number; stdout: string; stderr: string }): PipError {
  return new PipError(pipMissing(r) ? 'Could not find a `pip` binary' : r.stderr || r.stdout || `pip exited with ${r.retcode}`);
}

/**
 * Every package installed in the target environment (`pip list --format=json`), pip,
 * setuptools and direct-URL installs included.
 *
 * Example: await installedPackages({binEnv: '/srv/venv'})
 *   -> [{name: 'pip', version: '23.2.1'}, {name: 'requests', version: '2.31.0'}]
 */
export async function installedPackages(target: PipTarget): Promise<InstalledPackage[]> {
  const r = await runPip(target, ['list', '--format=json', '--disable-pip-version-check']);
  if (r.retcode !== 0) throw failure(r);
  const start = r.stdout.indexOf('[');
  let parsed: unknown;
  try {
    parsed = JSON.parse(start >= 0 ? r.stdout.slice(start) : r.stdout);
  } catch {
    throw new PipError(`Invalid JSON from pip list: ${r.stdout}`);
  }
  if (!Array.isArray(parsed)) throw new PipError(`Invalid JSON from pip list: ${r.stdout}`);
  return parsed
    .filter((p): p is { name: unknown; version: unknown } => typeof p === 'object' && p !== null)
    .map((p) => ({ name: String(p.name), version: String(p.version) }));
}

/**
 * pip's version in the target environment (`pip --version`), or null when it prints
 * something unexpected; throws PipError when there is no pip.
 *
 * Example: await pipVersion({}) -> '23.2.1'
 */
export async function pipVersion(target: PipTarget): Promise<string | null> {
  const r = await runPip(target, ['--version']);
  if (r.retcode !== 0) throw new PipError('Could not find a `pip` binary');
  return /^pip (\S+)/.exec(r.stdout)?.[1] ?? null;
}

/**
 * `pip freeze --all` of the target environment, one requirement per line.
 *
 * Example: await freezeLines({binEnv: '/srv/venv'}) -> ['pip==23.2.1', 'requests==2.31.0']
 */
export async function freezeLines(target: PipTarget): Promise<string[]> {
  const r = await runPip(target, ['freeze', '--all', '--disable-pip-version-check']);
  if (r.retcode !== 0) throw failure(r);
  return pySplitlines(r.stdout);
}

/**
 * The versions of `name` the configured index (or find-links) offers, oldest first, as
 * `pip index versions` reports them; undefined when pip finds none or cannot ask.
 * Pre-releases are listed only with `pre`.
 *
 * Example: await availableVersions({}, 'brinetiny', {findLinks: ['/srv/wheels'], noIndex: true})
 *   -> ['1.0', '2.0']
 */
export async function availableVersions(target: PipTarget, name: string, index: IndexOptions, pre = false): Promise<string[] | undefined> {
  const args = ['index', 'versions', name, '--disable-pip-version-check', ...indexArgs(index)];
  if (pre) args.push('--pre');
  const r = await runPip(target, args);
  if (r.retcode !== 0) return undefined;
  const line = /^\s*Available versions: (.*)$/m.exec(r.stdout);
  if (!line) return undefined;
  const versions = line[1].split(', ').filter((v) => v);
  return versions.length ? versions.sort(compareVersions) : undefined;
}
