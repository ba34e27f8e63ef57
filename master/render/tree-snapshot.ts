/**
 * The master's roots as the renders of one job see them. A job renders every targeted minion
 * from the same files: each salt:// path is looked up, listed and read once per job instead of
 * once per minion, and all the job's minions get the files as they were at its first render
 * (an edit made while the job renders applies to the next job, not to half of this one).
 */
import { LocalFileSource, type Roots } from '../../common/fileserver';
import { RootFiles } from './root-files';
import type { MasterRenderSettings } from './settings';

/** A LocalFileSource that answers each lookup, listing and read once (failed reads are not kept). */
export class RememberingFileSource extends LocalFileSource {
  private readonly located = new Map<string, string | undefined>();
  private readonly contents = new Map<string, Buffer>();
  private readonly listings = new Map<string, string[]>();

  constructor(roots: Roots) {
    super(roots);
  }

  override locate(relPath: string, saltenv: string): string | undefined {
    const key = `${saltenv}\0${relPath}`;
    if (this.located.has(key)) return this.located.get(key);
    const found = super.locate(relPath, saltenv);
    this.located.set(key, found);
    return found;
  }

  override read(url: string, saltenv: string): Buffer {
    const key = `${saltenv}\0${url}`;
    let bytes = this.contents.get(key);
    if (!bytes) {
      bytes = super.read(url, saltenv);
      this.contents.set(key, bytes);
    }
    return bytes;
  }

  override list(dirUrl: string, saltenv: string): string[] {
    const key = `${saltenv}\0${dirUrl}`;
    let listing = this.listings.get(key);
    if (!listing) {
      listing = super.list(dirUrl, saltenv);
      this.listings.set(key, listing);
    }
    return [...listing];
  }
}

/** The file roots, the pillar roots and the attachable files of one job's renders. */
export class TreeSnapshot {
  readonly files: LocalFileSource;
  readonly pillarFiles: LocalFileSource;
  readonly roots: RootFiles;

  /** `remember`: keep what was read (a job's snapshot); else read the disk every time (one render). */
  constructor(cfg: MasterRenderSettings, remember: boolean) {
    const source = (roots: Roots) => (remember ? new RememberingFileSource(roots) : new LocalFileSource(roots));
    this.files = source(cfg.file_roots);
    this.pillarFiles = source(cfg.pillar_roots);
    this.roots = new RootFiles(this.files, cfg.file_roots, remember);
  }
}
