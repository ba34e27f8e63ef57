/**
 * The `source` of file states: `salt://` URLs (through the job's file source), local paths
 * (`/x`, `file:///x`), or a list of them where the first that exists wins (Salt's
 * file.source_list), each optionally a one-key mapping `{url: source_hash}`.
 */
import * as fs from 'node:fs';
import type { StateContext } from '../../states/contract';
import { isMapping, pyStr } from './args';

/** One chosen source and its hash (from the list entry or `source_hash`). */
export interface SourceRef {
  url: string;
  hash?: string;
}

/** The outcome of choosing or reading a source: the value, or Salt's failure comment. */
export type Sourced<T> = { ok: true; value: T } | { ok: false; comment: string };

function localPath(url: string): string | undefined {
  if (url.startsWith('file://')) return url.slice('file://'.length);
  if (url.startsWith('/')) return url;
  return undefined;
}

function sourceExists(url: string, ctx: StateContext): boolean {
  if (url.startsWith('salt://')) {
    try {
      return ctx.files.exists(url, ctx.saltenv);
    } catch {
      return false;
    }
  }
  const local = localPath(url);
  return local !== undefined && fs.existsSync(local);
}

/** Choose the source to use (file.source_list); a single source is taken as given. */
export function chooseSource(source: unknown, sourceHash: string | undefined, ctx: StateContext): Sourced<SourceRef> {
  if (!Array.isArray(source)) return { ok: true, value: { url: pyStr(source), hash: sourceHash } };
  for (const item of source) {
    if (isMapping(item)) {
      const [url, hash] = Object.entries(item)[0] ?? [];
      if (url !== undefined && sourceExists(url, ctx)) {
        return { ok: true, value: { url, hash: hash === undefined || hash === null ? undefined : pyStr(hash) } };
      }
    } else if (typeof item === 'string' && sourceExists(item, ctx)) {
      return { ok: true, value: { url: item, hash: sourceHash } };
    }
  }
  return { ok: false, comment: 'Unable to manage file: none of the specified sources were found' };
}

/** Read a source's bytes, or Salt's comment when it cannot be found. */
export function readSource(url: string, ctx: StateContext): Sourced<Buffer> {
  if (url.startsWith('salt://')) {
    try {
      return { ok: true, value: ctx.files.read(url, ctx.saltenv) };
    } catch (e) {
      let present = false;
      try {
        present = ctx.files.exists(url, ctx.saltenv);
      } catch {
        present = false;
      }
      const comment = present ? `Unable to manage file: ${(e as Error).message}` : `Source file ${url} not found in saltenv '${ctx.saltenv}'`;
      return { ok: false, comment };
    }
  }
  const local = localPath(url);
  if (local !== undefined) {
    try {
      return { ok: true, value: fs.readFileSync(local) };
    } catch {
      return { ok: false, comment: `Local file source ${local} does not exist` };
    }
  }
  return { ok: false, comment: `Unable to manage file: unsupported source ${url} (Brine serves salt:// and local files)` };
}
