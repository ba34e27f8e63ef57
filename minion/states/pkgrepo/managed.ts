/**
 * pkgrepo.managed (APT): a one-line source entry is configured in sources.list or a
 * sources.list.d file, with its signing key stored under /etc/apt/keyrings and named by
 * `signed-by`, and apt's lists refreshed after a change.
 *
 * Example:
 *
 *     brine-repo:
 *       pkgrepo.managed:
 *         - name: deb [arch=amd64] https://repo.example/debian bookworm main
 *         - file: /etc/apt/sources.list.d/example.list
 *         - key_url: salt://keys/example.asc      # or key_text, or keyid + keyserver
 *         - refresh: True
 *
 * Arguments: name, file (default /etc/apt/sources.list, as Salt), dist, comps, architectures,
 * disabled/enabled, comments, clean_file, refresh (refresh_db), key_text, key_url,
 * keyid + keyserver, allow_insecure_key. humanname, aptkey and ppa are accepted and ignored;
 * consolidate is ignored, with a warning.
 *
 * Changes: `{"repo": "<name>"}` for a new repo; `{"<field>": {"new": ..., "old": ...}}` for a
 * changed one; `{"key": "<key file>"}` when only its key file was (re)written.
 */
import * as path from 'node:path';
import type { Dict } from '../../../common/types';
import { pyStr } from '../../../common/python/repr';
import {
  appendLine,
  AptSourcesError,
  emptyFile,
  findRepo,
  formatSourceLine,
  listEntries,
  parseSourceLine,
  receiveKeys,
  refreshDb,
  removeLine,
  replaceLine,
  repoView,
  sameUri,
  writeKeyFile,
  type LocatedEntry,
  type RepoView,
  type SourceEntry,
} from '../../backends/apt-sources';
import { stateFunction, type Applied, type CheckOutcome, type StateContext, type StateFunction } from '../contract';
import { commaList, commentsArg, given, invalidNameComment, pyTruthy, refreshWanted, resolveOptions, wantedEntry, withSignedBy, type PkgrepoOptions, type ResolvedOptions } from './args';
import { repoChanges, sameRepo } from './compare';
import { fileBytes, KeyArgumentError, planKey, type KeyPlan } from './keys';

/** What check found and apply needs. */
export interface ManagedPlan {
  file: string;
  fileGiven: boolean;
  want: SourceEntry;
  pre?: RepoView;
  repoSame: boolean;
  key?: KeyPlan;
  comments?: string;
  /** Warnings check found, repeated by apply. */
  warnings: string[];
}

const TEST_COMMENT = (name: string): string =>
  `Package repo '${name}' would be configured. This may cause pkg states to behave differently than stated ` +
  'if this action is repeated without test=True, due to the differences in the configured repositories.';

/** Salt's argument refusals (Salt 3006 only records the key conflicts and carries on; Brine stops). */
function argumentProblem(args: Dict): string | undefined {
  if (given(args, 'key_url') && (given(args, 'keyid') || given(args, 'keyserver'))) return 'You may not use both "keyid"/"keyserver" and "key_url" argument.';
  if (given(args, 'key_text') && (given(args, 'keyid') || given(args, 'keyserver'))) return 'You may not use both "keyid"/"keyserver" and "key_text" argument.';
  if (given(args, 'key_text') && given(args, 'key_url')) return 'You may not use both "key_url" and "key_text" argument.';
  if (given(args, 'repo')) return "'repo' is not a supported argument for this state. The 'name' argument is probably what was intended.";
  if (given(args, 'enabled') && given(args, 'disabled') && args.enabled !== null && args.disabled !== null) return 'Only one of enabled/disabled is allowed';
  const insecure = given(args, 'key_url') && pyStr(args.key_url).trim().startsWith('http:');
  if (insecure && given(args, 'allow_insecure_key') && !pyTruthy(args.allow_insecure_key)) {
    return "Cannot have 'key_url' using http with 'allow_insecure_key' set to True";
  }
  return undefined;
}

/** Warnings: a file apt never reads; arguments Brine does not act on. */
function argumentWarnings(file: string, args: Dict, o: ResolvedOptions): string[] {
  const out: string[] = [];
  const parts = path.resolve(o.paths.sourceParts);
  const read = path.resolve(file) === path.resolve(o.paths.sourceList) || (path.dirname(path.resolve(file)) === parts && file.endsWith('.list'));
  if (!read) out.push(`${file} is not read by apt: apt reads ${o.paths.sourceList} and the *.list files in ${o.paths.sourceParts}`);
  if (pyTruthy(args.consolidate)) out.push('consolidate is not supported: the source lists were left as they are');
  return out;
}

async function checkManaged(name: string, args: Dict, ctx: StateContext, o: ResolvedOptions): Promise<CheckOutcome<ManagedPlan>> {
  const problem = argumentProblem(args);
  if (problem) return { kind: 'invalid', comment: problem };
  let want = wantedEntry(name, args);
  if (!want) return { kind: 'invalid', comment: invalidNameComment(name) };
  const fileGiven = given(args, 'file') && args.file !== null;
  const file = fileGiven ? pyStr(args.file) : o.paths.sourceList;
  let key: KeyPlan | undefined;
  try {
    key = await planKey(args, want, fileGiven ? file : undefined, ctx, o);
  } catch (e) {
    if (e instanceof KeyArgumentError) return { kind: 'invalid', comment: `Failed to configure repo '${name}': ${e.message}` };
    throw e;
  }
  if (key && want.signedby !== key.file) want = withSignedBy(want, key.file);
  const comments = commentsArg(args);
  const warnings = argumentWarnings(file, args, o);
  const extra = warnings.length ? { warnings } : {};
  const found = findRepo(listEntries(o.paths, [file]), want);
  const pre = found ? repoView(found, found.file) : undefined;
  const wantView = repoView(want, file);
  const repoSame = pre !== undefined && sameRepo(wantView, pre, comments);
  const keyPresent = !key || key.present;
  if (repoSame && keyPresent) return { kind: 'in-state', comment: `Package repo '${name}' already configured`, ...extra };
  let changes: Dict;
  if (repoSame) changes = { key: key!.file };
  else if (pre) changes = repoChanges(wantView, pre);
  else changes = { repo: name };
  return { kind: 'drift', changes, testComment: TEST_COMMENT(name), plan: { file, fileGiven, want, pre, repoSame, key, comments, warnings }, ...extra };
}

/**
 * The entry Salt's mod_repo edits: the first with the name's type, URI and dist (or the
 * `dist`/`type` arguments) that shares a component, has none, or has other architectures.
 */
function editTarget(entries: readonly LocatedEntry[], name: string, args: Dict, want: SourceEntry): LocatedEntry | undefined {
  const named = parseSourceLine(name);
  const comps = new Set([...named.comps, ...(given(args, 'comps') ? commaList(args.comps) : [])]);
  for (const e of entries) {
    const repoMatches = e.type === named.type && sameUri(e.uri, named.uri) && e.dist === named.dist;
    const kwMatches = given(args, 'type') && given(args, 'dist') && e.dist === pyStr(args.dist) && e.type === pyStr(args.type);
    if (!repoMatches && !kwMatches) continue;
    const otherArchs = want.architectures.join(',') !== e.architectures.join(',');
    if ([...comps].some((c) => e.comps.includes(c)) || !e.comps.length || otherArchs) return e;
  }
  return undefined;
}

/** Write the entry: edit the matching line in place (moving it when another `file` is given) or append it. */
function writeEntry(name: string, args: Dict, plan: ManagedPlan, o: ResolvedOptions): void {
  const target = editTarget(listEntries(o.paths, [plan.file]), name, args, plan.want);
  const comment = plan.comments ?? target?.comment ?? '';
  const line = formatSourceLine({ ...plan.want, comment });
  if (!target) appendLine(plan.file, line);
  else if (!plan.fileGiven || path.resolve(target.file) === path.resolve(plan.file)) replaceLine(target.file, target.index, line);
  else {
    removeLine(target.file, target.index);
    appendLine(plan.file, line);
  }
}

/** Store the key: data as planned, or fetched from the keyserver now. */
async function storeKey(key: KeyPlan, o: ResolvedOptions): Promise<void> {
  const bytes = key.kind === 'data' ? key.bytes : fileBytes(key.file, await receiveKeys(key.keyserver, key.keyids, o.keyserverTimeoutMs));
  writeKeyFile(key.file, bytes);
}

function errorText(e: unknown): string {
  if (e instanceof AptSourcesError || (e as NodeJS.ErrnoException).code) return (e as Error).message;
  throw e;
}

async function applyManaged(name: string, args: Dict, plan: ManagedPlan, o: ResolvedOptions): Promise<Applied> {
  let changes: Dict = {};
  const extra = plan.warnings.length ? { warnings: plan.warnings } : {};
  const failed = (why: string): Applied => ({ result: false, changes, comment: `Failed to configure repo '${name}': ${why}`, ...extra });
  const keyToStore = plan.key && !plan.key.present ? plan.key : undefined;
  if (keyToStore) {
    try {
      await storeKey(keyToStore, o);
    } catch (e) {
      const why = errorText(e);
      return failed(e instanceof AptSourcesError ? `Error: ${why}` : `Error: Could not add key: ${why}`);
    }
  }
  try {
    if (!plan.repoSame) {
      if (plan.fileGiven && pyTruthy(args.clean_file)) emptyFile(plan.file);
      writeEntry(name, args, plan, o);
    }
  } catch (e) {
    return failed(errorText(e));
  }
  const found = findRepo(listEntries(o.paths, [plan.file]), plan.want);
  const post = found ? repoView(found, found.file) : undefined;
  if (!plan.pre) changes = { repo: name };
  else changes = plan.repoSame ? {} : repoChanges(post, plan.pre);
  if (plan.pre && keyToStore) changes.key = keyToStore.file;
  if (refreshWanted(args)) {
    try {
      await refreshDb(o.paths);
    } catch (e) {
      return failed(errorText(e));
    }
  }
  return { result: true, changes, comment: `Configured package repo '${name}'`, ...extra };
}

/** pkgrepo.managed over the given apt paths. */
export function managedState(options: PkgrepoOptions = {}): StateFunction<ManagedPlan> {
  const o = resolveOptions(options);
  return stateFunction<ManagedPlan>({
    check: (name, args, ctx) => checkManaged(name, args, ctx, o),
    apply: (name, args, _ctx, plan) => applyManaged(name, args, plan, o),
  });
}
