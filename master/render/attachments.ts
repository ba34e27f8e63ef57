/**
 * The salt:// files a minion needs to run its compiled chunks, read from the master's
 * file_roots: every salt:// argument of every chunk (sources, source lists, hash files,
 * scripts, requirements, keys; directory sources of file.recurse), plus what templated
 * sources import. Refused or missing URLs are not attached; the minion's state then fails
 * as it would masterless ("Source file salt://... not found").
 */
import type { AttachedFiles } from '../../common/protocol/messages';
import type { LowChunk } from '../../common/types';
import type { RecordingFileSource } from './recording-files';
import type { RootFiles } from './root-files';
import { saltUrlsOf } from './salt-urls';
import { renderForImports, type ChunkSource, type ImportScan } from './template-imports';

/** What collecting attachments needs: the roots, and a template scan reading through `recorder`. */
export interface AttachmentInputs {
  roots: RootFiles;
  recorder: RecordingFileSource;
  scan: ImportScan;
}

/** Every file the chunks will read, as saltenv -> relative path -> bytes. */
export function collectAttachments(chunks: readonly LowChunk[], inp: AttachmentInputs): AttachedFiles {
  const out: AttachedFiles = {};
  for (const chunk of chunks) {
    const sources = attachChunkSources(chunk, inp, out);
    inp.recorder.reads.length = 0;
    renderForImports(chunk, sources, inp.scan);
    for (const read of inp.recorder.reads) {
      const key = inp.roots.keyOf(read.url, read.saltenv);
      if (key) inp.roots.attach(out, key);
    }
  }
  inp.recorder.reads.length = 0;
  return out;
}

function attachChunkSources(chunk: LowChunk, inp: AttachmentInputs, out: AttachedFiles): ChunkSource[] {
  const saltenv = chunk.__env__ ?? 'base';
  const sources: ChunkSource[] = [];
  for (const url of saltUrlsOf(chunk)) {
    const key = inp.roots.keyOf(url, saltenv);
    if (!key) continue;
    const bytes = inp.roots.attach(out, key);
    if (bytes) {
      sources.push({ url, bytes });
      continue;
    }
    if (chunk.fun !== 'recurse') continue;
    for (const rel of inp.roots.listDir(key)) {
      const subUrl = `salt://${key.path ? `${key.path}/${rel}` : rel}`;
      const sub = inp.roots.keyOf(subUrl, key.saltenv);
      const subBytes = sub && inp.roots.attach(out, sub);
      if (subBytes) sources.push({ url: subUrl, bytes: subBytes });
    }
  }
  return sources;
}
