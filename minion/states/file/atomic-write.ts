/** Replacing a file's content atomically: a temp file in the same directory, renamed over the target. */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Owner and permission bits the new file gets. */
export interface FileMeta {
  uid: number;
  gid: number;
  mode: number;
}

/**
 * Write `data` to `target` atomically with the given owner and mode: readers see the old
 * content or the new, never a partial file. The temp file is removed on failure.
 */
export function writeFileAtomic(target: string, data: Buffer, meta: FileMeta): void {
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${crypto.randomBytes(6).toString('hex')}.brine-tmp`);
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    try {
      let off = 0;
      while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off);
      fs.fchownSync(fd, meta.uid, meta.gid);
      fs.fchmodSync(fd, meta.mode);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
