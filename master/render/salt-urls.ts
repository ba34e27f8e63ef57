/**
 * The salt:// URLs a low chunk refers to: every string argument (at any depth, mapping keys
 * included, as in `sources: [{salt://a: md5=...}]`) that starts with `salt://`. A URL
 * followed by words (`cmd.script` names: `salt://x.sh --arg`) also yields its first word.
 */
import type { LowChunk } from '../../common/types';

/** Chunk keys that are bookkeeping, never state arguments. */
const BOOKKEEPING = new Set(['state', 'fun', 'order', '__sls__', '__env__']);

/** The salt:// URLs in a chunk's arguments, in the order they appear, without duplicates. */
export function saltUrlsOf(chunk: LowChunk): string[] {
  const found = new Set<string>();
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      addUrl(v, found);
      return;
    }
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const item of v) visit(item);
      return;
    }
    for (const [k, item] of Object.entries(v)) {
      addUrl(k, found);
      visit(item);
    }
  };
  for (const [k, v] of Object.entries(chunk)) {
    if (!BOOKKEEPING.has(k)) visit(v);
  }
  return [...found];
}

function addUrl(s: string, out: Set<string>): void {
  if (!s.startsWith('salt://')) return;
  out.add(s);
  const first = s.split(/\s+/, 1)[0];
  if (first !== s) out.add(first);
}
