/**
 * file.absent: the path does not exist (files and symlinks are removed, directories
 * recursively).
 *
 * Example:
 *
 *     /root/.openrc:
 *       file.absent
 *
 * Changes: `{"removed": "<path>"}`.
 */
import * as fs from 'node:fs';
import type { Dict } from '../../../common/types';
import { expandUser, isAbsolute } from '../../host/paths';
import { isDir, isFile, isLink } from '../../host/stat';
import { stateFunction, type Applied, type CheckOutcome } from '../contract';

/** What is to be removed. */
export interface AbsentPlan {
  path: string;
  what: 'file' | 'directory';
}

function checkAbsent(rawName: string, _args: Dict): CheckOutcome<AbsentPlan> {
  const name = expandUser(rawName);
  if (!name) return { kind: 'invalid', comment: 'Must provide name to file.absent' };
  if (!isAbsolute(name)) return { kind: 'invalid', comment: `Specified file ${name} is not an absolute path` };
  if (name === '/') return { kind: 'invalid', comment: 'Refusing to make "/" absent' };
  if (isFile(name) || isLink(name)) {
    return { kind: 'drift', changes: { removed: name }, testComment: `File ${name} is set for removal`, plan: { path: name, what: 'file' } };
  }
  if (isDir(name)) {
    return { kind: 'drift', changes: { removed: name }, testComment: `Directory ${name} is set for removal`, plan: { path: name, what: 'directory' } };
  }
  return { kind: 'in-state', comment: `File ${name} is not present` };
}

function applyAbsent(plan: AbsentPlan): Applied {
  try {
    if (plan.what === 'file') fs.unlinkSync(plan.path);
    else fs.rmSync(plan.path, { recursive: true });
  } catch (e) {
    const comment =
      plan.what === 'directory' ? `Failed to remove directory ${plan.path}` : `Could not remove '${plan.path}': ${(e as Error).message}`;
    return { result: false, changes: {}, comment };
  }
  const comment = plan.what === 'file' ? `Removed file ${plan.path}` : `Removed directory ${plan.path}`;
  return { result: true, changes: { removed: plan.path }, comment };
}

/** file.absent as a check-then-apply state function. */
export const absent = stateFunction<AbsentPlan>({
  check: (name, args) => checkAbsent(name, args),
  apply: (_name, _args, _ctx, plan) => applyAbsent(plan),
});
