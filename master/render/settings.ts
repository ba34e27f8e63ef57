/**
 * What the master's renderer needs from its configuration, as plain data: it is copied into
 * every render worker thread, so it holds only structured-cloneable values.
 */
import type { Dict } from '../../common/types';
import type { MasterConfig } from '../config/index';

/** The part of MasterConfig that rendering states and pillar for a minion uses. */
export interface MasterRenderSettings {
  file_roots: Record<string, string[]>;
  pillar_roots: Record<string, string[]>;
  nodegroups: Record<string, string | string[]>;
  state_top: string;
  state_auto_order: boolean;
  saltenv: string | null;
  pillarenv: string | null;
  /** The master's options; templates see them as `opts`, with the minion's `id` and `grains`. */
  raw: Dict;
}

/** Take the render settings out of a loaded master config (a deep copy, safe to send to workers). */
export function renderSettingsOf(cfg: MasterConfig): MasterRenderSettings {
  return structuredClone({
    file_roots: cfg.file_roots,
    pillar_roots: cfg.pillar_roots,
    nodegroups: cfg.nodegroups,
    state_top: cfg.state_top,
    state_auto_order: cfg.state_auto_order,
    saltenv: cfg.saltenv,
    pillarenv: cfg.pillarenv,
    raw: cfg.raw,
  });
}
