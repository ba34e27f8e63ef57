/**
 * Requisite resolution: which low chunks a chunk's `require`, `watch`, `onchanges`,
 * `onfail`, `prereq` (and their `_any`/`_all` forms) point at, matched as Salt does
 * (ID or name globs, `sls:` for whole files, `id:` for any module).
 */
import { compileFnmatch } from '../../common/match/fnmatch';
import { isDict } from '../../common/sls/shape';
import { chunkTag } from '../../common/sls/lowstate';
import type { LowChunk } from '../../common/types';

/** Requisite kinds checked before a chunk runs, in Salt's order. */
export const RUN_REQUISITES = [
  'require', 'require_any', 'watch', 'watch_any', 'prereq', 'prerequired',
  'onfail', 'onfail_any', 'onfail_all', 'onchanges', 'onchanges_any',
] as const;

export type RequisiteKind = (typeof RUN_REQUISITES)[number];

/** A chunk's requisites resolved to chunks, and those that matched nothing. */
export interface ResolvedRequisites {
  byKind: Map<RequisiteKind, LowChunk[]>;
  lost: Map<RequisiteKind, Array<[string, string]>>;
}

/** Resolve every requisite of `low` against all chunks of the run. */
export function resolveRequisites(low: LowChunk, chunks: readonly LowChunk[]): ResolvedRequisites {
  const byKind = new Map<RequisiteKind, LowChunk[]>();
  const lost = new Map<RequisiteKind, Array<[string, string]>>();
  const self = chunkTag(low);
  for (const kind of RUN_REQUISITES) {
    const decl = low[kind];
    if (!Array.isArray(decl)) continue;
    for (let req of decl) {
      if (typeof req === 'string') req = { id: req };
      if (!isDict(req)) continue;
      const [reqKey, rawVal] = Object.entries(req)[0] ?? [];
      if (reqKey === undefined || rawVal === null || rawVal === undefined) continue;
      const reqVal = String(rawVal);
      let found = false;
      const matches = /[*?[]/.test(reqVal) ? compileFnmatch(reqVal) : (s: string) => s === reqVal;
      for (const chunk of chunks) {
        let hit: boolean;
        if (reqKey === 'sls') hit = matches(chunk.__sls__);
        else hit = (matches(chunk.name) || matches(chunk.__id__)) && (reqKey === 'id' || chunk.state === reqKey);
        if (!hit) continue;
        found = true;
        if (chunkTag(chunk) === self) continue;
        const list = byKind.get(kind) ?? [];
        if (!list.includes(chunk)) list.push(chunk);
        byKind.set(kind, list);
      }
      if (!found) {
        const l = lost.get(kind) ?? [];
        l.push([reqKey, reqVal]);
        lost.set(kind, l);
      }
    }
  }
  return { byKind, lost };
}

/** Salt's comment for requisites that match no state. */
export function lostRequisitesComment(lost: ResolvedRequisites['lost']): string {
  let comment = 'The following requisites were not found:\n';
  for (const [kind, reqs] of lost) {
    if (!reqs.length) continue;
    comment += `${' '.repeat(19)}${kind}:\n`;
    for (const [k, v] of reqs) comment += `${' '.repeat(23)}${k}: ${v}\n`;
  }
  return comment;
}

/** What the results of a chunk's requisites say about running it (Salt's check_requisite status). */
export type RequisiteStatus = 'met' | 'fail' | 'pre' | 'onfail' | 'onchanges' | 'change' | 'skip_watch';

/** A finished result as the status computation needs it. */
export interface RanResult {
  result: boolean | null;
  changes: Record<string, unknown>;
  __state_ran__?: boolean;
  skip_watch?: boolean;
}

/** Compute the requisite status from the results of the required chunks (`pre` holds prereq test runs). */
export function requisiteStatus(
  reqs: Map<RequisiteKind, LowChunk[]>,
  running: ReadonlyMap<string, RanResult>,
  pre: ReadonlyMap<string, RanResult>,
): RequisiteStatus {
  const funStats = new Set<string>();
  for (const [kind, chunks] of reqs) {
    const stats = new Set<string>();
    const isPrereq = kind === 'prereq' || kind === 'prerequired';
    const dict = kind === 'prereq' ? pre : running;
    for (const chunk of chunks) {
      const r = dict.get(chunkTag(chunk)) ?? running.get(chunkTag(chunk));
      if (!r) continue;
      if (kind.startsWith('onfail')) {
        if (r.result === true) {
          stats.add('onfail');
          continue;
        }
      } else if (r.result === false) {
        stats.add('fail');
        continue;
      }
      const changed = r.changes && Object.keys(r.changes).length > 0;
      if (kind.startsWith('onchanges')) {
        stats.add(changed ? 'onchangesmet' : 'onchanges');
        continue;
      }
      if (kind.startsWith('watch') && changed) {
        stats.add(r.skip_watch ? 'skip_watch' : 'change');
        continue;
      }
      if (isPrereq && kind !== 'prerequired') {
        stats.add(r.result === null ? 'premet' : 'pre');
        continue;
      }
      if (r.__state_ran__ !== false) stats.add('met');
    }
    if (kind.endsWith('_any') || kind === 'onfail') {
      if (stats.has('met') || stats.has('change')) stats.delete('fail');
      if (stats.has('onchangesmet')) {
        stats.delete('onchanges');
        stats.delete('fail');
      }
      if (stats.has('onfail') && stats.has('met')) stats.delete('onfail');
    }
    if (kind.endsWith('_all') && stats.has('onfail') && stats.has('met')) stats.delete('met');
    for (const s of stats) funStats.add(s);
  }
  if (funStats.has('fail')) return 'fail';
  if (funStats.has('pre')) return funStats.has('premet') ? 'met' : 'pre';
  if (funStats.has('onfail') && !funStats.has('onchangesmet')) return 'onfail';
  if (funStats.has('onchanges') && !funStats.has('onchangesmet')) return 'onchanges';
  if (funStats.has('change')) return 'change';
  if (funStats.has('skip_watch')) return 'skip_watch';
  return 'met';
}
