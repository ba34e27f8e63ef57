/**
 * A FileSource that remembers which salt:// files were read through it, so the master learns
 * what a template imports by rendering it once.
 */
import type { FileSource } from '../../common/types';

/** One salt:// read: the URL as asked and the saltenv it was asked in. */
export interface RecordedRead {
  url: string;
  saltenv: string;
}

/** Wraps a FileSource and records every successful read. */
export class RecordingFileSource implements FileSource {
  readonly reads: RecordedRead[] = [];

  constructor(private readonly inner: FileSource) {}

  read(url: string, saltenv: string): Buffer {
    const bytes = this.inner.read(url, saltenv);
    this.reads.push({ url, saltenv });
    return bytes;
  }

  exists(url: string, saltenv: string): boolean {
    return this.inner.exists(url, saltenv);
  }

  list(dirUrl: string, saltenv: string): string[] {
    return this.inner.list(dirUrl, saltenv);
  }
}
