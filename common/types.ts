/**
 * Data shapes shared by the renderer, the state compiler, the engine and the outputters.
 * They mirror Salt 3006's high data, low chunks and state returns.
 */

/** Any value that YAML or JSON can carry. */
export type Data = null | boolean | number | string | Data[] | { [key: string]: Data };

/** A plain mapping as loaded from YAML (pillar, grains, opts, state arguments). */
export type Dict = Record<string, unknown>;

/**
 * One state declaration list as Salt keeps it in high data:
 * `["managed", {"source": "salt://x"}, {"order": 10000}]`.
 */
export type StateDeclaration = unknown[];

/** The body of one state ID in high data: module -> declaration, plus `__sls__` and `__env__`. */
export interface HighBody {
  __sls__: string;
  __env__: string;
  __extend__?: unknown;
  [module: string]: StateDeclaration | string | unknown;
}

/** High data: state ID -> body, in declaration order. */
export type HighData = Record<string, HighBody>;

/** One low chunk: a single state function call, compiled from high data. */
export interface LowChunk {
  state: string;
  name: string;
  __sls__: string;
  __env__: string;
  __id__: string;
  fun: string;
  order: number;
  [arg: string]: unknown;
}

/** What a state function returns (before the engine adds its bookkeeping fields). */
export interface StateReturn {
  name: string;
  result: boolean | null;
  changes: Dict;
  comment: string;
  /** Salt's optional `warnings` list, shown by the highstate outputter. */
  warnings?: string[];
  /** Which OS backend acted (service: `sysvinit` or `systemd`), when a module says so. */
  backend?: string;
}

/** A state return as the engine reports it, keyed by `<mod>_|-<id>_|-<name>_|-<fun>`. */
export interface StateResult extends StateReturn {
  __id__: string;
  __sls__: string;
  __run_num__: number;
  start_time: string;
  duration: number;
  [extra: string]: unknown;
}

/** The result of a whole state run, in Salt's shape. */
export type StateRunResult = Record<string, StateResult>;

/** Reads `salt://` files of one saltenv; implemented over local roots or over files attached to a job. */
export interface FileSource {
  /** The bytes of `salt://path`; throws a BrineError when it does not exist or escapes its roots. */
  read(url: string, saltenv: string): Buffer;
  /** Whether `salt://path` exists. */
  exists(url: string, saltenv: string): boolean;
  /** The paths (relative, `/`-separated) of every file under a `salt://` directory. */
  list(dirUrl: string, saltenv: string): string[];
}
