/** What the master asks its renderer for one minion, and what it gets back. */
import type { CompiledStates } from '../../common/protocol/messages';
import type { Dict } from '../../common/types';

/** One minion's render: its pillar only, or its pillar and compiled states. */
export interface RenderRequest {
  /** The minion id. */
  id: string;
  /** The minion's grains, as the registry has them. */
  grains: Dict;
  /** SLS names (state.sls); undefined = the highstate through the top file. */
  mods?: string[];
  /** `pillar=` given with the job, merged over the compiled pillar. */
  pillarOverride?: Dict;
  /** Restrict to one saltenv (default: the master's `saltenv` option). */
  saltenv?: string;
  test: boolean;
  /** State IDs or `sls:` names to exclude (Salt's `exclude`). */
  exclude?: unknown[];
  /**
   * Renders naming the same snapshot (the master names the job's jid) read the roots once, as
   * they were at the first of them; without one the roots are read afresh.
   */
  snapshot?: string;
  /** 'pillar': only the pillar (targeting, pillar.* functions); 'states': pillar and states. */
  kind: 'states' | 'pillar';
}

/**
 * The render's outcome. `ok: true` carries the pillar (with `_errors` when it failed to
 * render and only the pillar was asked for) and, for 'states', the compiled states;
 * `ok: false` carries the errors state.apply reports, worded as Salt words them.
 */
export type RenderResult = { ok: true; pillar: Dict; states?: CompiledStates } | { ok: false; errors: string[] };
