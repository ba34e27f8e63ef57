/**
 * Debian's mirror as the host's own apt sources name it. The lab never writes a mirror host
 * name anywhere in the repository: it reads it here, at run time, from /etc/apt.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One enabled `deb` source of the host. */
export interface AptSource {
  /** e.g. http://mirror.example/debian */
  uri: string;
  scheme: 'http' | 'https';
  host: string;
  port: number;
  suites: string[];
  components: string[];
  /** The keyring of a `Signed-By` / `[signed-by=...]` option, when given as a path. */
  signedBy?: string;
}

function source(uri: string, suites: string[], components: string[], signedBy: string | undefined): AptSource | undefined {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  const scheme = u.protocol === 'http:' ? 'http' : 'https';
  const port = u.port ? Number(u.port) : scheme === 'http' ? 80 : 443;
  return { uri: uri.replace(/\/+$/, ''), scheme, host: u.hostname, port, suites, components, ...(signedBy && signedBy.startsWith('/') ? { signedBy } : {}) };
}

/**
 * The `deb` sources of a deb822 `.sources` file (stanzas separated by blank lines; `Types`,
 * `URIs`, `Suites`, `Components`, `Signed-By`, `Enabled`).
 * Example: "Types: deb\nURIs: http://m/debian\nSuites: bookworm\nComponents: main" → one source.
 */
export function parseDeb822Sources(text: string): AptSource[] {
  const out: AptSource[] = [];
  const stanzas = text.split(/\n\s*\n/);
  for (const stanza of stanzas) {
    const fields = new Map<string, string>();
    let last: string | undefined;
    for (const raw of stanza.split('\n')) {
      if (raw.startsWith('#')) continue;
      if (/^\s/.test(raw) && last) {
        fields.set(last, `${fields.get(last) ?? ''}\n${raw.trim()}`);
        continue;
      }
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(raw);
      if (!m || m[1] === undefined || m[2] === undefined) continue;
      last = m[1].toLowerCase();
      fields.set(last, m[2].trim());
    }
    const words = (k: string): string[] => (fields.get(k) ?? '').split(/\s+/).filter((w) => w !== '');
    if (!words('types').includes('deb')) continue;
    if (/^(no|false|0)$/i.test(fields.get('enabled') ?? 'yes')) continue;
    for (const uri of words('uris')) {
      const s = source(uri, words('suites'), words('components'), fields.get('signed-by'));
      if (s) out.push(s);
    }
  }
  return out;
}

/**
 * The `deb` sources of a one-line `.list` file (`deb [opts] URI SUITE COMPONENT...`).
 * Example: "deb [signed-by=/k.gpg] http://m/debian bookworm main" → one source.
 */
export function parseOneLineSources(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const m = /^deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m || m[2] === undefined || m[3] === undefined) continue;
    const signedBy = /(?:^|\s)signed-by=(\S+)/.exec(m[1] ?? '')?.[1];
    const s = source(m[2], [m[3]], (m[4] ?? '').split(/\s+/).filter((w) => w !== ''), signedBy);
    if (s) out.push(s);
  }
  return out;
}

/**
 * The host's enabled http(s) `deb` sources for `release` (suites `release` and `release-*`),
 * read from /etc/apt/sources.list and /etc/apt/sources.list.d/*.{list,sources}.
 */
export function hostAptSources(release: string, etcApt = '/etc/apt'): AptSource[] {
  const files: string[] = [path.join(etcApt, 'sources.list')];
  const dir = path.join(etcApt, 'sources.list.d');
  if (fs.existsSync(dir)) for (const n of fs.readdirSync(dir).sort()) files.push(path.join(dir, n));
  const all: AptSource[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    if (f.endsWith('.sources')) all.push(...parseDeb822Sources(text));
    else if (f.endsWith('.list')) all.push(...parseOneLineSources(text));
  }
  return all
    .map((s) => ({ ...s, suites: s.suites.filter((x) => x === release || x.startsWith(`${release}-`)) }))
    .filter((s) => s.suites.length > 0);
}

/** The source that carries `release` itself (what debootstrap installs from). */
export function mainSource(sources: readonly AptSource[], release: string): AptSource | undefined {
  return sources.find((s) => s.suites.includes(release));
}

/** The distinct (host, port) pairs the sources use: one relay each. */
export function mirrorEndpoints(sources: readonly AptSource[]): { host: string; port: number }[] {
  const seen = new Map<string, { host: string; port: number }>();
  for (const s of sources) seen.set(`${s.host}:${s.port}`, { host: s.host, port: s.port });
  return [...seen.values()];
}

/** A sources.list (one-line format) giving the controllers the same sources as the host. */
export function sourcesList(sources: readonly AptSource[]): string {
  const lines = ['# Written by the brine lab from the host\'s own apt sources.'];
  for (const s of sources) {
    const opts = s.signedBy ? `[signed-by=${s.signedBy}] ` : '';
    for (const suite of s.suites) lines.push(`deb ${opts}${s.uri} ${suite} ${s.components.join(' ')}`.trimEnd());
  }
  return `${lines.join('\n')}\n`;
}
