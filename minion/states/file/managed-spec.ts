/**
 * file.managed arguments, validated in the order Salt's file.managed validates them, and the
 * wanted content: `contents`/`contents_pillar`/`contents_grains` (joined into lines), or a
 * rendered `source`.
 */
import * as fs from 'node:fs';
import { traverseDictAndList } from '../../../common/data';
import type { Dict } from '../../../common/types';
import { normalizeMode } from '../../host/modes';
import { expandUser, isAbsolute } from '../../host/paths';
import { isFile } from '../../host/stat';
import type { StateContext } from '../../states/contract';
import { boolArg, isMapping, mergeRecursive, ownerArg, pyStr, strArg, strList, truthy } from './args';
import { missingOwners } from './ownership';
import { digest, parseSourceHash } from './source-hash';
import { chooseSource, readSource } from './sources';
import { pyRstrip, splitLines } from './text';

/** file.managed's arguments once validated. */
export interface ManagedSpec {
  name: string;
  user?: string | number;
  group?: string | number;
  mode?: string;
  makedirs: boolean;
  dirMode?: string;
  replace: boolean;
  showChanges: boolean;
  followSymlinks: boolean;
  template?: string;
  context: Dict;
  defaults?: Dict;
  /** The raw `source` argument (string or list), when given. */
  source?: unknown;
  sourceHash?: string;
  /** The wanted content from contents/contents_pillar/contents_grains, already rendered. */
  contents?: string;
  /** The target as stat() saw it while validating (following symlinks); undefined when absent. */
  target?: fs.Stats;
}

/** Parsing outcome: a spec, a failure comment, or Salt's early "nothing to do" comment. */
export type SpecOutcome =
  | { kind: 'spec'; spec: ManagedSpec }
  | { kind: 'invalid'; comment: string }
  | { kind: 'in-state'; comment: string };

const NOT_FOUND = Symbol('not found');

/** Validate file.managed's arguments as Salt does, before anything is read from the file server. */
export function parseManaged(rawName: string, args: Dict, ctx: StateContext): SpecOutcome {
  const name = expandUser(rawName);
  if (!name) return { kind: 'invalid', comment: 'Destination file name is required' };
  let mode: unknown = args.mode;
  if (typeof mode === 'string' && mode.toLowerCase() === 'keep') mode = undefined;
  const source = truthy(args.source) ? args.source : undefined;
  const present = ['contents', 'contents_pillar', 'contents_grains'].filter((k) => args[k] !== undefined && args[k] !== null);
  if (source !== undefined && present.length) {
    return { kind: 'invalid', comment: "'source' cannot be used in combination with 'contents', 'contents_pillar', or 'contents_grains'" };
  }
  if (typeof args.mode === 'string' && args.mode.toLowerCase() === 'keep' && present.length) {
    return { kind: 'invalid', comment: "Mode preservation cannot be used in combination with 'contents', 'contents_pillar', or 'contents_grains'" };
  }
  if (present.length > 1) {
    return { kind: 'invalid', comment: "Only one of 'contents', 'contents_pillar', and 'contents_grains' is permitted" };
  }
  let replace = boolArg(args, 'replace', true);
  if (source === undefined && !present.length) replace = false;
  const template = strArg(args, 'template') || undefined;
  const context = args.context === undefined || args.context === null ? {} : args.context;
  const defaults = args.defaults;

  const used = lookupContents(args, ctx);
  if (used.kind === 'invalid') return used;
  let contents: string | undefined;
  if (used.kind === 'value') {
    if (!boolArg(args, 'allow_empty', true) && !truthy(used.value)) {
      const id = args.contents_pillar ? `contents_pillar ${pyStr(args.contents_pillar)}` : args.contents_grains ? `contents_grains ${pyStr(args.contents_grains)}` : "'contents'";
      return { kind: 'invalid', comment: `${id} value would result in empty contents. Set allow_empty to True to allow the managed file to be empty.` };
    }
    contents = joinContents(used.value, boolArg(args, 'contents_newline', true));
    if (template) {
      const rendered = renderContents(contents, template, args, ctx, name);
      if (rendered.kind === 'invalid') return rendered;
      contents = rendered.text;
    }
  }

  const user = ownerArg(args.user) ?? ownerArg(args.owner);
  const group = ownerArg(args.group);
  if (!boolArg(args, 'create', true) && !isFile(name)) {
    return { kind: 'in-state', comment: `File ${name} is not present and is not set for creation` };
  }
  const missing = missingOwners(user, group);
  if (missing) return { kind: 'invalid', comment: missing };
  if (!isAbsolute(name)) return { kind: 'invalid', comment: `Specified file ${name} is not an absolute path` };
  const target = fs.statSync(name, { throwIfNoEntry: false });
  if (target?.isDirectory()) return { kind: 'invalid', comment: `Specified target ${name} is a directory` };
  if (!isMapping(context)) return { kind: 'invalid', comment: 'Context must be formed as a dict' };
  if (truthy(defaults) && !isMapping(defaults)) return { kind: 'invalid', comment: 'Defaults must be formed as a dict' };

  return {
    kind: 'spec',
    spec: {
      name,
      user,
      group,
      mode: normalizeMode(mode),
      makedirs: boolArg(args, 'makedirs', false),
      dirMode: normalizeMode(args.dir_mode),
      replace,
      showChanges: boolArg(args, 'show_changes', true),
      followSymlinks: boolArg(args, 'follow_symlinks', true),
      template,
      context,
      defaults: isMapping(defaults) ? defaults : undefined,
      source,
      sourceHash: strArg(args, 'source_hash') || undefined,
      contents,
      target,
    },
  };
}

type Looked = { kind: 'none' } | { kind: 'value'; value: unknown } | { kind: 'invalid'; comment: string };

/** contents / contents_pillar / contents_grains: the raw value to write. */
function lookupContents(args: Dict, ctx: StateContext): Looked {
  const delimiter = strArg(args, 'contents_delimiter') ?? ':';
  for (const [key, data, what] of [
    ['contents_pillar', ctx.pillar, 'Pillar'],
    ['contents_grains', ctx.grains, 'Grain'],
  ] as const) {
    const want = args[key];
    if (want === undefined || want === null) continue;
    const keys = Array.isArray(want) ? want.map(pyStr) : [pyStr(want)];
    const values: unknown[] = [];
    for (const k of keys) {
      const v = traverseDictAndList(data, k, NOT_FOUND, delimiter);
      if (v === NOT_FOUND) return { kind: 'invalid', comment: `${what} ${k} does not exist` };
      values.push(v);
    }
    return { kind: 'value', value: Array.isArray(want) ? values.map(pyStr).join('\n') : values[0] };
  }
  if (args.contents !== undefined && args.contents !== null) return { kind: 'value', value: args.contents };
  return { kind: 'none' };
}

/** Salt's contents handling: every line gets a newline; contents_newline=False strips the last ones. */
export function joinContents(value: unknown, newline: boolean): string {
  let out = '';
  for (const part of strList(value)) {
    for (const line of splitLines(part)) out += pyRstrip(pyRstrip(line, '\n'), '\r') + '\n';
  }
  return newline ? out : pyRstrip(pyRstrip(out, '\n'), '\r');
}

function templateContext(spec: { context: Dict; defaults?: Dict }): Dict {
  return spec.defaults ? mergeRecursive(spec.defaults, spec.context) : { ...spec.context };
}

function renderContents(text: string, engine: string, args: Dict, ctx: StateContext, name: string): { kind: 'text'; text: string } | { kind: 'invalid'; comment: string } {
  if (engine !== 'jinja') return { kind: 'invalid', comment: `Specified template format ${engine} is not supported` };
  const context = isMapping(args.context) ? args.context : {};
  const defaults = isMapping(args.defaults) ? args.defaults : undefined;
  try {
    return { kind: 'text', text: ctx.renderTemplate(text, engine, name, templateContext({ context, defaults })) };
  } catch (e) {
    return { kind: 'invalid', comment: (e as Error).message || 'Error while applying template on contents' };
  }
}

/** The wanted bytes from `source` (chosen, hash-checked, rendered), or Salt's failure comment. */
export function sourceContent(spec: ManagedSpec, ctx: StateContext): { ok: true; data: Buffer; url: string } | { ok: false; comment: string } {
  const chosen = chooseSource(spec.source, spec.sourceHash, ctx);
  if (!chosen.ok) return chosen;
  const { url, hash } = chosen.value;
  const read = readSource(url, ctx);
  if (!read.ok) return read;
  if (hash) {
    let sum;
    try {
      sum = parseSourceHash(hash, url, spec.name, ctx);
    } catch (e) {
      return { ok: false, comment: `Unable to manage file: ${(e as Error).message}` };
    }
    const actual = digest(read.value, sum.hashType);
    if (actual !== sum.hsum) {
      return {
        ok: false,
        comment:
          `Specified ${sum.hashType} checksum for ${url} (${sum.hsum}) does not match actual checksum (${actual}). ` +
          "If the 'source_hash' value refers to a remote file with multiple possible matches, then it may be necessary to set 'source_hash_name'.",
      };
    }
  }
  if (!spec.template) return { ok: true, data: read.value, url };
  if (spec.template !== 'jinja') return { ok: false, comment: `Specified template format ${spec.template} is not supported` };
  const context: Dict = {
    name: spec.name,
    source: url,
    user: spec.user ?? null,
    group: spec.group ?? null,
    mode: spec.mode ?? null,
    attrs: null,
    saltenv: ctx.saltenv,
    ...templateContext(spec),
  };
  try {
    return { ok: true, data: Buffer.from(ctx.renderTemplate(read.value.toString('utf8'), spec.template, url, context), 'utf8'), url };
  } catch (e) {
    return { ok: false, comment: (e as Error).message };
  }
}
