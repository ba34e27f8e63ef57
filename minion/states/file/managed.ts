/**
 * file.managed: a file with the wanted content (from `source`, optionally a Jinja template,
 * or from `contents`/`contents_pillar`/`contents_grains`), owner and mode.
 *
 * Example:
 *
 *     /etc/mysql/conf.d/galera.cnf:
 *       file.managed:
 *         - source: salt://mariadb-galera/files/galera.cnf
 *         - template: jinja
 *         - makedirs: True
 *         - mode: 644
 *
 * Arguments: name, source (or list of sources), source_hash, template, context, defaults,
 * contents, contents_pillar, contents_grains, contents_newline, contents_delimiter,
 * allow_empty, user, group, mode, makedirs, dir_mode, replace, create, show_changes,
 * follow_symlinks.
 *
 * Changes as Salt reports them: test mode shows `newfile` for a new file, otherwise `diff`,
 * `user`, `group`, `mode`; a real run shows `diff` ('New file' for a new file), `user`,
 * `group`, `mode`. Content is replaced atomically, keeping the file's owner and mode unless
 * asked otherwise.
 */
import * as fs from 'node:fs';
import type { Dict } from '../../../common/types';
import { defaultFileMode, modeBits } from '../../host/modes';
import { dirName } from '../../host/paths';
import { isDir, pathStats, statsOf } from '../../host/stat';
import { currentGid, currentUid, groupName, groupToGid, userName, userToUid } from '../../host/users';
import { stateFunction, type CheckOutcome, type StateContext } from '../contract';
import { truthy } from './args';
import { writeFileAtomic } from './atomic-write';
import { contentDiff, type DiffDisplay } from './diff';
import { makeParents } from './makedirs';
import { parseManaged, sourceContent, type ManagedSpec } from './managed-spec';
import { enforcePerms, permChanges, type WantedPerms } from './ownership';

/** What `check` found and `apply` needs. */
export type ManagedPlan =
  | { kind: 'perms'; spec: ManagedSpec }
  | { kind: 'update'; spec: ManagedSpec; data?: Buffer; diff?: string; replaceLink: boolean }
  | { kind: 'create'; spec: ManagedSpec; data?: Buffer; origin: 'source' | 'contents' | 'empty' };

const TEST_CHANGED = '\nNote: No changes made, actual changes may\nbe different due to other states.';

function wantedOf(spec: ManagedSpec): WantedPerms {
  return { user: spec.user, group: spec.group, mode: spec.mode };
}

function display(spec: ManagedSpec, ctx: StateContext): DiffDisplay {
  return { showChanges: spec.showChanges, obfuscate: truthy(ctx.opts.obfuscate_templates) };
}

function checkManaged(name: string, args: Dict, ctx: StateContext): CheckOutcome<ManagedPlan> {
  const parsed = parseManaged(name, args, ctx);
  if (parsed.kind !== 'spec') return parsed;
  const spec = parsed.spec;
  const path = spec.name;

  if (!spec.replace && spec.target !== undefined) return checkPermsOnly(spec, ctx);

  let data: Buffer | undefined;
  let origin: 'source' | 'contents' | 'empty' = 'empty';
  if (spec.contents !== undefined) {
    data = Buffer.from(spec.contents, 'utf8');
    origin = 'contents';
  } else if (spec.source !== undefined) {
    const got = sourceContent(spec, ctx);
    if (!got.ok) return { kind: 'invalid', comment: got.comment };
    data = got.data;
    origin = 'source';
  }

  const st = spec.followSymlinks ? (spec.target ? statsOf(spec.target) : undefined) : pathStats(path, false);
  if (!st) {
    const plan: ManagedPlan = { kind: 'create', spec, data, origin };
    return { kind: 'drift', changes: { newfile: path }, testComment: `The file ${path} is set to be changed${TEST_CHANGED}`, plan };
  }

  const changes: Dict = {};
  let diff: string | undefined;
  const replaceLink = st.type === 'link';
  if (replaceLink) diff = 'Replace symbolic link with regular file';
  else if (data !== undefined && !sameContent(path, st.stat, data)) diff = contentDiff(fs.readFileSync(path), data, display(spec, ctx));
  if (diff !== undefined) changes.diff = diff;
  Object.assign(changes, permChanges(st, wantedOf(spec), false));
  if (!Object.keys(changes).length) {
    return { kind: 'in-state', comment: ctx.test ? `The file ${path} is in the correct state` : `File ${path} is in the correct state` };
  }
  const plan: ManagedPlan = { kind: 'update', spec, data: diff === undefined ? undefined : data, diff, replaceLink };
  return { kind: 'drift', changes, testComment: `The file ${path} is set to be changed${TEST_CHANGED}`, plan };
}

/** Whether the file already holds exactly `data` (size first, so most changes cost no read). */
function sameContent(path: string, st: fs.Stats, data: Buffer): boolean {
  if (st.size !== data.length) return false;
  const fd = fs.openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(data.length + 1);
    let got = 0;
    for (let n = 1; n > 0 && got < buf.length; got += n) n = fs.readSync(fd, buf, got, buf.length - got, null);
    return got === data.length && buf.subarray(0, got).equals(data);
  } finally {
    fs.closeSync(fd);
  }
}

/** `replace: False` on an existing file: only ownership and mode are enforced. */
function checkPermsOnly(spec: ManagedSpec, ctx: StateContext): CheckOutcome<ManagedPlan> {
  const path = spec.name;
  const st = pathStats(path, spec.followSymlinks);
  if (!st) return { kind: 'invalid', comment: `${path}: File not found` };
  const changes = permChanges(st, wantedOf(spec), !spec.followSymlinks);
  if (!Object.keys(changes).length) {
    return { kind: 'in-state', comment: ctx.test ? `File ${path} not updated` : `File ${path} exists with proper permissions. No changes made.` };
  }
  const testComment =
    spec.mode !== undefined && spec.mode !== st.mode
      ? `File ${path} will be updated with permissions ${spec.mode} from its current state of ${st.mode}`
      : `File ${path} not updated`;
  return { kind: 'drift', changes, testComment, plan: { kind: 'perms', spec } };
}

function applyManaged(plan: ManagedPlan): { result: boolean; changes: Dict; comment: string } {
  switch (plan.kind) {
    case 'perms': {
      const { changes, errors } = enforcePerms(plan.spec.name, wantedOf(plan.spec), plan.spec.followSymlinks);
      return { result: !errors.length, changes, comment: errors.join('; ') };
    }
    case 'update':
      return applyUpdate(plan);
    case 'create':
      return applyCreate(plan);
  }
}

function applyUpdate(plan: Extract<ManagedPlan, { kind: 'update' }>): { result: boolean; changes: Dict; comment: string } {
  const { spec } = plan;
  const path = spec.name;
  const changes: Dict = {};
  if (plan.data !== undefined || plan.replaceLink) {
    const real = plan.replaceLink ? path : fs.realpathSync(path);
    const cur = fs.statSync(real, { throwIfNoEntry: false }) ?? fs.lstatSync(real);
    const data = plan.data ?? Buffer.alloc(0);
    writeFileAtomic(real, data, { uid: cur.uid, gid: cur.gid, mode: cur.mode & 0o7777 });
    if (plan.diff) changes.diff = plan.diff;
  }
  const perms = enforcePerms(path, wantedOf(spec), spec.followSymlinks);
  Object.assign(changes, perms.changes);
  const result = !perms.errors.length;
  let comment = perms.errors.join('; ');
  if (Object.keys(changes).length) comment = `File ${path} updated`;
  else if (result) comment = `File ${path} is in the correct state`;
  return { result, changes, comment };
}

/** The mode Salt derives for created parent directories from the file mode (adds the x bits). */
function dirModeFrom(mode: string | undefined): string | undefined {
  if (mode === undefined) return undefined;
  return [...mode.slice(-3)].map((d) => (d === '0' ? d : String(Number(d) | 1))).join('');
}

function applyCreate(plan: Extract<ManagedPlan, { kind: 'create' }>): { result: boolean; changes: Dict; comment: string } {
  const { spec } = plan;
  const path = spec.name;
  if (!isDir(dirName(path))) {
    if (!spec.makedirs) return { result: false, changes: {}, comment: 'Parent directory not present' };
    makeParents(path, { user: spec.user, group: spec.group, mode: spec.dirMode ?? dirModeFrom(spec.mode) });
  }
  const errors: string[] = [];
  const finalMode = spec.mode ?? defaultFileMode();
  let bits = modeBits(finalMode);
  if (bits === undefined) {
    errors.push(`Failed to change mode to ${finalMode}`);
    bits = modeBits(defaultFileMode())!;
  }
  const uid = spec.user === undefined ? currentUid() : userToUid(spec.user) ?? currentUid();
  const gid = spec.group === undefined ? currentGid() : groupToGid(spec.group) ?? currentGid();
  writeFileAtomic(path, plan.data ?? Buffer.alloc(0), { uid, gid, mode: bits });

  const changes: Dict = {};
  if (plan.origin === 'empty') changes.new = `file ${path} created`;
  else changes.diff = 'New file';
  // Salt creates the file as the minion's user (0600 from a source's temp file, umask
  // otherwise), then reports what check_perms changed from there.
  if (spec.user !== undefined && ownerChanged(spec.user, userName(currentUid()), currentUid())) changes.user = typeof spec.user === 'number' ? userName(spec.user) : spec.user;
  if (spec.group !== undefined && ownerChanged(spec.group, groupName(currentGid()), currentGid())) changes.group = typeof spec.group === 'number' ? groupName(spec.group) : spec.group;
  const initialMode = plan.origin === 'source' || spec.mode !== undefined ? '0600' : defaultFileMode();
  if (!errors.length && finalMode !== initialMode) changes.mode = finalMode;
  const result = !errors.length;
  const comment = !result ? errors.join('; ') : plan.origin === 'empty' ? 'Empty file' : `File ${path} updated`;
  return { result, changes, comment };
}

function ownerChanged(wanted: string | number, name: string | number, id: number): boolean {
  return wanted !== name && wanted !== id;
}

/** file.managed as a check-then-apply state function. */
export const managed = stateFunction<ManagedPlan>({
  check: checkManaged,
  apply: (_name, _args, _ctx, plan) => {
    try {
      return applyManaged(plan);
    } catch (e) {
      return { result: false, changes: {}, comment: `Unable to manage file: ${(e as Error).message}` };
    }
  },
});
