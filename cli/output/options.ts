/** Options of the outputters, named after Salt's config keys (`color`, `state_verbose`, `state_output`, ...). */

/** Salt's `state_output` modes; each may carry the `_id` suffix (show the state ID instead of the name). */
export type StateOutputMode =
  | 'full'
  | 'terse'
  | 'mixed'
  | 'changes'
  | 'filter'
  | 'full_id'
  | 'terse_id'
  | 'mixed_id'
  | 'changes_id'
  | 'filter_id';

/** How outputters print. */
export interface OutputOptions {
  /** ANSI colours (Salt's `color`). */
  color: boolean;
  /** `state_verbose` (default true): false hides states with result True and no changes. */
  stateVerbose?: boolean;
  /** `state_output` (default `full`). Unknown values print in full, as Salt does. */
  stateOutput?: StateOutputMode;
  /** `state_output_profile` (default true): the Started/Duration lines and `Total run time`. */
  stateOutputProfile?: boolean;
  /** `state_output_diff` (default false): hide states with result True and no changes. */
  stateOutputDiff?: boolean;
  /** `state_output_pct` (default false): `Success %` and `Failure %` in the summary. */
  stateOutputPct?: boolean;
  /** `state_tabular` (default false): aligned columns in terse lines. */
  stateTabular?: boolean;
  /** `state_output_exclude` for `state_output: filter`: results (`True`, `False`, `None`) not shown. */
  stateOutputExclude?: string[];
  /** `state_output_terse` for `state_output: filter`: results shown as terse lines. */
  stateOutputTerse?: string[];
  /** The job's retcode: the nested outputter draws lists and dicts in red when it is non-zero. */
  retcode?: number;
  /**
   * `output_indent` / `--out-indent` for the json and yaml outputters. Unset: Salt's defaults
   * (json indent 4, yaml block style). A number >= 0: that indentation; negative: json on one line,
   * yaml in flow style; `null`: json on one line; `'pretty'`: json indent 4 with sorted keys.
   */
  outputIndent?: OutputIndent;
}

/** Values of Salt's `output_indent`. */
export type OutputIndent = number | 'pretty' | null;
