/**
 * Top files, as Salt 3006's HighState reads them: merge the rendered top files (strategy
 * `merge`, the default), check the result (Salt's verify_tops), then list the SLS files whose
 * targets match one minion (Salt's top_matches).
 *
 * `tops` comes in one of two shapes:
 * - top data itself, `{saltenv: {target: [...]}}` (one rendered top.sls, or tops the caller
 *   already merged): every section counts, in order;
 * - the rendered top files keyed by the saltenv each was read from,
 *   `{fileSaltenv: {saltenv: {target: [...]}}}` (a list of top dicts for a top file followed by
 *   the top files it includes). Salt's `merge` strategy then applies: the `base` top file is
 *   authoritative and all its sections count; another saltenv's top file only contributes its
 *   own section, and only when no earlier top file defined that section. A target's value is
 *   replaced by a later top file of the same saltenv but keeps its place. `include` keys are
 *   the caller's to resolve. Pass an entry (null when there is no top file) for every saltenv
 *   the fileserver has: `- <saltenv>: sls` items only count for saltenvs listed there.
 * The second shape is recognised by its values: a list, or a mapping whose values are
 * mappings (sections) rather than target lists.
 *
 * Matching: each target uses the matcher named by a `- match:` item (default `compound`, so a
 * bare word is an id glob and `G@os:Debian and web*` works without `match`); `- subfilter:`
 * nests further targets; `- <saltenv>: sls` adds an SLS to another saltenv. Unlike Salt's
 * list (which keeps repeats and renders them once), each saltenv's list has no duplicates.
 */
import { ValidationError } from './errors';
import { matchMinion, type MatchOptions, type MinionFacts, type TargetType } from './match/index';

/** Top-file options: nodegroups for `match: nodegroup` / `N@`, and the saltenv being applied. */
export type TopOptions = MatchOptions & { saltenv?: string };

/** Merged top data: saltenv -> target -> the target's list of SLS names and match options. */
export type MergedTop = Record<string, Record<string, unknown>>;

const MATCHERS: Record<string, TargetType> = {
  glob: 'glob',
  pcre: 'pcre',
  list: 'list',
  grain: 'grain',
  grain_pcre: 'grain_pcre',
  pillar: 'pillar',
  pillar_pcre: 'pillar_pcre',
  pillar_exact: 'pillar_exact',
  ipcidr: 'ipcidr',
  compound: 'compound',
  nodegroup: 'nodegroup',
};

interface Entry {
  data: unknown;
  file: string;
}

/**
 * Given the rendered top data of each saltenv ({saltenv: topDict}, either shape described
 * above), the minion, and options, return {saltenv: [sls, ...]} as Salt's HighState.top_matches
 * does (default merging strategy 'merge', `match:` keys (default `compound`, in which a bare
 * word is an id glob; glob, grain, pcre, list, pillar, ipcidr, nodegroup...), per-env order,
 * duplicates removed keeping first). A saltenv whose targets matched but listed no SLS maps to
 * an empty list, as in Salt. Throws ValidationError naming the top file and target for bad top
 * data or a malformed target.
 */
export function topMatches(
  tops: Record<string, unknown>,
  minion: MinionFacts,
  opts: MatchOptions & { saltenv?: string } = {},
): Record<string, string[]> {
  const merged = mergeEntries(tops, opts.saltenv);
  const knownEnvs = new Set(Object.keys(tops));
  const matches = new Map<string, string[]>();
  const add = (env: string, sls: string): void => {
    const list = matches.get(env) ?? [];
    matches.set(env, list);
    if (!list.includes(sls)) list.push(sls);
  };

  const filter = (env: string, target: string, data: unknown, file: string): void => {
    const items = typeof data === 'string' ? [data] : (data as unknown[]);
    if (!targetMatches(env, target, items, file, minion, opts)) return;
    if (!matches.has(env)) matches.set(env, []);
    for (const item of items) {
      if (typeof item === 'string') {
        add(env, item);
        continue;
      }
      for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
        if (key === 'match') continue;
        if (key === 'subfilter') {
          for (const [subTarget, subData] of Object.entries(value as Record<string, unknown>)) {
            checkSlsList(env, subTarget, subData, file, true);
            filter(env, subTarget, subData, file);
          }
        } else if (knownEnvs.has(key)) {
          add(key, value as string);
        }
      }
    }
  };

  for (const [env, targets] of merged) {
    if (opts.saltenv && env !== opts.saltenv) continue;
    for (const [target, entry] of targets) filter(env, target, entry.data, entry.file);
  }
  return Object.fromEntries(matches);
}

/**
 * The merged top data (what `state.show_top` shows before matching), checked as Salt's
 * verify_tops checks it. With `saltenv`, only that saltenv's top file is read, as in Salt.
 */
export function mergeTops(tops: Record<string, unknown>, opts: { saltenv?: string } = {}): MergedTop {
  const out: MergedTop = {};
  for (const [env, targets] of mergeEntries(tops, opts.saltenv)) {
    out[env] = Object.fromEntries([...targets].map(([target, entry]) => [target, entry.data]));
  }
  return out;
}

function topFileName(env: string): string {
  return `top file (saltenv '${env}')`;
}

/** Merge with strategy `merge`, then verify; keeps which top file each target came from. */
function mergeEntries(tops: Record<string, unknown>, saltenv?: string): Map<string, Map<string, Entry>> {
  const merged = new Map<string, Map<string, Entry>>();
  const addSection = (section: string, targets: unknown, file: string): void => {
    if (!isDict(targets)) {
      throw new ValidationError(
        `saltenv ${JSON.stringify(section)} has no targets: it must map targets to lists of SLS files, got ${kind(targets)}`,
        { file },
      );
    }
    for (const [target, data] of Object.entries(targets)) {
      const section_ = merged.get(section) ?? new Map<string, Entry>();
      merged.set(section, section_);
      section_.set(target, { data, file });
    }
  };
  if (!isPerFile(tops)) {
    for (const [section, targets] of Object.entries(tops)) {
      if (section !== 'include') addSection(section, targets, 'top file');
    }
  } else {
    const selected: Array<[string, unknown]> = saltenv ? [[saltenv, tops[saltenv]]] : Object.entries(tops);
    const ordered = [...selected.filter(([env]) => env === 'base'), ...selected.filter(([env]) => env !== 'base')];
    for (const [fileEnv, value] of ordered) {
      const file = topFileName(fileEnv);
      for (const top of topFiles(value, file)) {
        for (const [section, targets] of Object.entries(top)) {
          if (section === 'include') continue;
          if (fileEnv !== 'base' && (section !== fileEnv || merged.has(section))) continue;
          addSection(section, targets, file);
        }
      }
    }
  }
  for (const [section, targets] of merged) {
    if (section === '') {
      throw new ValidationError('empty saltenv statement in top file', { file: targets.values().next().value?.file });
    }
    for (const [target, entry] of targets) checkSlsList(section, target, entry.data, entry.file, false);
  }
  return merged;
}

/**
 * Whether `tops` holds whole top files per saltenv rather than top data: some value is a list
 * of top files, or a mapping of sections (mappings, never target lists).
 */
function isPerFile(tops: Record<string, unknown>): boolean {
  const fileLike = (v: unknown): boolean => {
    if (!isDict(v)) return false;
    const inner = Object.entries(v)
      .filter(([key]) => key !== 'include')
      .map(([, value]) => value);
    return inner.some(isDict) && inner.every((x) => x === null || x === undefined || isDict(x));
  };
  return Object.entries(tops).some(([key, v]) => key !== 'include' && (Array.isArray(v) || fileLike(v)));
}

/** The top dicts of one saltenv: its top file, then any included top files. */
function topFiles(value: unknown, file: string): Array<Record<string, unknown>> {
  const list = Array.isArray(value) ? value : [value];
  return list
    .filter((top) => top !== null && top !== undefined)
    .map((top) => {
      if (!isDict(top)) throw new ValidationError(`top data did not render to a dictionary, got ${kind(top)}`, { file });
      return top;
    });
}

/** Salt's verify_tops for one target: a list of SLS names and single-key option dicts. */
function checkSlsList(env: string, target: string, data: unknown, file: string, nested: boolean): void {
  const where = `target ${JSON.stringify(target)} in saltenv ${JSON.stringify(env)}`;
  if (!Array.isArray(data) && !(nested && typeof data === 'string')) {
    throw new ValidationError(`${where} must be a list of SLS files, got ${kind(data)}`, { file });
  }
  const items = Array.isArray(data) ? data : [data];
  for (const item of items) {
    if (typeof item === 'string') {
      if (item === '') throw new ValidationError(`${where} contains an empty SLS name`, { file });
    } else if (isDict(item)) {
      for (const [key, value] of Object.entries(item)) checkOption(where, key, value, file);
    } else {
      throw new ValidationError(`${where} lists ${kind(item)} where an SLS name was expected`, { file });
    }
  }
}

function checkOption(where: string, key: string, value: unknown, file: string): void {
  if (isFalsy(value)) {
    throw new ValidationError(`improperly formatted top file option ${JSON.stringify(key)} for ${where}: it has no value`, { file });
  }
  if (key === 'match') {
    if (typeof value !== 'string' || !(value in MATCHERS)) {
      throw new ValidationError(
        `unknown matcher ${JSON.stringify(value)} for ${where} (expected one of ${Object.keys(MATCHERS).join(', ')})`,
        { file },
      );
    }
  } else if (key === 'subfilter') {
    if (!isDict(value)) throw new ValidationError(`subfilter of ${where} must map targets to lists of SLS files`, { file });
  } else if (typeof value !== 'string') {
    throw new ValidationError(`${where}: "- ${key}: ..." must name one SLS file of saltenv ${JSON.stringify(key)}, got ${kind(value)}`, { file });
  }
}

function targetMatches(
  env: string,
  target: string,
  items: unknown[],
  file: string,
  minion: MinionFacts,
  opts: TopOptions,
): boolean {
  let matcher = 'compound';
  for (const item of items) {
    if (isDict(item) && typeof item.match === 'string') matcher = item.match;
  }
  try {
    return matchMinion(target, MATCHERS[matcher], minion, { nodegroups: opts.nodegroups });
  } catch (err) {
    if (err instanceof ValidationError) {
      throw new ValidationError(`target ${JSON.stringify(target)} in saltenv ${JSON.stringify(env)}: ${err.message}`, { file });
    }
    throw err;
  }
}

/** Python's falsiness, which Salt's verify_tops uses for option values. */
function isFalsy(value: unknown): boolean {
  if (value === null || value === undefined || value === '' || value === false || value === 0) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isDict(value) && Object.keys(value).length === 0;
}

function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kind(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (isDict(value)) return 'a mapping';
  return `a ${typeof value} (${JSON.stringify(value)})`;
}
