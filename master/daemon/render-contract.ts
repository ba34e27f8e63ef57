/**
 * What the dispatcher needs from the render pool (master/render): one minion's pillar, or its
 * compiled states with their salt:// files attached.
 */
import type { CompiledStates } from '../../common/protocol/messages';
import type { Dict } from '../../common/types';

/** A render request for one minion. */
export interface MinionRenderRequest {
  id: string;
  grains: Dict;
  kind: 'states' | 'pillar';
  mods?: string[];
  pillarOverride?: Dict;
  saltenv?: string;
  test: boolean;
  exclude?: unknown[];
  /** Renders of one job name its jid: they read the roots once, as they were at the first. */
  snapshot?: string;
}

/** Its pillar (and compiled states), or the errors Salt would return for it. */
export type MinionRenderResult = { ok: true; pillar: Dict; states?: CompiledStates } | { ok: false; errors: string[] };

/** Renders for minions off the event loop. */
export interface MinionRenderer {
  render(req: MinionRenderRequest): Promise<MinionRenderResult>;
}
