/**
 * A minion's runtime for masterless calls: its config, grains, pillar, salt:// files and
 * state modules, plus the pipeline from SLS to results (compile, preflight, engine).
 */
import { LocalFileSource } from '../common/fileserver';
import type { MinionConfig } from '../common/config';
import { silentLogger, type Logger } from '../common/log';
import { compilePillar } from '../common/pillar';
import { compileHigh, compileLow, compileTop, FileSlsProvider, type CompileInputs, type Compiled } from '../common/sls/compile';
import { compileLowChunks } from '../common/sls/lowstate';
import { prepareHigh } from '../common/sls/reconcile';
import type { Dict, HighData, LowChunk, StateRunResult } from '../common/types';
import { collectGrains } from './grains/core';
import { runChunks, type EngineOptions } from './state/engine';
import { unknownFunctionErrors } from './state/preflight';
import type { StateContext, StateModule } from './states/contract';
import { builtinStateModules } from './states/index';

/** Options of one state run (Salt's state.apply keyword arguments). */
export interface RunOptions {
  test?: boolean;
  /** `pillar=` override, merged over the compiled pillar. */
  pillar?: Dict;
  saltenv?: string;
  /** IDs or `sls:` to exclude (Salt's `exclude`). */
  exclude?: unknown[];
  onResult?: EngineOptions['onResult'];
  log?: EngineOptions['log'];
}

/** A state run's outcome: results, or compile errors (Salt returns a list of strings). */
export type RunOutcome = { ok: true; results: StateRunResult } | { ok: false; errors: string[] };

/** The masterless minion: everything needed to render and apply states on this host. */
export class MinionRuntime {
  readonly files: LocalFileSource;
  readonly pillarFiles: LocalFileSource;
  readonly modules: ReadonlyMap<string, StateModule>;
  private grainsCache?: Dict;
  private pillarCache?: Dict;

  constructor(
    readonly config: MinionConfig,
    readonly log: Logger = silentLogger,
  ) {
    this.files = new LocalFileSource(config.file_roots);
    this.pillarFiles = new LocalFileSource(config.pillar_roots);
    this.modules = new Map(builtinStateModules.map((m) => [m.name, m]));
  }

  /** The minion's grains (collected once, static grains applied). */
  get grains(): Dict {
    this.grainsCache ??= collectGrains(this.config.id, this.config.grains);
    return this.grainsCache;
  }

  /** `opts` as templates see it: the config plus `grains`. */
  get opts(): Dict {
    return { ...this.config.raw, grains: this.grains };
  }

  /** The compiled pillar, with an optional override merged last. */
  pillar(override?: Dict): Dict {
    if (!override) {
      this.pillarCache ??= this.compilePillar();
      return this.pillarCache;
    }
    return this.compilePillar(override);
  }

  private compilePillar(override?: Dict): Dict {
    return compilePillar({
      id: this.config.id,
      grains: this.grains,
      opts: this.opts,
      files: this.pillarFiles,
      saltenvs: Object.keys(this.config.pillar_roots),
      pillarenv: this.config.pillarenv,
      nodegroups: this.config.nodegroups,
      override,
    });
  }

  /** The inputs the SLS compiler needs for a run. */
  compileInputs(opts: RunOptions = {}): CompileInputs {
    return {
      id: this.config.id,
      files: this.files,
      saltenvs: Object.keys(this.config.file_roots),
      pillar: this.pillar(opts.pillar),
      grains: this.grains,
      opts: this.opts,
      saltenv: opts.saltenv ?? this.config.saltenv,
      stateTop: this.config.state_top,
      autoOrder: this.config.state_auto_order,
      nodegroups: this.config.nodegroups,
    };
  }

  /** Pillar render errors as Salt reports them, or undefined when the pillar is fine. */
  pillarErrors(pillar: Dict): string[] | undefined {
    const errs = pillar._errors;
    if (!Array.isArray(errs)) return undefined;
    return ['Pillar failed to render with the following messages:', ...errs.map(String)];
  }

  /** state.show_top */
  showTop(opts: RunOptions = {}): Compiled<Record<string, string[]>> {
    return compileTop(this.compileInputs(opts));
  }

  /** state.show_sls (mods) / state.show_highstate (no mods: raw high data, as Salt shows it). */
  showHigh(mods: string[] | undefined, opts: RunOptions = {}): Compiled<HighData> {
    return compileHigh(this.compileInputs(opts), mods, mods !== undefined);
  }

  /** state.show_low_sls / state.show_lowstate */
  showLow(mods: string[] | undefined, opts: RunOptions = {}): Compiled<LowChunk[]> {
    return compileLow(this.compileInputs(opts), mods);
  }

  /** state.apply / state.sls / state.highstate: compile, check, run. */
  async apply(mods: string[] | undefined, opts: RunOptions = {}): Promise<RunOutcome> {
    const inputs = this.compileInputs(opts);
    const pErr = this.pillarErrors(inputs.pillar);
    if (pErr) return { ok: false, errors: pErr };
    const provider = new FileSlsProvider(inputs);
    const high = compileHigh(inputs, mods, false, provider);
    if (!high.ok) return { ok: false, errors: high.errors };
    if (opts.exclude?.length) {
      const h = high.value as Record<string, unknown>;
      h.__exclude__ = [...((h.__exclude__ as unknown[]) ?? []), ...opts.exclude];
    }
    const errs = prepareHigh(high.value);
    if (errs.length) return { ok: false, errors: errs };
    const chunks = compileLowChunks(high.value);
    return this.run(chunks, inputs, provider, opts);
  }

  /** state.single: one state function with its arguments. */
  async single(fun: string, name: string, kwargs: Dict, opts: RunOptions = {}): Promise<RunOutcome> {
    const [state, f] = splitFun(fun);
    if (!state || !f) return { ok: false, errors: [`Invalid function passed: ${fun}`] };
    const inputs = this.compileInputs(opts);
    const high: HighData = {
      [name]: { __sls__: 'state.single', __env__: inputs.saltenv ?? 'base', [state]: [f, ...Object.entries(kwargs).map(([k, v]) => ({ [k]: v }))] },
    };
    const errs = prepareHigh(high);
    if (errs.length) return { ok: false, errors: errs };
    return this.run(compileLowChunks(high), inputs, new FileSlsProvider(inputs), opts);
  }

  private async run(chunks: LowChunk[], inputs: CompileInputs, provider: FileSlsProvider, opts: RunOptions): Promise<RunOutcome> {
    const pre = unknownFunctionErrors(chunks, this.modules, this.files);
    if (pre.length) return { ok: false, errors: pre };
    const test = opts.test ?? this.config.test;
    const results = await runChunks(chunks, {
      test,
      failhard: this.config.failhard,
      modules: this.modules,
      onResult: opts.onResult,
      log: opts.log ?? this.log,
      contextFor: (low, t) => this.stateContext(low, t, inputs, provider),
    });
    return { ok: true, results };
  }

  private stateContext(low: LowChunk, test: boolean, inputs: CompileInputs, provider: FileSlsProvider): StateContext {
    const saltenv = low.__env__ ?? 'base';
    return {
      test,
      saltenv,
      sls: low.__sls__,
      id: low.__id__,
      pillar: inputs.pillar,
      grains: inputs.grains,
      opts: inputs.opts,
      files: this.files,
      renderTemplate: (text, engine, source, context) => {
        if (engine !== 'jinja') throw new Error(`Unsupported template engine '${engine}' (only jinja is available)`);
        return provider.renderer(saltenv).render(text, source, context);
      },
    };
  }
}

function splitFun(fun: string): [string | undefined, string | undefined] {
  const i = fun.indexOf('.');
  return i > 0 ? [fun.slice(0, i), fun.slice(i + 1)] : [undefined, undefined];
}
