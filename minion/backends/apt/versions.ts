/**
 * Debian package versions: dpkg's ordering (`dpkg --compare-versions`), and Salt's version
 * specifications (`1.2-3`, `>=1.2`, `>=1.2, <2.0`, `5.02*`) as pkg states read them.
 */
import { fnmatchCase } from '../../../common/match/fnmatch';

/** A version split as dpkg splits it. */
export interface DebVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

/**
 * Split `[epoch:]upstream[-revision]` as dpkg does; undefined when dpkg would refuse it
 * (empty, a non-numeric epoch, an upstream part not starting with a digit, spaces inside).
 * Example: `parseDebVersion('1:2.3-4')` → `{ epoch: 1, upstream: '2.3', revision: '4' }`.
 */
export function parseDebVersion(text: string): DebVersion | undefined {
  const v = text.trim();
  if (v === '' || /\s/.test(v)) return undefined;
  let epoch = 0;
  let rest = v;
  const colon = v.indexOf(':');
  if (colon >= 0) {
    const e = v.slice(0, colon);
    if (!/^\d+$/.test(e)) return undefined;
    epoch = Number(e);
    rest = v.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  const upstream = dash >= 0 ? rest.slice(0, dash) : rest;
  const revision = dash >= 0 ? rest.slice(dash + 1) : '';
  if (upstream === '' || !/^\d/.test(upstream)) return undefined;
  return { epoch, upstream, revision };
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** dpkg's weight of one character in the non-digit parts: `~` first, then end, letters, others. */
function order(c: string | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  if (c === '~') return -1;
  return c.charCodeAt(0) + 256;
}

/** dpkg's verrevcmp: alternate non-digit and digit runs. */
function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ac = order(a[i]);
      const bc = order(b[j]);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

/**
 * Compare two Debian versions like `dpkg --compare-versions`: -1, 0 or 1, or undefined when
 * either is not a valid version (Salt's version_cmp then gives None and comparisons are false).
 * `ignoreEpoch` drops a leading `N:` from both first (Salt's `ignore_epoch`).
 * Example: `compareDebVersions('1.0~rc1', '1.0')` → -1.
 */
export function compareDebVersions(a: string, b: string, ignoreEpoch = false): -1 | 0 | 1 | undefined {
  const strip = (v: string): string => (ignoreEpoch ? v.slice(v.indexOf(':') + 1) : v);
  const va = parseDebVersion(strip(a));
  const vb = parseDebVersion(strip(b));
  if (!va || !vb) return undefined;
  const r = va.epoch - vb.epoch || verrevcmp(va.upstream, vb.upstream) || verrevcmp(va.revision, vb.revision);
  return r < 0 ? -1 : r > 0 ? 1 : 0;
}

const OPERATORS: Record<string, number[]> = { '<': [-1], '<=': [-1, 0], '==': [0], '>=': [0, 1], '>': [1] };

/**
 * Salt's `salt.utils.versions.compare` over Debian versions: `ver1 <oper> ver2`, where oper is
 * one of `<`, `<=`, `==`, `>=`, `>`, `!=`. Unknown operators and invalid versions give false.
 * Example: `versionCompare('2.0-1', '>=', '1.9')` → true.
 */
export function versionCompare(ver1: string, oper: string, ver2: string, ignoreEpoch = false): boolean {
  if (oper !== '!=' && !(oper in OPERATORS)) return false;
  const r = compareDebVersions(ver1, ver2, ignoreEpoch);
  if (r === undefined) return false;
  return oper === '!=' ? r !== 0 : OPERATORS[oper].includes(r);
}

/**
 * Salt's `split_comparison`: the operator in front of a version (`>=1.2` → ['>=', '1.2']),
 * '' when there is none or the text is not of that shape.
 */
export function splitComparison(spec: string): [string, string] {
  const m = /^(<=>|!=|>=|<=|>>|<<|<>|>|<|=)?\s?([^<>=]+)$/.exec(spec);
  if (!m) return ['', spec];
  return [m[1] ?? '', m[2]];
}

/** One condition of a version specification: operator (`=` and none become `==`) and version. */
export function comparisonSpec(spec: string): [string, string] {
  const [oper, version] = splitComparison(spec.trim());
  return [oper === '=' || oper === '' ? '==' : oper, version];
}

/** Salt's rule for an unset ignore_epoch: ignore it for plain equality against a version without one. */
function effectiveIgnoreEpoch(oper: string, desired: string, ignoreEpoch: boolean | undefined): boolean {
  if (ignoreEpoch !== undefined) return ignoreEpoch;
  return !oper.includes('<') && !oper.includes('>') && !desired.includes(':');
}

/** Whether `installed` satisfies one `oper version` condition (`==` also matches as a glob). */
export function fulfillsVersionSpec(installed: string, oper: string, desired: string, ignoreEpoch?: boolean): boolean {
  if (oper === '==' && fnmatchCase(installed, desired)) return true;
  return versionCompare(installed, oper, desired, effectiveIgnoreEpoch(oper, desired, ignoreEpoch));
}

/**
 * Salt's `_fulfills_version_string`: whether any installed version meets every comma-separated
 * condition of `conditions`. `allowUpdates` turns a single `==` condition into `>=`.
 * Example: `fulfillsVersionString(['1.2-3'], '>=1.0, <2')` → true.
 */
export function fulfillsVersionString(
  installed: readonly string[],
  conditions: string,
  ignoreEpoch?: boolean,
  allowUpdates = false,
): boolean {
  const trimmed = conditions.trim();
  const parsed = trimmed === '' ? [] : trimmed.split(',').map(comparisonSpec);
  return installed.some((ver) =>
    parsed.every(([oper, version]) => {
      const op = allowUpdates && parsed.length === 1 && oper === '==' ? '>=' : oper;
      return fulfillsVersionSpec(ver, op, version, ignoreEpoch);
    }),
  );
}
