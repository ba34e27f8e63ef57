/**
 * Requirements files as pip needs them: local paths as given, `salt://` files fetched from
 * the file server into a private temp directory (readable by the user pip runs as), removed
 * again after the run.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FileSource } from '../../../common/types';
import { lookupUser } from '../../host/users';
import { PipError } from './errors';

/** Requirements files on local disk, and how to remove the fetched copies. */
export interface LocalRequirements {
  paths: string[];
  cleanup(): void;
}

/** Salt's message when a salt:// requirements file does not exist. */
export function missingRequirementsMessage(url: string): string {
  return `pip requirements file '${url}' not found`;
}

/** The first salt:// requirements file that does not exist, if any. */
export function firstMissingRequirements(reqs: string[], files: FileSource, saltenv: string): string | undefined {
  return reqs.find((r) => r.startsWith('salt://') && !files.exists(r, saltenv));
}

/**
 * Make requirements files local: fetch `salt://` ones into a temp directory (owned by
 * `user` when given); throws PipError with Salt's message when one is missing.
 *
 * Example: localRequirements(['salt://app/req.txt'], files, 'base')
 *   -> {paths: ['/tmp/brine-pip-req-Xy12/req.txt'], cleanup}
 */
export function localRequirements(reqs: string[], files: FileSource, saltenv: string, user?: string): LocalRequirements {
  let dir: string | undefined;
  const cleanup = (): void => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  };
  const owner = user ? lookupUser(user) : undefined;
  const paths: string[] = [];
  try {
    for (const req of reqs) {
      if (!req.startsWith('salt://')) {
        paths.push(req);
        continue;
      }
      if (!files.exists(req, saltenv)) throw new PipError(missingRequirementsMessage(req));
      dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'brine-pip-req-'));
      const sub = fs.mkdtempSync(path.join(dir, 'r'));
      const local = path.join(sub, path.posix.basename(req.split('?')[0]) || 'requirements.txt');
      fs.writeFileSync(local, files.read(req, saltenv), { mode: 0o600 });
      if (owner) {
        for (const p of [dir, sub, local]) fs.chownSync(p, owner.uid, owner.gid);
      }
      paths.push(local);
    }
  } catch (e) {
    cleanup();
    throw e;
  }
  return { paths, cleanup };
}
