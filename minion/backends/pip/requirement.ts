/**
 * Requirement specifiers as pip reads them on its command line (`django >= 1.6, <= 1.7`,
 * `requests[security]==2.31.0`, `name @ https://...`, `git+https://...#egg=name`, a path to a
 * wheel or a project directory): the project name and version clauses Salt's pip state uses
 * to decide whether a package is already installed.
 */
import type { VersionClause } from './version';

/** What a requirement asks for. */
export interface Requirement {
  /** The requirement as written. */
  text: string;
  /**
   * The project name with runs of characters other than letters, digits and dots turned
   * into '-' (Salt's "prefix"); '' for an unnamed URL or path, whose project is only known
   * after installing it.
   */
  prefix: string;
  /** Version clauses; empty when any version will do. */
  clauses: VersionClause[];
}

/** A requirement pip would refuse, with Salt's comment for it. */
export class RequirementError extends Error {}

const NAME_RE = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/;
const CLAUSE_RE = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*([A-Za-z0-9_.*+!-]+)\s*$/;
const URL_RE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const VCS_RE = /^(git|hg|svn|bzr)\+/;
const ARCHIVE_RE = /\.(whl|zip|tar\.gz|tgz|tar\.bz2|tbz|tar\.xz|txz|tar)$/i;

/**
 * PEP 503 normalised name, for comparing names as pip does.
 * Example: canonicalName('Typing_Extensions') -> 'typing-extensions'
 */
export function canonicalName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function saltPrefix(name: string): string {
  return name.replace(/[^A-Za-z0-9.]+/g, '-');
}

function looksLikeLocation(text: string): boolean {
  return URL_RE.test(text) || VCS_RE.test(text) || text.includes('/') || text.startsWith('.') || ARCHIVE_RE.test(text);
}

/** A URL or path: a wheel names its project and version, `#egg=` names its project. */
function parseLocation(text: string): Requirement {
  const noFragment = text.split('#')[0];
  const file = noFragment.split('/').pop() ?? '';
  const wheel = /^([^-]+)-([^-]+)-.*\.whl$/i.exec(file);
  if (wheel) return { text, prefix: saltPrefix(wheel[1]), clauses: [{ op: '==', version: wheel[2] }] };
  const egg = /[#&]egg=([^&]+)/.exec(text);
  if (egg && NAME_RE.exec(egg[1])?.[1] === egg[1]) return { text, prefix: saltPrefix(egg[1]), clauses: [] };
  return { text, prefix: '', clauses: [] };
}

function invalid(text: string): RequirementError {
  if (text.includes('=') && !text.includes('==')) {
    return new RequirementError(`Invalid version specification in package ${text}. '=' is not supported, use '==' instead.`);
  }
  return new RequirementError(`pip raised an exception while parsing '${text}': Invalid requirement: '${text}'`);
}

/**
 * Parse one requirement; throws RequirementError with Salt's comment when pip would not
 * accept it. Environment markers (`; python_version < "3.12"`) are accepted and ignored.
 * Example: parseRequirement('django >= 1.6, <= 1.7')
 *   -> {prefix: 'django', clauses: [{op: '>=', version: '1.6'}, {op: '<=', version: '1.7'}]}
 */
export function parseRequirement(text: string): Requirement {
  const trimmed = text.trim();
  if (!trimmed) throw invalid(text);
  if (looksLikeLocation(trimmed) && !/^[A-Za-z0-9._-]+(\[[^\]]*\])?\s*@/.test(trimmed)) {
    return parseLocation(trimmed.split(/\s+;/)[0]);
  }
  const body = trimmed.split(';')[0].trim();
  const name = NAME_RE.exec(body);
  if (!name) throw invalid(text);
  let rest = body.slice(name[1].length).trim();
  const extras = /^\[\s*([A-Za-z0-9._-]+(?:\s*,\s*[A-Za-z0-9._-]+)*)?\s*\]/.exec(rest);
  if (extras) rest = rest.slice(extras[0].length).trim();
  if (rest.startsWith('@')) {
    if (!rest.slice(1).trim()) throw invalid(text);
    return { text, prefix: saltPrefix(name[1]), clauses: [] };
  }
  if (rest.startsWith('(') && rest.endsWith(')')) rest = rest.slice(1, -1).trim();
  const clauses: VersionClause[] = [];
  if (rest) {
    for (const part of rest.split(',')) {
      const m = CLAUSE_RE.exec(part);
      if (!m) throw invalid(text);
      clauses.push({ op: m[1], version: m[2] });
    }
  }
  return { text, prefix: saltPrefix(name[1]), clauses };
}
