/**
 * High data -> ordered low chunks, as Salt's `compile_high_data` and `order_chunks` do:
 * one chunk per (ID, module) and per entry of `names`, arguments flattened in declaration
 * order, then sorted by `order` (auto-order numbers, `first`, `last`, negatives) and name.
 */
import type { HighData, LowChunk } from '../types';
import { isDict } from './shape';

/** Compile verified, extended high data into low chunks, in execution order. */
export function compileLowChunks(high: HighData): LowChunk[] {
  const chunks: Record<string, unknown>[] = [];
  for (const [id, body] of Object.entries(high)) {
    if (id.startsWith('__')) continue;
    for (const [state, run] of Object.entries(body)) {
      if (state.startsWith('__') || !Array.isArray(run)) continue;
      const chunk: Record<string, unknown> = { state, name: id };
      if ('__sls__' in body) chunk.__sls__ = body.__sls__;
      if ('__env__' in body) chunk.__env__ = body.__env__;
      chunk.__id__ = id;
      let fun: string | undefined;
      const names: unknown[] = [];
      for (const arg of run) {
        if (typeof arg === 'string') {
          fun ??= arg;
          continue;
        }
        if (!isDict(arg)) continue;
        for (const [key, val] of Object.entries(arg)) {
          if (key === 'names' && Array.isArray(val)) {
            for (const n of val) if (!names.some((x) => sameName(x, n))) names.push(n);
          } else if (key === 'state') {
            continue;
          } else if (key === 'name' && typeof val !== 'string') {
            chunk.name = typeof val === 'number' ? String(val) : id;
          } else {
            chunk[key] = val;
          }
        }
      }
      if (fun === undefined) continue;
      if (names.length) {
        names.forEach((entry, i) => {
          const live = structuredClone(chunk);
          if (isDict(entry)) {
            const [lowName, extra] = Object.entries(entry)[0] ?? [String(entry), []];
            live.name = lowName;
            if (Array.isArray(extra)) for (const e of extra) if (isDict(e)) Object.assign(live, e);
          } else {
            live.name = String(entry);
          }
          live.name_order = i + 1;
          live.fun = fun;
          chunks.push(live);
        });
      } else {
        const live = structuredClone(chunk);
        live.fun = fun;
        chunks.push(live);
      }
    }
  }
  return orderChunks(chunks);
}

function sameName(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Sort chunks by Salt's order rules; assigns numeric `order` to every chunk. */
export function orderChunks(chunks: Record<string, unknown>[]): LowChunk[] {
  let cap = 1;
  for (const c of chunks) {
    const o = c.order;
    if (typeof o === 'number' && Number.isInteger(o) && o > cap - 1 && o > 0) cap = o + 100;
  }
  for (const c of chunks) {
    let o = c.order;
    if (o === undefined) {
      c.order = cap;
      continue;
    }
    if (typeof o !== 'number') {
      if (o === 'last') o = cap + 1000000;
      else if (o === 'first') o = 0;
      else o = cap;
    }
    if (typeof c.name_order === 'number') {
      o = (o as number) + c.name_order / 10000;
      delete c.name_order;
    }
    if ((o as number) < 0) o = cap + 1000000 + (o as number);
    c.order = o;
  }
  const key = (c: Record<string, unknown>) => `${c.state}${c.name}${c.fun}`;
  const decorated = chunks.map((c, i) => ({ c, i, k: key(c) }));
  decorated.sort((a, b) => {
    const d = (a.c.order as number) - (b.c.order as number);
    if (d !== 0) return d;
    if (a.k !== b.k) return a.k < b.k ? -1 : 1;
    return a.i - b.i;
  });
  return decorated.map((d) => d.c as LowChunk);
}

/** The running-dict tag of a chunk: `<state>_|-<id>_|-<name>_|-<fun>`. */
export function chunkTag(low: { state: string; __id__: string; name: string; fun: string }): string {
  return `${low.state}_|-${low.__id__}_|-${low.name}_|-${low.fun}`;
}
