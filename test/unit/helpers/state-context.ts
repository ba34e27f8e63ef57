/**
 * A StateContext for state-module tests: `salt://` served from temp file_roots, pillar and
 * grains as given, and a tiny template stand-in (`{{ x }}`, `{{ a.b }}` from the context).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalFileSource } from '../../../common/fileserver';
import type { Dict } from '../../../common/types';
import type { StateContext } from '../../../minion/states/contract';

/** What a test context may override. */
export interface TestContextOptions {
  test?: boolean;
  /** file_roots of saltenv `base`. */
  roots?: string[];
  pillar?: Dict;
  grains?: Dict;
  opts?: Dict;
  saltenv?: string;
  /** Replace the stand-in renderer (e.g. with the real Jinja renderer). */
  render?: (text: string, engine: string, source: string, context: Dict) => string;
}

/** Render `{{ name }}` / `{{ a.b }}` placeholders from a context; unknown names are an error. */
export function miniRender(text: string, context: Dict): string {
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_m, expr: string) => {
    let cur: unknown = context;
    for (const part of expr.split('.')) {
      if (typeof cur !== 'object' || cur === null || !(part in cur)) throw new Error(`Jinja variable '${expr}' is undefined`);
      cur = (cur as Dict)[part];
    }
    return String(cur);
  });
}

/** Build a StateContext for tests. */
export function makeStateContext(o: TestContextOptions = {}): StateContext {
  const pillar = o.pillar ?? {};
  const grains = o.grains ?? {};
  const opts = o.opts ?? {};
  return {
    test: o.test ?? false,
    saltenv: o.saltenv ?? 'base',
    sls: 'tests',
    id: 'test-state',
    pillar,
    grains,
    opts,
    files: new LocalFileSource({ base: o.roots ?? [] }),
    renderTemplate(text, engine, source, context) {
      const merged: Dict = { pillar, grains, opts, ...(context ?? {}) };
      return o.render ? o.render(text, engine, source, merged) : miniRender(text, merged);
    },
  };
}

/** A fresh temp directory, removed by the returned cleanup function. */
export function tempDir(prefix = 'brine-states-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Write files under a directory: relative path -> content. */
export function writeTree(dir: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
}
