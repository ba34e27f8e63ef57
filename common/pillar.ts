/**
 * Pillar compilation for one minion: render `top.sls` of the pillar roots, match it
 * against the minion, render the matched SLS (with includes) and merge them recursively.
 * A pillar that fails to render yields `_errors`, and no state runs with it (as Salt).
 */
import { BrineError } from './errors';
import type { LocalFileSource } from './fileserver';
import { JinjaRenderer } from './render/jinja';
import { renderSls } from './render/sls';
import { slsToPath } from './paths';
import { isDict } from './sls/shape';
import { topMatches } from './top';
import type { Dict } from './types';

/** What compiling pillar needs. */
export interface PillarInputs {
  id: string;
  grains: Dict;
  opts: Dict;
  files: LocalFileSource;
  saltenvs: string[];
  pillarenv?: string | null;
  nodegroups?: Record<string, string | string[]>;
  /** `pillar=...` given on the command line, merged last. */
  override?: Dict;
}

/** Compile a minion's pillar; render errors land in `_errors` (a list of strings). */
export function compilePillar(inp: PillarInputs): Dict {
  const errors: string[] = [];
  const pillar: Dict = {};
  const envs = inp.pillarenv ? [inp.pillarenv] : inp.saltenvs;
  const tops: Record<string, unknown> = {};
  for (const env of envs) {
    const url = 'salt://top.sls';
    if (!inp.files.exists(url, env)) continue;
    try {
      const r = new JinjaRenderer(inp.files, { pillar: {}, grains: inp.grains, opts: inp.opts, saltenv: env });
      const data = renderSls(inp.files.read(url, env).toString('utf8'), { sls: 'top', url, saltenv: env }, r);
      if (isDict(data)) tops[env] = data;
    } catch (e) {
      errors.push(`Rendering Pillar top file failed: ${describe(e)}`);
    }
  }
  let matches: Record<string, string[]> = {};
  try {
    matches = topMatches(tops, { id: inp.id, grains: inp.grains, pillar: {} }, { nodegroups: inp.nodegroups });
  } catch (e) {
    errors.push(`Pillar top file is invalid: ${describe(e)}`);
  }
  const done = new Set<string>();
  for (const [env, list] of Object.entries(matches)) {
    if (inp.pillarenv && env !== inp.pillarenv) continue;
    for (const sls of list) renderPillarSls(inp, env, sls, pillar, errors, done);
  }
  if (inp.override) mergeRecursive(pillar, inp.override);
  if (errors.length) pillar._errors = errors;
  return pillar;
}

function renderPillarSls(inp: PillarInputs, env: string, sls: string, pillar: Dict, errors: string[], done: Set<string>) {
  const key = `${env}:${sls}`;
  if (done.has(key)) return;
  done.add(key);
  let rel: string;
  try {
    rel = slsToPath(sls);
  } catch (e) {
    errors.push(describe(e));
    return;
  }
  const url = [`salt://${rel}.sls`, `salt://${rel}/init.sls`].find((u) => inp.files.exists(u, env));
  if (!url) {
    errors.push(`Specified SLS '${sls}' in environment '${env}' is not available on the salt master`);
    return;
  }
  let data: unknown;
  try {
    const r = new JinjaRenderer(inp.files, { pillar, grains: inp.grains, opts: inp.opts, saltenv: env });
    data = renderSls(inp.files.read(url, env).toString('utf8'), { sls, url, saltenv: env }, r);
  } catch (e) {
    errors.push(`Rendering SLS '${sls}' failed, render error:\n${describe(e)}`);
    return;
  }
  if (data === null || data === undefined || data === '') return;
  if (!isDict(data)) {
    errors.push(`SLS '${sls}' does not render to a dictionary`);
    return;
  }
  const includes = data.include;
  delete data.include;
  if (Array.isArray(includes)) {
    for (const inc of includes) {
      if (typeof inc === 'string') {
        renderPillarSls(inp, env, inc.startsWith('.') ? resolveRelative(sls, inc) : inc, pillar, errors, done);
      } else if (isDict(inc)) {
        for (const [name, opts] of Object.entries(inc)) {
          const sub: Dict = {};
          renderPillarSls(inp, env, name, sub, errors, done);
          const nestKey = isDict(opts) && typeof opts.key === 'string' ? opts.key : undefined;
          mergeRecursive(pillar, nestKey ? { [nestKey]: sub } : sub);
        }
      }
    }
  }
  mergeRecursive(pillar, data);
}

function resolveRelative(sls: string, inc: string): string {
  const m = /^(\.+)(.*)$/.exec(inc)!;
  const parts = sls.split('.');
  return [...parts.slice(0, Math.max(0, parts.length - m[1].length)), m[2]].join('.');
}

/** Salt's `recurse` merge: dicts merged key by key, everything else replaced by the newer value. */
export function mergeRecursive(into: Dict, from: Dict): Dict {
  for (const [k, v] of Object.entries(from)) {
    const cur = into[k];
    if (isDict(cur) && isDict(v)) mergeRecursive(cur, v);
    else into[k] = isDict(v) ? mergeRecursive({}, v) : v;
  }
  return into;
}

function describe(e: unknown): string {
  return e instanceof BrineError ? e.describe() : String((e as Error)?.message ?? e);
}
