/**
 * A minion's runtime: its config, grains, pillar, salt:// files and state modules, plus the
 * pipeline from SLS to results (compile, preflight, engine). Masterless calls compile here;
 * in master mode the master compiles (with `compileStateChunks`) and the minion runs the
 * chunks it was sent (`runCompiled`), reading salt:// from the files attached to the job.
 */
import { AttachedFileSource } from '../common/attached-files';
import { LocalFileSource } from '../common/fileserver';
import type { MinionConfig } from '../common/config';
import { silentLogger, type Logger } from '../common/log';
import { compilePillar, mergeRecursive } from '../common/pillar';
import { compileHigh, compileLow, compileTop, FileSlsProvider, type CompileInputs, type Compiled } from '../common/sls/compile';
import { compileLowChunks } from '../common/sls/lowstate';
import { prepareHigh } from '../common/sls/reconcile';
import type { CompiledStates } from '../common/protocol/messages';
import type { Dict, FileSource, HighData, LowChunk, StateRunResult } from '../common/types';
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

/** What a minion in master mode gets from its master instead of compiling it itself. */
export interface RemoteSources {
  /** The pillar the master compiled for this minion. */
  pillar: Dict;
  /** Where salt:// reads go (default: the minion's own file_roots). */
  files?: FileSource;
  /** Sends an event to the master's bus (Salt's `event.send`); only a minion daemon has one. */
  sendEvent?: (tag: string, data: Dict) => Promise<boolean>;
  /** The grains the daemon collected at start (or last refresh), as Salt's `__grains__`: not collected again per job. */
  grains?: Dict;
}

/** Pillar render errors as Salt reports them, or undefined when the pillar is fine. */
export function pillarRenderErrors(pillar: Dict): string[] | undefined {
  const errs = pillar._errors;
  if (!Array.isArray(errs)) return undefined;
  return ['Pillar failed to render with the following messages:', ...errs.map(String)];
}

/**
 * From compile inputs to the low chunks a state run executes, as state.apply compiles them:
 * pillar errors first, then the SLS (or the highstate), `exclude`, extend and requisites.
 * Used by masterless runs and by the master for each minion.
 */
export function compileStateChunks(
  inputs: CompileInputs,
  mods: string[] | undefined,
  exclude: unknown[] | undefined,
  provider: FileSlsProvider = new FileSlsProvider(inputs),
): Compiled<LowChunk[]> {
  const pErr = pillarRenderErrors(inputs.pillar);
  if (pErr) return { ok: false, errors: pErr };
  const high = compileHigh(inputs, mods, false, provider);
  if (!high.ok) return { ok: false, errors: high.errors };
  if (exclude?.length) {
    const h = high.value as Record<string, unknown>;
    h.__exclude__ = [...((h.__exclude__ as unknown[]) ?? []), ...exclude];
  }
  const errs = prepareHigh(high.value);
  if (errs.length) return { ok: false, errors: errs };
  return { ok: true, value: compileLowChunks(high.value) };
}

/** The context a state of `low` runs with, from the compile inputs of its run. */
export function stateContextFor(low: LowChunk, test: boolean, inputs: CompileInputs, renderTemplate: StateContext['renderTemplate']): StateContext {
  return {
    test,
    saltenv: low.__env__ ?? 'base',
    sls: low.__sls__,
    id: low.__id__,
    pillar: inputs.pillar,
    grains: inputs.grains,
    opts: inputs.opts,
    files: inputs.files,
    chunk: low,
    renderTemplate,
  };
}

/** A minion: everything needed to render and apply states on this host. */
export class MinionRuntime {
  readonly files: FileSource;
  readonly pillarFiles: LocalFileSource;
  readonly modules: ReadonlyMap<string, StateModule>;
  private grainsCache?: Dict;
  private pillarCache?: Dict;

  /** `remote` is set in master mode: the pillar (and optionally the files) come from the master. */
  constructor(
    readonly config: MinionConfig,
    readonly log: Logger = silentLogger,
    private readonly remote?: RemoteSources,
  ) {
    this.files = remote?.files ?? new LocalFileSource(config.file_roots);
    this.pillarFiles = new LocalFileSource(config.pillar_roots);
    this.modules = new Map(builtinStateModules.map((m) => [m.name, m]));
  }

  /** Send an event to the master (`event.send`); undefined when there is no master (masterless). */
  get sendEvent(): RemoteSources['sendEvent'] {
    return this.remote?.sendEvent;
  }

  /** The minion's grains (the daemon's, copied so that a job's templates cannot change them; else collected once, static grains applied). */
  get grains(): Dict {
    this.grainsCache ??= this.remote?.grains ? structuredClone(this.remote.grains) : collectGrains(this.config.id, this.config.grains);
    return this.grainsCache;
  }

  /** `opts` as templates see it: the config plus `grains`. */
  get opts(): Dict {
    return { ...this.config.raw, grains: this.grains };
  }

  /** The compiled pillar (the master's in master mode), with an optional override merged last. */
  pillar(override?: Dict): Dict {
    if (this.remote) return override ? mergeRecursive(structuredClone(this.remote.pillar), override) : this.remote.pillar;
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
    return this.inputsWith(this.pillar(opts.pillar), this.files, opts.saltenv);
  }

  private inputsWith(pillar: Dict, files: FileSource, saltenv: string | undefined): CompileInputs {
    return {
      id: this.config.id,
      files,
      saltenvs: Object.keys(this.config.file_roots),
      pillar,
      grains: this.grains,
      opts: this.opts,
      saltenv: saltenv ?? this.config.saltenv,
      stateTop: this.config.state_top,
      autoOrder: this.config.state_auto_order,
      nodegroups: this.config.nodegroups,
    };
  }

  /** Pillar render errors as Salt reports them, or undefined when the pillar is fine. */
  pillarErrors(pillar: Dict): string[] | undefined {
    return pillarRenderErrors(pillar);
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
    const provider = new FileSlsProvider(inputs);
    const chunks = compileStateChunks(inputs, mods, opts.exclude, provider);
    if (!chunks.ok) return { ok: false, errors: chunks.errors };
    return this.run(chunks.value, inputs, provider, opts);
  }

  /**
   * Run the chunks a master compiled for this minion, with the pillar it sent; every salt://
   * read (sources, templates and their imports) is served from the files attached to the job.
   * `opts.test` overrides the job's test flag; `opts.pillar`, `saltenv` and `exclude` were
   * already applied by the master and are ignored here.
   */
  async runCompiled(states: CompiledStates, pillar: Dict, opts: RunOptions = {}): Promise<RunOutcome> {
    const inputs = this.inputsWith(pillar, new AttachedFileSource(states.files), states.saltenv);
    return this.run(states.chunks, inputs, new FileSlsProvider(inputs), { ...opts, test: opts.test ?? states.test });
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
    const pre = unknownFunctionErrors(chunks, this.modules, inputs.files);
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
    return stateContextFor(low, test, inputs, (text, engine, source, context) => {
      if (engine !== 'jinja') throw new Error(`Unsupported template engine '${engine}' (only jinja is available)`);
      return provider.renderer(low.__env__ ?? 'base').render(text, source, context);
    });
  }

}

function splitFun(fun: string): [string | undefined, string | undefined] {
  const i = fun.indexOf('.');
  return i > 0 ? [fun.slice(0, i), fun.slice(i + 1)] : [undefined, undefined];
}
