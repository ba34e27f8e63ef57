/**
 * The global state arguments `onlyif`, `unless` and `creates`, checked before a state
 * function runs (Salt's `_run_check`). Commands run through the shell like `cmd.retcode`.
 */
import * as fs from 'node:fs';
import type { LowChunk } from '../../common/types';
import { runCommand } from '../states/cmd/runner';

/** The verdict of the checks: `skip` means the state is not run and reported as a success. */
export interface ConditionVerdict {
  skip: boolean;
  comment: string;
  skipWatch: boolean;
}

/** Runs a shell command and resolves to its exit code (the engine's `cmd.retcode`). */
export type RetcodeRunner = (command: string, low: LowChunk) => Promise<number>;

/** Whether the chunk carries any of onlyif / unless / creates. */
export function hasConditions(low: LowChunk): boolean {
  return 'onlyif' in low || 'unless' in low || 'creates' in low;
}

/** Evaluate onlyif, unless and creates with Salt's semantics and comments. */
export async function evaluateConditions(low: LowChunk, retcode: RetcodeRunner): Promise<ConditionVerdict> {
  const comments: string[] = [];
  let skip = false;
  let skipWatch = false;
  if ('onlyif' in low) {
    const r = await checkOnlyif(asList(low.onlyif), low, retcode);
    skip = r.skip;
    comments.push(r.comment);
    skipWatch = r.skip;
  }
  if ('unless' in low) {
    const r = await checkUnless(asList(low.unless), low, retcode);
    skip = r.skip || skip;
    comments.push(r.comment);
    skipWatch = skipWatch || r.skip;
  }
  if ('creates' in low) {
    const creates = low.creates;
    let comment: string;
    let ok = false;
    if (typeof creates === 'string' && fs.existsSync(creates)) {
      comment = `${creates} exists`;
      ok = true;
    } else if (Array.isArray(creates) && creates.every((p) => fs.existsSync(String(p)))) {
      comment = 'All files in creates exist';
      ok = true;
    } else comment = 'Creates files not found';
    skip = ok || skip;
    skipWatch = skipWatch || ok;
    comments.push(comment);
  }
  return { skip, comment: comments.join('\n'), skipWatch };
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}

async function checkOnlyif(entries: unknown[], low: LowChunk, retcode: RetcodeRunner) {
  let comment = '';
  for (const entry of entries) {
    if (typeof entry === 'boolean') {
      if (!entry) return { skip: true, comment: 'onlyif condition is false' };
      comment = 'onlyif condition is true';
      continue;
    }
    if (typeof entry !== 'string') return { skip: false, comment: 'onlyif execution failed, bad type passed' };
    const code = await retcode(entry, low);
    if (code !== 0) return { skip: true, comment: 'onlyif condition is false' };
    comment = 'onlyif condition is true';
  }
  return { skip: false, comment };
}

async function checkUnless(entries: unknown[], low: LowChunk, retcode: RetcodeRunner) {
  let last = { skip: false, comment: '' };
  for (const entry of entries) {
    if (typeof entry === 'boolean') {
      if (!entry) return { skip: false, comment: 'unless condition is false' };
      last = { skip: true, comment: 'unless condition is true' };
      continue;
    }
    if (typeof entry !== 'string') {
      last = { skip: false, comment: 'unless condition is false, bad type passed' };
      continue;
    }
    const code = await retcode(entry, low);
    if (code !== 0) return { skip: false, comment: 'unless condition is false' };
    last = { skip: true, comment: 'unless condition is true' };
  }
  return last;
}

/**
 * The default RetcodeRunner, as Salt's `cmd.retcode` for onlyif/unless: the chunk's shell
 * (default /bin/sh), cwd, runas, env, umask, timeout and success_retcodes apply.
 */
export const shellRetcode: RetcodeRunner = async (command, low) => {
  try {
    const r = await runCommand({
      cmd: command,
      shell: typeof low.shell === 'string' ? low.shell : '/bin/sh',
      cwd: typeof low.cwd === 'string' ? low.cwd : undefined,
      runas: typeof low.runas === 'string' ? low.runas : undefined,
      env: low.env,
      umask: low.umask,
      timeout: low.timeout,
    });
    const ok = Array.isArray(low.success_retcodes) ? low.success_retcodes.map(Number) : [];
    return ok.includes(r.retcode) ? 0 : r.retcode;
  } catch {
    return 127;
  }
};
