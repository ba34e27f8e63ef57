/**
 * From SLS files to what the engine runs, for one minion: top file, high data (with
 * extend/requisite_in/exclude applied) and ordered low chunks. Used by masterless calls
 * now and by the master for each minion later.
 */
import { BrineError } from '../errors';
import { slsToPath } from '../paths';
import { JinjaRenderer, type RenderGlobals } from '../render/jinja';
import { renderSls } from '../render/sls';
import { topMatches } from '../top';
import type { Dict, FileSource, HighData, LowChunk } from '../types';
import { HighStateBuilder, type SlsProvider } from './highstate';
import { compileLowChunks } from './lowstate';
import { prepareHigh } from './reconcile';
import { isDict } from './shape';

/** Everything needed to compile states for one minion. */
export interface CompileInputs {
  id: string;
  files: FileSource;
  saltenvs: string[];
  pillar: Dict;
  grains: Dict;
  opts: Dict;
  /** Restrict to one saltenv (Salt's `saltenv` option); null = all. */
  saltenv?: string | null;
  stateTop?: string;
  autoOrder?: boolean;
  nodegroups?: Record<string, string | string[]>;
  functions?: RenderGlobals['functions'];
}

/** Result of a compilation step: data, or Salt-worded errors. */
export type Compiled<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** The SLS provider over a FileSource, with one renderer per saltenv. */
export class FileSlsProvider implements SlsProvider {
  private readonly listing = new Map<string, string[]>();
  private readonly renderers = new Map<string, JinjaRenderer>();

  constructor(private readonly inp: CompileInputs) {}

  /** The Jinja renderer for a saltenv (shared by SLS and templated files of one run). */
  renderer(saltenv: string): JinjaRenderer {
    let r = this.renderers.get(saltenv);
    if (!r) {
      r = new JinjaRenderer(this.inp.files, {
        pillar: this.inp.pillar,
        grains: this.inp.grains,
        opts: this.inp.opts,
        saltenv,
        functions: this.inp.functions,
      });
      this.renderers.set(saltenv, r);
    }
    return r;
  }

  available(saltenv: string): string[] {
    let l = this.listing.get(saltenv);
    if (!l) {
      l = [];
      for (const f of this.inp.files.list('salt://', saltenv)) {
        if (!f.endsWith('.sls')) continue;
        const base = f.slice(0, -4);
        l.push(base.endsWith('/init') ? base.slice(0, -5).replace(/\//g, '.') : base.replace(/\//g, '.'));
      }
      this.listing.set(saltenv, l);
    }
    return l;
  }

  render(sls: string, saltenv: string): { data: unknown; url: string } | undefined {
    const rel = slsToPath(sls);
    const url = [`salt://${rel}.sls`, `salt://${rel}/init.sls`].find((u) => this.inp.files.exists(u, saltenv));
    if (!url) return undefined;
    const text = this.inp.files.read(url, saltenv).toString('utf8');
    return { data: renderSls(text, { sls, url, saltenv }, this.renderer(saltenv)), url };
  }
}

/** Render the top file(s) and return {saltenv: [sls...]} for this minion (Salt's show_top). */
export function compileTop(inp: CompileInputs, provider = new FileSlsProvider(inp)): Compiled<Record<string, string[]>> {
  const envs = inp.saltenv ? [inp.saltenv] : inp.saltenvs;
  const top = inp.stateTop ?? 'top.sls';
  const tops: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const env of envs) {
    const url = `salt://${top}`;
    if (!inp.files.exists(url, env)) continue;
    try {
      const data = renderSls(inp.files.read(url, env).toString('utf8'), { sls: 'top', url, saltenv: env }, provider.renderer(env));
      if (data === null || data === undefined) continue;
      if (!isDict(data)) {
        errors.push('Top data was not formed as a dict');
        continue;
      }
      tops[env] = data;
    } catch (e) {
      errors.push(`Unable to render top file: ${describe(e)}`);
    }
  }
  if (errors.length) return { ok: false, errors };
  try {
    const matches = topMatches(tops, { id: inp.id, grains: inp.grains, pillar: inp.pillar }, {
      nodegroups: inp.nodegroups,
      saltenv: inp.saltenv ?? undefined,
    });
    return { ok: true, value: matches };
  } catch (e) {
    return { ok: false, errors: [describe(e)] };
  }
}

/**
 * Render SLS into high data. `mods` names SLS (state.sls); undefined means the highstate
 * (top file). `prepare` also applies extend/requisite_in/exclude (state.show_sls does; show_highstate does not).
 */
export function compileHigh(
  inp: CompileInputs,
  mods: string[] | undefined,
  prepare: boolean,
  provider = new FileSlsProvider(inp),
): Compiled<HighData> {
  let matches: Record<string, string[]>;
  if (mods === undefined) {
    const top = compileTop(inp, provider);
    if (!top.ok) return top;
    matches = top.value;
    if (!Object.keys(matches).length || Object.values(matches).every((l) => !l.length)) {
      return { ok: false, errors: ['No Top file or master_tops data matches found. Please see master log for details.'] };
    }
  } else {
    matches = { [inp.saltenv ?? 'base']: mods };
  }
  const builder = new HighStateBuilder(provider, inp.saltenvs, inp.autoOrder ?? true);
  const { high, errors } = builder.build(matches);
  if (errors.length) return { ok: false, errors };
  if (prepare) {
    const errs = prepareHigh(high);
    if (errs.length) return { ok: false, errors: errs };
  }
  return { ok: true, value: high };
}

/** Compile SLS (or the highstate) down to ordered low chunks. */
export function compileLow(
  inp: CompileInputs,
  mods: string[] | undefined,
  provider = new FileSlsProvider(inp),
): Compiled<LowChunk[]> {
  const high = compileHigh(inp, mods, true, provider);
  if (!high.ok) return high;
  return { ok: true, value: compileLowChunks(high.value) };
}

function describe(e: unknown): string {
  return e instanceof BrineError ? e.describe() : String((e as Error)?.message ?? e);
}
