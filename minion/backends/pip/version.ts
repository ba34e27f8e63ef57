/**
 * PEP 440 versions: parsing, ordering and specifier matching (`==1.4.*`, `~=2.2`, `>=1,<2`),
 * as Python's packaging library defines them. Used to decide whether an installed Python
 * package satisfies a requirement and which available version an upgrade would pick.
 */

/** A parsed PEP 440 version. */
export interface Pep440Version {
  epoch: number;
  release: number[];
  /** Normalised pre-release: ['a' | 'b' | 'rc', n]. */
  pre?: [string, number];
  post?: number;
  dev?: number;
  /** Local segment parts (`+ubuntu.1` -> ['ubuntu', 1]). */
  local?: Array<string | number>;
}

const VERSION_RE = new RegExp(
  '^\\s*v?' +
    '(?:(\\d+)!)?' +
    '(\\d+(?:\\.\\d+)*)' +
    '(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\\d+)?)?' +
    '(?:-(\\d+)|[-_.]?(post|rev|r)[-_.]?(\\d+)?)?' +
    '(?:[-_.]?(dev)[-_.]?(\\d+)?)?' +
    '(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?' +
    '\\s*$',
  'i',
);

const PRE_LETTER: Record<string, string> = { alpha: 'a', a: 'a', beta: 'b', b: 'b', c: 'rc', pre: 'rc', preview: 'rc', rc: 'rc' };

/**
 * Parse a version string; undefined when it is not PEP 440.
 * Example: parseVersion('1.0rc1.post2') -> {epoch: 0, release: [1, 0], pre: ['rc', 1], post: 2}
 */
export function parseVersion(text: string): Pep440Version | undefined {
  const m = VERSION_RE.exec(text);
  if (!m) return undefined;
  const v: Pep440Version = { epoch: m[1] ? Number(m[1]) : 0, release: m[2].split('.').map(Number) };
  if (m[3]) v.pre = [PRE_LETTER[m[3].toLowerCase()], m[4] ? Number(m[4]) : 0];
  if (m[5] !== undefined) v.post = Number(m[5]);
  else if (m[6]) v.post = m[7] ? Number(m[7]) : 0;
  if (m[8]) v.dev = m[9] ? Number(m[9]) : 0;
  if (m[10]) v.local = m[10].toLowerCase().split(/[-_.]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return v;
}

/** Whether a version is a pre-release (or a development release). */
export function isPrerelease(v: Pep440Version): boolean {
  return v.pre !== undefined || v.dev !== undefined;
}

function cmpNum(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpRelease(a: number[], b: number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = cmpNum(a[i] ?? 0, b[i] ?? 0);
    if (c) return c;
  }
  return 0;
}

const PRE_ORDER: Record<string, number> = { a: 0, b: 1, rc: 2 };

/** The pre-release rank: dev-only releases sort before any pre-release, finals after all. */
function preRank(v: Pep440Version): [number, number, number] {
  if (v.pre) return [0, PRE_ORDER[v.pre[0]], v.pre[1]];
  if (v.post === undefined && v.dev !== undefined) return [-1, 0, 0];
  return [1, 0, 0];
}

function cmpLocal(a: Pep440Version['local'], b: Pep440Version['local']): number {
  if (!a && !b) return 0;
  if (!a) return -1;
  if (!b) return 1;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (i >= a.length) return -1;
    if (i >= b.length) return 1;
    const x = a[i];
    const y = b[i];
    if (typeof x === 'number' && typeof y === 'number') {
      const c = cmpNum(x, y);
      if (c) return c;
    } else if (typeof x === 'number') return 1;
    else if (typeof y === 'number') return -1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Order two parsed versions (-1, 0, 1). */
export function compareParsed(a: Pep440Version, b: Pep440Version): number {
  let c = cmpNum(a.epoch, b.epoch) || cmpRelease(a.release, b.release);
  if (c) return c;
  const pa = preRank(a);
  const pb = preRank(b);
  c = cmpNum(pa[0], pb[0]) || cmpNum(pa[1], pb[1]) || cmpNum(pa[2], pb[2]);
  if (c) return c;
  c = cmpNum(a.post ?? -1, b.post ?? -1);
  if (c) return c;
  c = cmpNum(a.dev ?? Infinity, b.dev ?? Infinity);
  if (c) return c;
  return cmpLocal(a.local, b.local);
}

/**
 * Order two version strings (-1, 0, 1). Strings that are not PEP 440 sort before every
 * valid version and among themselves as text (as pkg_resources' legacy versions did).
 * Example: compareVersions('1.10', '1.9') -> 1
 */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (pa && pb) return compareParsed(pa, pb);
  if (pa) return 1;
  if (pb) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One clause of a version specifier: `>=`, `1.0`. */
export interface VersionClause {
  op: string;
  version: string;
}

function publicOf(v: Pep440Version): Pep440Version {
  const { local: _local, ...pub } = v;
  return pub;
}

function baseOf(v: Pep440Version): Pep440Version {
  return { epoch: v.epoch, release: v.release };
}

function prefixMatch(candidate: Pep440Version, prefix: string): boolean {
  const want = parseVersion(prefix);
  if (!want) return false;
  if (want.epoch !== candidate.epoch) return false;
  return want.release.every((n, i) => (candidate.release[i] ?? 0) === n);
}

/**
 * Whether `version` satisfies one clause, with packaging's rules (zero padding, `.*`
 * prefixes, `~=` compatible releases, local versions, exclusive `<`/`>` around pre/post
 * releases). Pre-releases are not filtered out here.
 * Example: satisfiesClause('1.4.2', {op: '~=', version: '1.4'}) -> true
 */
export function satisfiesClause(version: string, clause: VersionClause): boolean {
  if (clause.op === '===') return version.trim().toLowerCase() === clause.version.trim().toLowerCase();
  const cand = parseVersion(version);
  if (!cand) return false;
  const wildcard = clause.version.endsWith('.*');
  if (clause.op === '==' || clause.op === '!=') {
    let equal: boolean;
    if (wildcard) equal = prefixMatch(publicOf(cand), clause.version.slice(0, -2));
    else {
      const spec = parseVersion(clause.version);
      if (!spec) return false;
      equal = compareParsed(spec.local ? cand : publicOf(cand), spec) === 0;
    }
    return clause.op === '==' ? equal : !equal;
  }
  const spec = parseVersion(clause.version);
  if (!spec) return false;
  const pub = publicOf(cand);
  switch (clause.op) {
    case '<=':
      return compareParsed(pub, spec) <= 0;
    case '>=':
      return compareParsed(pub, spec) >= 0;
    case '<':
      if (compareParsed(pub, spec) >= 0) return false;
      return isPrerelease(spec) || !isPrerelease(cand) || compareParsed(baseOf(cand), baseOf(spec)) !== 0;
    case '>':
      if (compareParsed(pub, spec) <= 0) return false;
      if (spec.post === undefined && cand.post !== undefined && compareParsed(baseOf(cand), baseOf(spec)) === 0) return false;
      return !(cand.local && compareParsed(baseOf(cand), baseOf(spec)) === 0);
    case '~=': {
      if (spec.release.length < 2) return false;
      const prefix = [...(spec.epoch ? [`${spec.epoch}!`] : []), spec.release.slice(0, -1).join('.')].join('');
      return compareParsed(pub, spec) >= 0 && prefixMatch(pub, prefix);
    }
    default:
      return false;
  }
}

/** Whether `version` satisfies every clause (an empty list is satisfied by anything). */
export function satisfiesAll(version: string, clauses: VersionClause[]): boolean {
  return clauses.every((c) => satisfiesClause(version, c));
}
