/**
 * The `salt://` file server over local roots (`file_roots` / `pillar_roots`):
 * saltenv -> list of directories, searched in order, never escaped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BrineError } from './errors';
import { parseSaltUrl, safeRelativePath } from './paths';
import type { FileSource } from './types';

/** saltenv -> directories, as in Salt's `file_roots` option. */
export type Roots = Record<string, string[]>;

/** A FileSource reading from directories on this host. */
export class LocalFileSource implements FileSource {
  private readonly roots: Roots;

  constructor(roots: Roots) {
    this.roots = {};
    for (const [env, dirs] of Object.entries(roots)) this.roots[env] = dirs.map((d) => path.resolve(d));
  }

  /** Find the absolute path of a salt:// URL, or undefined when no root has it. */
  resolve(url: string, saltenv: string): string | undefined {
    const parsed = parseSaltUrl(url);
    return this.locate(parsed.path, parsed.saltenv ?? saltenv);
  }

  /** Find the absolute path of a relative path in the roots of a saltenv. */
  locate(relPath: string, saltenv: string): string | undefined {
    const rel = safeRelativePath(relPath);
    for (const root of this.roots[saltenv] ?? []) {
      const candidate = path.join(root, rel);
      if (!isInside(root, candidate)) continue;
      try {
        if (!fs.statSync(candidate).isFile()) continue;
        // a symlink may point anywhere: only a file whose real path is inside the root's real path is served
        if (isInside(fs.realpathSync.native(root), fs.realpathSync.native(candidate))) return candidate;
      } catch {
        // not in this root
      }
    }
    return undefined;
  }

  read(url: string, saltenv: string): Buffer {
    const found = this.resolve(url, saltenv);
    if (!found) throw new BrineError(`Source file ${url} not found in saltenv '${saltenv}'`);
    return fs.readFileSync(found);
  }

  exists(url: string, saltenv: string): boolean {
    return this.resolve(url, saltenv) !== undefined;
  }

  list(dirUrl: string, saltenv: string): string[] {
    const parsed = parseSaltUrl(dirUrl);
    const env = parsed.saltenv ?? saltenv;
    const seen = new Set<string>();
    for (const root of this.roots[env] ?? []) {
      const base = path.join(root, parsed.path);
      if (!isInside(root, base)) continue;
      walk(base, '', seen);
    }
    return [...seen].sort();
  }

  /** The saltenvs these roots serve. */
  saltenvs(): string[] {
    return Object.keys(this.roots);
  }
}

function walk(dir: string, prefix: string, out: Set<string>): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) walk(path.join(dir, e.name), rel, out);
    else if (e.isFile()) out.add(rel);
  }
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
