/**
 * Validation of the names users and the network hand us: minion ids, salt:// URLs,
 * SLS names. Nothing that fails here is ever joined to a filesystem path.
 */
import { ValidationError } from './errors';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Parse `salt://a/b?saltenv=x` into a normalised relative path and an optional saltenv; refuses escapes. */
export function parseSaltUrl(url: string): { path: string; saltenv?: string } {
  if (!url.startsWith('salt://')) throw new ValidationError(`not a salt:// URL: ${JSON.stringify(url)}`);
  let rest = url.slice('salt://'.length);
  let saltenv: string | undefined;
  const q = rest.indexOf('?');
  if (q >= 0) {
    const params = new URLSearchParams(rest.slice(q + 1));
    saltenv = params.get('saltenv') ?? params.get('env') ?? undefined;
    rest = rest.slice(0, q);
  }
  return { path: safeRelativePath(rest, url), saltenv };
}

/** Normalise a `/`-separated relative path; refuses `..`, absolute paths, NUL and control characters. */
export function safeRelativePath(path: string, shownAs: string = path): string {
  if (CONTROL.test(path)) throw new ValidationError(`refused path with control characters: ${JSON.stringify(shownAs)}`);
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') throw new ValidationError(`refused path that leaves its root: ${JSON.stringify(shownAs)}`);
    parts.push(part);
  }
  return parts.join('/');
}

/** Check an SLS name (`a.b.c`, or relative `.c` already resolved) and return its path without extension. */
export function slsToPath(sls: string): string {
  if (!/^[A-Za-z0-9_\-.]+$/.test(sls) || sls.split('.').some((p) => p === '')) {
    throw new ValidationError(`invalid SLS name: ${JSON.stringify(sls)}`);
  }
  return sls.split('.').join('/');
}

/**
 * Check a minion id: no empty or dot-only tokens, no `/`, `\`, NATS wildcards (`*`, `>`),
 * whitespace or control characters, at most 255 characters.
 */
export function validateMinionId(id: string): string {
  const bad =
    id.length === 0 ||
    id.length > 255 ||
    CONTROL.test(id) ||
    /[\s/\\*>]/.test(id) ||
    id.split('.').some((t) => t === '' || /^\.+$/.test(t));
  if (bad) throw new ValidationError(`invalid minion id: ${JSON.stringify(id)}`);
  return id;
}
