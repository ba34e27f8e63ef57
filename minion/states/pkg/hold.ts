/**
 * The `hold` argument of pkg.installed: after the packages are in place, hold them (`hold: True`)
 * or release them (`hold: False`), and fold pkg.hold's per-package results into the state's
 * comment, result and changes the way Salt does.
 */
import type { Dict } from '../../../common/types';
import type { HoldResult } from '../../backends/apt/operations';

/** pkg.hold results split as Salt splits them: changed, unchanged, failed (or only predicted). */
export interface HoldGroups {
  modified: HoldResult[];
  notModified: HoldResult[];
  failed: HoldResult[];
}

/** Split results into changed / unchanged-and-fine / failed-or-test (Salt's three lists). */
export function groupHolds(results: Record<string, HoldResult>): HoldGroups {
  const all = Object.values(results);
  const changed = (r: HoldResult): boolean => Object.keys(r.changes).length > 0;
  return {
    modified: all.filter(changed),
    notModified: all.filter((r) => !changed(r) && r.result),
    failed: all.filter((r) => !r.result),
  };
}

/**
 * Nothing to install, hold applied: Salt appends ".\n<hold comment>" for each package to the
 * "already installed" comment; the result is the last package's result in Salt's order.
 * Example: `foldHoldsIntoSatisfied('Package sl is already installed', results)`
 * → comment 'Package sl is already installed.\nPackage sl is now being held.'.
 */
export function foldHoldsIntoSatisfied(base: string, results: Record<string, HoldResult>): { comment: string; result: boolean | null; changes: Dict } {
  const g = groupHolds(results);
  let comment = base;
  let result: boolean | null = true;
  const changes: Dict = {};
  for (const r of g.modified) {
    comment += `.\n${r.comment}`;
    result = r.result;
    changes[r.name] = r.changes;
  }
  for (const r of [...g.notModified, ...g.failed]) {
    comment += `.\n${r.comment}`;
    result = r.result;
  }
  return { comment, result, changes };
}

/**
 * After an install: add each changed hold to the package's changes (`new: "<version>\nhold"`,
 * `old: "install"`, as Salt concatenates them) and return the comments of the changed holds.
 */
export function mergeHoldChanges(changes: Dict, modified: readonly HoldResult[]): string[] {
  const comments: string[] = [];
  for (const h of modified) {
    comments.push(h.comment);
    const cur = changes[h.name] as { old?: string; new?: string } | undefined;
    const hNew = String(h.changes.new ?? 'None');
    if (cur && typeof cur === 'object') {
      cur.new = `${cur.new ? `${cur.new}\n` : ''}${hNew}`;
      cur.old = `${cur.old ? `${cur.old}\n` : ''}${String(h.changes.old ?? 'None')}`;
    } else {
      changes[h.name] = { new: hNew };
    }
  }
  return comments;
}
