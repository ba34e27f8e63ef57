/**
 * pkgrepo.absent (APT): a source entry is not configured; its components are removed from
 * every matching line (a sources.list.d file left empty is deleted) and apt's lists refreshed.
 * With `keyid`, the key files under /etc/apt/keyrings holding that key are deleted too.
 *
 * Example:
 *
 *     old-repo:
 *       pkgrepo.absent:
 *         - name: deb https://repo.example/debian bookworm main
 *         - keyid: 5077A841        # optional
 *
 * Changes: `{"repo": "<name>"}` (and `"keyid": "<keyid>"` when a key was removed).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dict } from '../../../common/types';
import { pyStr } from '../../../common/python/repr';
import {
  AptSourcesError,
  filesWithKey,
  findRepo,
  listEntries,
  parseSourceLine,
  refreshDb,
  removeRepo,
  stripUri,
  type SourceEntry,
} from '../../backends/apt-sources';
import { stateFunction, type Applied, type CheckOutcome, type StateFunction } from '../contract';
import { given, pyTruthy, resolveOptions, type PkgrepoOptions, type ResolvedOptions } from './args';

/** What check found and apply needs. */
export interface AbsentPlan {
  stripped: string;
  repo: SourceEntry;
  signedby: string;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

function checkAbsent(name: string, o: ResolvedOptions): CheckOutcome<AbsentPlan> {
  const stripped = stripUri(name);
  const repo = parseSourceLine(stripped);
  const found = repo.invalid ? undefined : findRepo(listEntries(o.paths), repo);
  // Salt: a repo configured for other architectures is not this one.
  if (!found || !sameSet(repo.architectures, found.architectures)) return { kind: 'in-state', comment: `Package repo ${name} is absent` };
  return {
    kind: 'drift',
    changes: {},
    testComment:
      `Package repo '${name}' will be removed. This may cause pkg states to behave differently than stated ` +
      'if this action is repeated without test=True, due to the differences in the configured repositories.',
    plan: { stripped, repo, signedby: found.signedby },
  };
}

/** Delete the key files holding a key id (the repo's signed-by file first); returns what was deleted. */
function removeKey(keyid: string, signedby: string, o: ResolvedOptions): string[] {
  const first = signedby && path.isAbsolute(signedby) ? [signedby] : [];
  const files = filesWithKey(o.paths.keyrings, keyid, first);
  if (!files.length) throw new AptSourcesError(`Could not find the key file for keyid: ${keyid}`);
  for (const f of files) fs.rmSync(f, { force: true });
  return files;
}

async function applyAbsent(name: string, args: Dict, plan: AbsentPlan, o: ResolvedOptions): Promise<Applied> {
  try {
    removeRepo(o.paths, plan.repo, plan.stripped);
  } catch (e) {
    if (e instanceof AptSourcesError) return { result: false, changes: {}, comment: e.message };
    throw e;
  }
  if (!given(args, 'refresh') || pyTruthy(args.refresh)) {
    try {
      await refreshDb(o.paths);
    } catch (e) {
      if (e instanceof AptSourcesError) return { result: false, changes: { repo: name }, comment: e.message };
      throw e;
    }
  }
  const changes: Dict = { repo: name };
  let comment = `Removed repo ${name}`;
  if (args.keyid === undefined || args.keyid === null) return { result: true, changes, comment };
  const keyid = pyStr(args.keyid);
  try {
    removeKey(keyid, plan.signedby, o);
  } catch (e) {
    if (!(e instanceof AptSourcesError) && !(e as NodeJS.ErrnoException).code) throw e;
    return { result: false, changes, comment: `${comment}, but failed to remove key: ${(e as Error).message}` };
  }
  changes.keyid = keyid;
  comment += `, and keyid ${keyid}`;
  return { result: true, changes, comment };
}

/** pkgrepo.absent over the given apt paths. */
export function absentState(options: PkgrepoOptions = {}): StateFunction<AbsentPlan> {
  const o = resolveOptions(options);
  return stateFunction<AbsentPlan>({
    check: (name) => checkAbsent(name, o),
    apply: (name, args, _ctx, plan) => applyAbsent(name, args, plan, o),
  });
}
