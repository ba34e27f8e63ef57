/**
 * Test helper: stand-ins for system tools (apt-get, systemctl, ...) placed first on PATH, that
 * record the exact argv they were called with. `inert` tools record and exit with a fixed
 * status (nothing on the host changes); `passThrough` tools record and then run the real tool
 * (for read-only ones such as dpkg-query, whose answers the code needs).
 *
 *   const shims = new ArgvShims({ inert: ['apt-get'], passThrough: ['dpkg-query'] });
 *   spawnSync(..., { env: { ...process.env, PATH: shims.path } });
 *   shims.calls() // [['apt-get', '-q', 'install', 'vim'], ...]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findTool } from '../../minion/backends/sysvinit/layout';

/** Which tools to stand in for, and how. */
export interface ShimSpec {
  /** Record and exit with `inertStatus` (default 0) without output. */
  inert?: readonly string[];
  inertStatus?: number;
  /** Record, then exec the real tool found on the current PATH. */
  passThrough?: readonly string[];
}

const FIELD = '\u001f';
const RECORD = '\u001e';

/** See the module comment. */
export class ArgvShims {
  readonly dir: string;
  private readonly logFile: string;

  constructor(spec: ShimSpec) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-shims-'));
    this.logFile = path.join(this.dir, 'argv.log');
    const record = `{ printf '%s${FIELD}' "$(basename "$0")" "$@"; printf '${RECORD}'; } >> '${this.logFile}'`;
    for (const tool of spec.inert ?? []) this.write(tool, `${record}\nexit ${spec.inertStatus ?? 0}\n`);
    for (const tool of spec.passThrough ?? []) {
      const real = findTool(tool);
      if (!real) throw new Error(`no ${tool} on this host to pass through to`);
      this.write(tool, `${record}\nexec '${real}' "$@"\n`);
    }
  }

  /** PATH with the shims first. */
  get path(): string {
    return `${this.dir}:${process.env.PATH ?? ''}`;
  }

  /** Every recorded call: the tool's name, then its arguments, in call order. */
  calls(): string[][] {
    if (!fs.existsSync(this.logFile)) return [];
    return fs
      .readFileSync(this.logFile, 'utf8')
      .split(RECORD)
      .filter((r) => r.length > 0)
      .map((r) => r.split(FIELD).slice(0, -1));
  }

  /** Forget the recorded calls. */
  reset(): void {
    fs.rmSync(this.logFile, { force: true });
  }

  /** Remove the shims. */
  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private write(tool: string, body: string): void {
    const file = path.join(this.dir, tool);
    fs.writeFileSync(file, `#!/bin/sh\n${body}`, { mode: 0o755 });
  }
}
