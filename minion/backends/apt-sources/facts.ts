/**
 * Reading apt's one-line source lists (sources.list and sources.list.d/*.list) and the keys
 * stored for them. Nothing here changes the host.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseSourceLine, sameUri, type SourceEntry } from './entry';
import { dearmor, isArmored, keyFingerprints, keyIdMatches, KeyFormatError } from './openpgp';
import type { AptPaths } from './paths';

/** A valid entry and where it is: its file and line number (0-based). */
export interface LocatedEntry extends SourceEntry {
  file: string;
  index: number;
}

/** The lines of a text file (no line breaks; no empty last line); [] when it cannot be read. */
export function readLines(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * The one-line source files apt reads, in apt's order: sources.list, then the `*.list`
 * files of sources.list.d sorted by name; `extra` files that exist are added after them.
 *
 * Arguments: `paths` (AptPaths), `extra` (more files to read, e.g. a state's `file`).
 * Example: `sourceFiles(HOST_APT_PATHS)` -> `['/etc/apt/sources.list', '/etc/apt/sources.list.d/example.list']`.
 */
export function sourceFiles(paths: AptPaths, extra: readonly string[] = []): string[] {
  const files: string[] = [];
  if (fs.existsSync(paths.sourceList)) files.push(paths.sourceList);
  let parts: string[] = [];
  try {
    parts = fs.readdirSync(paths.sourceParts).filter((f) => f.endsWith('.list')).sort();
  } catch {
    parts = [];
  }
  for (const f of parts) {
    const p = path.join(paths.sourceParts, f);
    if (fs.statSync(p, { throwIfNoEntry: false })?.isFile()) files.push(p);
  }
  for (const f of extra) if (!files.includes(f) && fs.existsSync(f)) files.push(f);
  return files;
}

/**
 * Every valid entry (enabled or disabled) of the source files, in order (Salt's list_repos).
 *
 * Arguments: `paths`, `extra` (as sourceFiles).
 * Example: `listEntries(HOST_APT_PATHS)[0].uri` -> `http://repo.example/debian`.
 */
export function listEntries(paths: AptPaths, extra: readonly string[] = []): LocatedEntry[] {
  const out: LocatedEntry[] = [];
  for (const file of sourceFiles(paths, extra)) {
    readLines(file).forEach((line, index) => {
      const e = parseSourceLine(line);
      if (!e.invalid) out.push({ ...e, file, index });
    });
  }
  return out;
}

/** What identifies a repo: type, URI and dist, plus the components asked for. */
export type RepoKey = Pick<SourceEntry, 'type' | 'uri' | 'dist' | 'comps'>;

/**
 * The configured entry of a repo (Salt's get_repo): the first with the same type, URI
 * (trailing slash ignored) and dist that has one of the wanted components (any, when none is
 * wanted).
 *
 * Arguments: `entries` (from listEntries), `want` (RepoKey).
 * Example: `findRepo(listEntries(p), parseSourceLine('deb http://x/debian bookworm main'))`.
 */
export function findRepo(entries: readonly LocatedEntry[], want: RepoKey): LocatedEntry | undefined {
  for (const e of entries) {
    if (e.type !== want.type || !sameUri(e.uri, want.uri) || e.dist !== want.dist) continue;
    if (!want.comps.length || want.comps.some((c) => e.comps.includes(c))) return e;
  }
  return undefined;
}

/** A repo as Salt's pkg.get_repo describes it. */
export interface RepoView {
  file: string;
  comps: string[];
  disabled: boolean;
  dist: string;
  type: string;
  uri: string;
  line: string;
  architectures: string[];
  signedby: string;
}

/**
 * Salt's description of an entry (the dict pkg.get_repo returns).
 *
 * Arguments: `e` (an entry), `file` (where it is or will be).
 * Example: `repoView(entry, '/etc/apt/sources.list')` -> `{file, comps: ['main'], disabled: false, ...}`.
 */
export function repoView(e: SourceEntry, file: string): RepoView {
  return {
    file,
    comps: [...e.comps],
    disabled: e.disabled,
    dist: e.dist,
    type: e.type,
    uri: e.uri,
    line: e.line.trim(),
    architectures: [...e.architectures],
    signedby: e.signedby,
  };
}

/**
 * Whether a key file holds exactly these bytes.
 *
 * Arguments: `file` (key path), `bytes` (what it should hold).
 * Example: `keyFileHolds('/etc/apt/keyrings/x.asc', wanted)`.
 */
export function keyFileHolds(file: string, bytes: Buffer): boolean {
  try {
    return fs.readFileSync(file).equals(bytes);
  } catch {
    return false;
  }
}

/**
 * The fingerprints of the keys in a key file (armored or binary); [] when it is missing or
 * is not OpenPGP key data.
 *
 * Arguments: `file` (key path).
 * Example: `keyFileFingerprints('/etc/apt/keyrings/x.gpg')` -> `['275BFBA8...5077A841']`.
 */
export function keyFileFingerprints(file: string): string[] {
  try {
    const data = fs.readFileSync(file);
    return keyFingerprints(isArmored(data) ? dearmor(data) : data);
  } catch (e) {
    if (e instanceof KeyFormatError || (e as NodeJS.ErrnoException).code) return [];
    throw e;
  }
}

/**
 * The key files of a directory (and any `first` files) that hold a key id, `first` files first.
 *
 * Arguments: `dir` (e.g. /etc/apt/keyrings), `keyid`, `first` (files to look at before the directory).
 * Example: `filesWithKey('/etc/apt/keyrings', '5077A841')` -> `['/etc/apt/keyrings/x.asc']`.
 */
export function filesWithKey(dir: string, keyid: string, first: readonly string[] = []): string[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir).sort();
  } catch {
    names = [];
  }
  const candidates = [...first, ...names.map((n) => path.join(dir, n)).filter((p) => !first.includes(p))];
  return candidates.filter((f) => keyIdMatches(keyid, keyFileFingerprints(f)));
}
