/**
 * Fetching a script for cmd.script: `salt://` through the job's file source, `http(s)://`
 * downloaded, or a local path; optionally rendered as a template. Failures return undefined
 * (Salt's cache_error), never throw.
 */
import * as fs from 'node:fs';
import type { Dict } from '../../../common/types';
import type { StateContext } from '../contract';

const DOWNLOAD_TIMEOUT_MS = 300_000;

async function fetchBytes(source: string, ctx: StateContext): Promise<Buffer | undefined> {
  if (source.startsWith('salt://')) {
    try {
      return ctx.files.read(source, ctx.saltenv);
    } catch {
      return undefined;
    }
  }
  if (/^https?:\/\//.test(source)) {
    try {
      const res = await fetch(source, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
      if (!res.ok) return undefined;
      return Buffer.from(await res.arrayBuffer());
    } catch {
      return undefined;
    }
  }
  const local = source.startsWith('file://') ? source.slice('file://'.length) : source;
  if (!local.startsWith('/')) return undefined;
  try {
    return fs.readFileSync(local);
  } catch {
    return undefined;
  }
}

/** The script's bytes, rendered with `template` when given; undefined when it cannot be had. */
export async function loadScript(source: string, template: string | undefined, context: Dict, ctx: StateContext): Promise<Buffer | undefined> {
  const raw = await fetchBytes(source, ctx);
  if (raw === undefined || !template) return raw;
  try {
    return Buffer.from(ctx.renderTemplate(raw.toString('utf8'), template, source, context), 'utf8');
  } catch {
    return undefined;
  }
}

/** The extension of a source's file name ('.sh'), ignoring `?saltenv=`. */
export function sourceExtension(source: string): string {
  const base = source.split('?')[0].split('/').pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot) : '';
}
