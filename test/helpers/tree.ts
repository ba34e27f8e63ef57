/** Test helper: a throw-away masterless minion over temp file_roots/pillar_roots. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMinionConfig } from '../../common/config';
import { MinionRuntime } from '../../minion/runtime';

/** A temp tree: write files into states/ and pillars/, then get a runtime for it. */
export class TempTree {
  readonly dir: string;
  readonly states: string;
  readonly pillars: string;
  readonly work: string;

  constructor(prefix = 'brine-test-') {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    this.states = path.join(this.dir, 'states');
    this.pillars = path.join(this.dir, 'pillars');
    this.work = path.join(this.dir, 'work');
    for (const d of [this.states, this.pillars, this.work]) fs.mkdirSync(d, { recursive: true });
  }

  /** Write a state file (path relative to states/). */
  state(rel: string, text: string): this {
    const p = path.join(this.states, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return this;
  }

  /** Write a pillar file (path relative to pillars/). */
  pillar(rel: string, text: string): this {
    const p = path.join(this.pillars, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return this;
  }

  /** Write the minion config and return its directory (for `brine call -c`). */
  configDir(extra = '', grains: Record<string, string> = {}): string {
    const cfg = path.join(this.dir, 'etc');
    fs.mkdirSync(cfg, { recursive: true });
    fs.writeFileSync(
      path.join(cfg, 'minion'),
      `id: testminion\ngrains:\n  host: testminion\n${Object.entries(grains).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}\n`).join('')}file_roots:\n  base: [${this.states}]\npillar_roots:\n  base: [${this.pillars}]\ncachedir: ${path.join(this.dir, 'cache')}\n${extra}`,
    );
    return cfg;
  }

  /** A runtime over this tree. */
  runtime(extra = ''): MinionRuntime {
    return new MinionRuntime(loadMinionConfig(this.configDir(extra)));
  }

  /** Remove everything. */
  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
