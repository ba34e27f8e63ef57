/**
 * cmd.script: fetch a script (`salt://`, `http(s)://` or a local path), optionally render it
 * as a Jinja template, write it to a temporary file (mode 0500, owned by `runas`), run it
 * with `args`, and remove it.
 *
 * Example:
 *
 *     rabbitmq setup:
 *       cmd.script:
 *         - name: salt://rabbitmq-server/files/setup.sh
 *         - template: jinja
 *         - args: "--verbose"
 *
 * Arguments: name (the source, or a command whose arguments follow the first word), source,
 * args, template, context, defaults, plus everything cmd.run takes (cwd, env, runas, shell,
 * timeout, stdin, umask, success_retcodes, hide_output, ...).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Dict } from '../../../common/types';
import { lookupUser } from '../../host/users';
import { stateFunction, type Applied, type CheckOutcome, type StateContext } from '../contract';
import { envShapeOk, pyStr, shQuote } from './args';
import { missingCwd, resultChanges, runSpecOf } from './run';
import { runCommand } from './runner';
import { loadScript, sourceExtension } from './script-source';

/** The script and arguments `check` settled on. */
export interface ScriptPlan {
  name: string;
  source: string;
  args?: string;
}

function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkScript(rawName: string, args: Dict): CheckOutcome<ScriptPlan> {
  const name = pyStr(rawName);
  if (!envShapeOk(args.env)) return { kind: 'invalid', comment: "Invalidly-formatted 'env' parameter. See documentation." };
  if (args.context && !isDict(args.context)) {
    return { kind: 'invalid', comment: "Invalidly-formatted 'context' parameter. Must be formed as a dict." };
  }
  if (args.defaults && !isDict(args.defaults)) {
    return { kind: 'invalid', comment: "Invalidly-formatted 'defaults' parameter. Must be formed as a dict." };
  }
  const words = name.split(/\s+/).filter(Boolean);
  const source = args.source === undefined || args.source === null ? (words[0] ?? name) : pyStr(args.source);
  let scriptArgs = args.args === undefined || args.args === null || args.args === '' ? undefined : pyStr(args.args);
  if (scriptArgs === undefined && name.split(/\s+/).filter(Boolean).length > 1) scriptArgs = name.slice(name.indexOf(' ') + 1);
  return { kind: 'drift', changes: {}, testComment: `Command '${name}' would have been executed`, plan: { name, source, args: scriptArgs } };
}

async function applyScript(args: Dict, ctx: StateContext, plan: ScriptPlan): Promise<Applied> {
  const bad = missingCwd(args);
  if (bad) return { result: false, changes: {}, comment: bad };
  const context: Dict = { ...(isDict(args.defaults) ? args.defaults : {}), ...(isDict(args.context) ? args.context : {}) };
  const template = args.template ? pyStr(args.template) : undefined;
  const body = await loadScript(plan.source, template, context, ctx);
  if (body === undefined) {
    return {
      result: false,
      changes: { pid: 0, retcode: 1, stdout: '', stderr: '', cache_error: true },
      comment: `Unable to cache script ${plan.source} from saltenv '${ctx.saltenv}'`,
    };
  }
  const spec = runSpecOf('', args, ctx.grains);
  const dir = spec.cwd || os.tmpdir();
  const file = path.join(dir, `__salt.tmp.${crypto.randomBytes(6).toString('hex')}${sourceExtension(plan.source)}`);
  try {
    fs.writeFileSync(file, body, { mode: 0o600, flag: 'wx' });
    fs.chmodSync(file, 0o500);
    const owner = spec.runas ? lookupUser(spec.runas) : undefined;
    if (owner) fs.chownSync(file, owner.uid, -1);
    spec.cmd = plan.args ? `${shQuote(file)} ${plan.args}` : shQuote(file);
    const r = await runCommand(spec);
    return { result: r.retcode === 0, changes: resultChanges(r, args.hide_output === true), comment: `Command '${plan.name}' run` };
  } catch (e) {
    return { result: false, changes: {}, comment: (e as Error).message };
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** cmd.script as a check-then-apply state function. */
export const script = stateFunction<ScriptPlan>({
  check: (name, args) => checkScript(name, args),
  apply: (_name, args, ctx, plan) => applyScript(args, ctx, plan),
});
