/**
 * Changing apt's one-line source lists and the keys stored for them, and refreshing apt's
 * package lists afterwards (`apt-get update`).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { shQuote } from '../../states/cmd/args';
import { runCommand } from '../../states/cmd/runner';
import { formatSourceLine, parseSourceLine, sameUri, type SourceEntry } from './entry';
import { listEntries, readLines } from './facts';
import { dearmor } from './openpgp';
import { AptSourcesError, type AptPaths } from './paths';

function writeLines(file: string, lines: readonly string[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
  fs.writeFileSync(file, lines.length ? `${lines.join('\n')}\n` : '', { mode: 0o644 });
}

/**
 * Replace line `index` of a source file.
 *
 * Arguments: `file`, `index` (0-based line number), `line` (the new text, no line break).
 * Example: `replaceLine('/etc/apt/sources.list.d/x.list', 0, 'deb http://x/debian bookworm main')`.
 */
export function replaceLine(file: string, index: number, line: string): void {
  const lines = readLines(file);
  lines[index] = line;
  writeLines(file, lines);
}

/**
 * Append a line to a source file, creating the file (mode 0644) and its directory.
 *
 * Arguments: `file`, `line` (no line break).
 * Example: `appendLine('/etc/apt/sources.list.d/x.list', 'deb http://x/debian bookworm main')`.
 */
export function appendLine(file: string, line: string): void {
  writeLines(file, [...readLines(file), line]);
}

/**
 * Remove line `index` of a source file.
 *
 * Arguments: `file`, `index` (0-based line number).
 * Example: `removeLine('/etc/apt/sources.list', 3)`.
 */
export function removeLine(file: string, index: number): void {
  const lines = readLines(file);
  lines.splice(index, 1);
  writeLines(file, lines);
}

/**
 * Empty a source file (pkgrepo's `clean_file`); a missing file is left missing.
 *
 * Arguments: `file`.
 * Example: `emptyFile('/etc/apt/sources.list.d/x.list')`.
 */
export function emptyFile(file: string): void {
  if (fs.existsSync(file)) fs.writeFileSync(file, '');
}

/**
 * Remove a repo's components from every entry of it (Salt's del_repo): entries with the same
 * type, architectures, URI and dist that share a component (or both have none) lose those
 * components, and disappear when none is left; a sources.list.d file left without entries
 * is deleted. Returns Salt's message; throws AptSourcesError when no entry matched.
 *
 * Arguments: `paths` (AptPaths), `repo` (the parsed definition), `name` (as written by the user, for messages).
 * Example: `removeRepo(HOST_APT_PATHS, parseSourceLine('deb http://x/debian bookworm main'), '...')`.
 */
export function removeRepo(paths: AptPaths, repo: SourceEntry, name: string): string {
  const edits = new Map<string, { lines: string[]; drop: Set<number> }>();
  const archs = new Set(repo.architectures);
  for (const e of listEntries(paths)) {
    const sameArch = e.architectures.length === archs.size && e.architectures.every((a) => archs.has(a));
    if (e.type !== repo.type || !sameArch || !sameUri(e.uri, repo.uri) || e.dist !== repo.dist) continue;
    const shared = e.comps.filter((c) => repo.comps.includes(c));
    if (!shared.length && (e.comps.length || repo.comps.length)) continue;
    const edit = edits.get(e.file) ?? { lines: readLines(e.file), drop: new Set<number>() };
    const left = e.comps.filter((c) => !repo.comps.includes(c));
    if (left.length) edit.lines[e.index] = formatSourceLine({ ...e, comps: left });
    else edit.drop.add(e.index);
    edits.set(e.file, edit);
  }
  if (!edits.size) throw new AptSourcesError(`Repo ${name} doesn't exist in the sources.list(s)`);
  let message = '';
  for (const [file, edit] of edits) {
    const lines = edit.lines.filter((_, i) => !edit.drop.has(i));
    const entriesLeft = lines.filter((l) => !parseSourceLine(l).invalid).length;
    if (entriesLeft === 0 && path.resolve(path.dirname(file)) === path.resolve(paths.sourceParts)) {
      fs.rmSync(file, { force: true });
      message += `File ${file} containing repo '${name}' has been removed.`;
    } else {
      writeLines(file, lines);
      message += `Repo '${name}' has been removed from ${file}.\n`;
    }
  }
  return message;
}

/**
 * Store a repository key, creating its directory (0755); the file is world-readable, as
 * apt's unprivileged fetcher must read it.
 *
 * Arguments: `file` (e.g. /etc/apt/keyrings/x.asc), `bytes` (armored text for .asc, binary otherwise).
 * Example: `writeKeyFile('/etc/apt/keyrings/x.gpg', binaryKey)`.
 */
export function writeKeyFile(file: string, bytes: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
  fs.writeFileSync(file, bytes, { mode: 0o644 });
  fs.chmodSync(file, 0o644);
}

/** Default ports of the keyserver schemes gpg knows. */
const KEYSERVER_PORTS: Record<string, number> = { hkp: 11371, hkps: 443, http: 80, https: 443, ldap: 389 };

/**
 * The host and port a keyserver spec names (`keyserver.ubuntu.com`, `hkps://keys.example:443`).
 *
 * Example: `keyserverAddress('hkp://127.0.0.1:1')` -> `{host: '127.0.0.1', port: 1}`.
 */
export function keyserverAddress(spec: string): { host: string; port: number } {
  const m = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\[[^\]]+\]|[^/:]+)(?::(\d+))?/i.exec(spec.trim());
  if (!m) throw new AptSourcesError(`keyserver '${spec}' is not a host name or URL`);
  const scheme = (m[1] ?? 'hkp').toLowerCase();
  const host = m[2].replace(/^\[|\]$/g, '');
  return { host, port: m[3] ? Number(m[3]) : KEYSERVER_PORTS[scheme] ?? 11371 };
}

/** Connect to host:port and hang up; rejects with the reason when that fails or takes longer than timeoutMs. */
function probe(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs / 1000} seconds`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      socket.destroy();
      reject(e);
    });
  });
}

/**
 * Fetch keys from a keyserver with gpg (in a throw-away home directory) and return them as
 * binary key data. The keyserver is first probed with a TCP connect so an unreachable one
 * fails within `timeoutMs`; gpg itself gets `gpgTimeoutSeconds`. Throws AptSourcesError
 * saying which key and why.
 *
 * Arguments: `keyserver` (host or hkp/hkps URL), `keyids`, `timeoutMs` (connect probe), `gpgTimeoutSeconds`.
 * Example: `await receiveKeys('keyserver.ubuntu.com', ['0E08A149DE57BFBE'], 5000)`.
 */
export async function receiveKeys(keyserver: string, keyids: readonly string[], timeoutMs = 5000, gpgTimeoutSeconds = 60): Promise<Buffer> {
  const { host, port } = keyserverAddress(keyserver);
  try {
    await probe(host, port, timeoutMs);
  } catch (e) {
    throw new AptSourcesError(`Could not add key: ${keyids.join(', ')}: keyserver ${keyserver} (${host} port ${port}) cannot be reached: ${(e as Error).message}`);
  }
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-gpg-'));
  try {
    const gpg = `gpg --homedir ${shQuote(home)} --batch --no-tty`;
    const ids = keyids.map(shQuote).join(' ');
    const recv = await runCommand({ cmd: `${gpg} --keyserver ${shQuote(keyserver)} --recv-keys ${ids}`, shell: '/bin/sh', timeout: gpgTimeoutSeconds });
    if (recv.retcode !== 0) {
      throw new AptSourcesError(`Could not add key: ${keyids.join(', ')}: ${(recv.stderr || recv.stdout).trim()}`);
    }
    const exported = await runCommand({ cmd: `${gpg} --armor --export ${ids}`, shell: '/bin/sh', timeout: gpgTimeoutSeconds });
    if (exported.retcode !== 0 || !exported.stdout.includes('BEGIN PGP')) {
      throw new AptSourcesError(`Could not add key: ${keyids.join(', ')}: gpg exported nothing`);
    }
    return dearmor(Buffer.from(exported.stdout, 'latin1'));
  } finally {
    await runCommand({ cmd: `gpgconf --homedir ${shQuote(home)} --kill all`, shell: '/bin/sh', timeout: 10 }).catch(() => undefined);
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/** The environment Salt's aptpkg exports so apt never asks questions. */
const APT_ENV = { APT_LISTBUGS_FRONTEND: 'none', APT_LISTCHANGES_FRONTEND: 'none', DEBIAN_FRONTEND: 'noninteractive', UCF_FORCE_CONFFOLD: '1' };

/** Seconds to wait between tries while another apt holds the lists lock. */
const LOCK_WAITS = [1, 2, 4, 8, 16];

/**
 * Refresh apt's package lists (Salt's refresh_db: `apt-get -q update`), waiting while another
 * apt holds the lock (about half a minute, then a clear error). Throws AptSourcesError with
 * apt-get's stderr when it fails.
 *
 * Arguments: `paths` (its aptOptions are passed to apt-get).
 * Example: `await refreshDb(HOST_APT_PATHS)`.
 */
export async function refreshDb(paths: AptPaths): Promise<void> {
  const cmd = ['apt-get', '-q', ...paths.aptOptions, 'update'].map(shQuote).join(' ');
  for (let attempt = 0; ; attempt++) {
    const r = await runCommand({ cmd, shell: '/bin/sh', env: APT_ENV });
    if (r.retcode === 0) return;
    if (!r.stderr.includes('Could not get lock')) throw new AptSourcesError(r.stderr || r.stdout);
    if (attempt >= LOCK_WAITS.length) {
      const waited = LOCK_WAITS.reduce((a, b) => a + b, 0);
      throw new AptSourcesError(`apt-get update gave up after waiting ${waited} seconds for another apt to release its lock: ${r.stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_WAITS[attempt] * 1000));
  }
}
