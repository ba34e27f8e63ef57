/**
 * The global state arguments `onlyif`, `unless` and `creates`, checked before a state
 * function runs (Salt's `_run_check`). Commands run through the shell like `cmd.retcode`.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { LowChunk } from '../../common/types';

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

/** The default RetcodeRunner: `/bin/sh -c`, honouring the chunk's cwd, env and shell. */
export const shellRetcode: RetcodeRunner = (command, low) =>
  new Promise((resolve) => {
    const shell = typeof low.shell === 'string' ? low.shell : '/bin/sh';
    const env = { ...process.env, ...envOf(low.env) };
    const child = spawn(shell, ['-c', command], {
      cwd: typeof low.cwd === 'string' ? low.cwd : os.homedir(),
      env,
      stdio: 'ignore',
    });
    child.on('error', () => resolve(127));
    child.on('close', (code) => resolve(code ?? 1));
  });

function envOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (d: unknown) => {
    if (d && typeof d === 'object' && !Array.isArray(d)) for (const [k, val] of Object.entries(d)) out[k] = String(val);
  };
  if (Array.isArray(v)) v.forEach(add);
  else add(v);
  return out;
}
