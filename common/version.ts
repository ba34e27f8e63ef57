/** Brine's version, from package.json. */
import * as fs from 'node:fs';
import * as path from 'node:path';

function readVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, rel), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'brine' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // try the next location (source tree or dist/)
    }
  }
  return '0.0.0';
}

/** The running Brine's version. */
export const BRINE_VERSION: string = readVersion();
