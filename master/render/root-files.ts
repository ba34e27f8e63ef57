/**
 * Reading files to attach from the master's file_roots: a salt:// URL is attached only when
 * it passes the attachment checks and its real path (symlinks resolved) is inside one of the
 * roots of its saltenv.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { attachFile, attachmentKey, hasAttachment, type AttachmentKey } from '../../common/attached-files';
import type { LocalFileSource } from '../../common/fileserver';
import type { AttachedFiles } from '../../common/protocol/messages';

/** The master's file_roots as attachments see them. */
export class RootFiles {
  private readonly realRoots = new Map<string, string[]>();
  /** With `remember`: each key's file (or undefined) and bytes, found and read once. */
  private readonly found = new Map<string, { bytes: Buffer } | undefined>();

  constructor(
    private readonly files: LocalFileSource,
    private readonly roots: Record<string, string[]>,
    private readonly remember = false,
  ) {}

  /** The attachment key of a URL, or undefined when the URL is refused. */
  keyOf(url: string, saltenv: string): AttachmentKey | undefined {
    try {
      return attachmentKey(url, saltenv);
    } catch {
      return undefined;
    }
  }

  /**
   * Attach the file a key names; returns its bytes, or undefined when it is not a file
   * inside the roots (refused, missing, a directory, or a symlink leading out).
   */
  attach(out: AttachedFiles, key: AttachmentKey): Buffer | undefined {
    const bytes = this.bytesOf(key);
    if (bytes && !hasAttachment(out, key)) attachFile(out, key, bytes);
    return bytes;
  }

  private bytesOf(key: AttachmentKey): Buffer | undefined {
    const memo = `${key.saltenv}\0${key.path}`;
    if (this.found.has(memo)) return this.found.get(memo)?.bytes;
    const file = this.locate(key);
    const bytes = file ? fs.readFileSync(file) : undefined;
    if (this.remember) this.found.set(memo, bytes ? { bytes } : undefined);
    return bytes;
  }

  /** The files under a salt:// directory (relative to it), for directory sources. */
  listDir(key: AttachmentKey): string[] {
    return this.files.list(`salt://${key.path}`, key.saltenv);
  }

  private locate(key: AttachmentKey): string | undefined {
    let found: string | undefined;
    try {
      found = this.files.locate(key.path, key.saltenv);
      if (!found) return undefined;
      found = fs.realpathSync(found);
    } catch {
      return undefined;
    }
    const real = found;
    return this.realRootsOf(key.saltenv).some((root) => isInside(root, real)) ? real : undefined;
  }

  private realRootsOf(saltenv: string): string[] {
    let list = this.realRoots.get(saltenv);
    if (!list) {
      list = [];
      for (const dir of Object.hasOwn(this.roots, saltenv) ? this.roots[saltenv] : []) {
        try {
          list.push(fs.realpathSync(dir));
        } catch {
          // a root that does not exist holds nothing
        }
      }
      this.realRoots.set(saltenv, list);
    }
    return list;
  }
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}
