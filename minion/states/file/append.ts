/**
 * file.append: text appears in the file; chunks already present (whitespace-insensitively by
 * default) are not appended again. Text comes from `text` (a string or list of strings) or
 * from `source`/`sources` rendered as Jinja templates.
 *
 * Example:
 *
 *     /etc/motd:
 *       file.append:
 *         - text:
 *           - Trust no one unless you have eaten much salt with him.
 *
 * Arguments: name, text, makedirs, source, sources, template (default jinja), defaults,
 * context, ignore_whitespace. Changes: `diff` (Salt's newline-joined difflib output), or
 * `new` in test mode when the file does not exist yet.
 */
import * as fs from 'node:fs';
import type { Dict } from '../../../common/types';
import { dirName, expandUser, isAbsolute } from '../../host/paths';
import { exists, isDir } from '../../host/stat';
import { stateFunction, type Applied, type CheckOutcome, type StateContext } from '../contract';
import { boolArg, isMapping, pyStr, strArg, strList } from './args';
import { unifiedDiff } from './difflib';
import { makeParents } from './makedirs';
import { readSource } from './sources';
import { containsChunk } from './text-search';
import { decodeLenient, isText, splitLines } from './text';

/** What `check` found and `apply` needs. */
export interface AppendPlan {
  path: string;
  lines: string[];
  makedirs: boolean;
}

type Texts = { ok: true; chunks: string[] } | { ok: false; comment: string };

/** The text chunks to append: `text`, or each source rendered (Salt's _get_template_texts). */
function textChunks(args: Dict, ctx: StateContext): Texts {
  const hasSource = args.source !== undefined && args.source !== null;
  const sources = Array.isArray(args.sources) ? args.sources.map(pyStr) : [];
  if (hasSource && sources.length) return { ok: false, comment: 'source and sources are mutually exclusive' };
  if (args.source_hash && Array.isArray(args.source_hashes) && args.source_hashes.length) {
    return { ok: false, comment: 'source_hash and source_hashes are mutually exclusive' };
  }
  const list = hasSource ? [pyStr(args.source)] : sources;
  if (!list.length) {
    if (args.text === undefined || args.text === null) return { ok: false, comment: 'No text found to append. Nothing appended' };
    return { ok: true, chunks: strList(args.text) };
  }
  const template = strArg(args, 'template') ?? 'jinja';
  const context: Dict = { ...(isMapping(args.defaults) ? args.defaults : {}), ...(isMapping(args.context) ? args.context : {}) };
  const chunks: string[] = [];
  for (const url of list) {
    const read = readSource(url, ctx);
    if (!read.ok) return { ok: false, comment: `Failed to load template file ${url}` };
    let text = read.value.toString('utf8');
    if (template) {
      try {
        text = ctx.renderTemplate(text, template, url, context);
      } catch {
        return { ok: false, comment: `Failed to load template file ${url}` };
      }
    }
    if (!text) return { ok: false, comment: `Failed to read rendered template file ${url} (${url})` };
    chunks.push(text);
  }
  return { ok: true, chunks };
}

/** The diff file.append reports: difflib's pieces joined with newlines (Salt's quirk). */
function appendDiff(content: Buffer, before: string[], after: string[]): string {
  if (!isText(content)) return 'Replace binary file';
  return unifiedDiff(before, after).join('\n');
}

function checkAppend(rawName: string, args: Dict, ctx: StateContext): CheckOutcome<AppendPlan> {
  if (!rawName) return { kind: 'invalid', comment: 'Must provide name to file.append' };
  const name = expandUser(rawName);
  const makedirs = args.makedirs === true;
  const texts = textChunks(args, ctx);
  if (!isAbsolute(name)) return { kind: 'invalid', comment: `Specified file ${name} is not an absolute path` };
  if (!texts.ok) return { kind: 'invalid', comment: texts.comment };
  const ignoreWhitespace = boolArg(args, 'ignore_whitespace', true);
  const present = exists(name);
  const content = present ? fs.readFileSync(name) : Buffer.alloc(0);
  const text = decodeLenient(content);
  const lines: string[] = [];
  for (const chunk of texts.chunks) {
    if (present && containsChunk(text, chunk, ignoreWhitespace)) continue;
    lines.push(...splitLines(chunk));
  }
  const plan: AppendPlan = { path: name, lines, makedirs };
  if (!present) {
    if (!ctx.test && !makedirs && !isDir(dirName(name))) return { kind: 'invalid', comment: `Directory not present to touch file ${name}` };
    return { kind: 'drift', changes: { new: name }, testComment: `File ${name} is set to be created`, plan };
  }
  if (!lines.length) return { kind: 'in-state', comment: `File ${name} is in correct state` };
  const before = splitLines(text);
  const changes = { diff: appendDiff(content, before, [...before, ...lines]) };
  return { kind: 'drift', changes, testComment: `File ${name} is set to be updated`, plan };
}

function applyAppend(plan: AppendPlan): Applied {
  const { path, lines } = plan;
  if (!exists(path)) {
    if (plan.makedirs && !isDir(dirName(path))) makeParents(path, {});
    fs.writeFileSync(path, '', { flag: 'a' });
  }
  if (!lines.length) return { result: true, changes: {}, comment: `File ${path} is in correct state` };
  const content = fs.readFileSync(path);
  const before = splitLines(decodeLenient(content));
  let add = content.length && content[content.length - 1] !== 0x0a ? '\n' : '';
  for (const line of lines) add += `${line}\n`;
  fs.appendFileSync(path, add);
  const after = fs.readFileSync(path);
  const nlines = splitLines(decodeLenient(after));
  const changes: Dict = {};
  if (nlines.length !== before.length || nlines.some((l, i) => l !== before[i])) changes.diff = appendDiff(after, before, nlines);
  return { result: true, changes, comment: `Appended ${lines.length} lines` };
}

/** file.append as a check-then-apply state function. */
export const append = stateFunction<AppendPlan>({
  check: checkAppend,
  apply: (_name, _args, _ctx, plan) => applyAppend(plan),
});
