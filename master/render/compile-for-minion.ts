/**
 * The master's render for one minion: its pillar from the master's pillar_roots, and for
 * state jobs its states from the master's file_roots compiled down to checked low chunks,
 * with every salt:// file the minion will read at apply time attached.
 */
import { compilePillar } from '../../common/pillar';
import { JinjaRenderer } from '../../common/render/jinja';
import { FileSlsProvider, type CompileInputs } from '../../common/sls/compile';
import type { Dict } from '../../common/types';
import { compileStateChunks } from '../../minion/runtime';
import { unknownFunctionErrors } from '../../minion/state/preflight';
import type { StateModule } from '../../minion/states/contract';
import { builtinStateModules } from '../../minion/states/index';
import { collectAttachments } from './attachments';
import { RecordingFileSource } from './recording-files';
import type { RenderRequest, RenderResult } from './request';
import type { MasterRenderSettings } from './settings';
import { TreeSnapshot } from './tree-snapshot';

const modules: ReadonlyMap<string, StateModule> = new Map(builtinStateModules.map((m) => [m.name, m]));

/**
 * Render a minion's pillar, and for kind 'states' its compiled states, from `tree` (by
 * default the roots as they are on disk now). Failures come back as
 * the errors state.apply reports masterless (pillar render errors, SLS compile errors,
 * requisite errors, unknown state functions), in that order.
 */
export function compileForMinion(cfg: MasterRenderSettings, req: RenderRequest, tree: TreeSnapshot = new TreeSnapshot(cfg, false)): RenderResult {
  const opts: Dict = { ...cfg.raw, id: req.id, grains: req.grains };
  const pillar = compilePillar({
    id: req.id,
    grains: req.grains,
    opts,
    files: tree.pillarFiles,
    saltenvs: Object.keys(cfg.pillar_roots),
    pillarenv: cfg.pillarenv,
    nodegroups: cfg.nodegroups,
    override: req.pillarOverride,
  });
  if (req.kind === 'pillar') return { ok: true, pillar };

  const files = tree.files;
  const inputs: CompileInputs = {
    id: req.id,
    files,
    saltenvs: Object.keys(cfg.file_roots),
    pillar,
    grains: req.grains,
    opts,
    saltenv: req.saltenv ?? cfg.saltenv,
    stateTop: cfg.state_top,
    autoOrder: cfg.state_auto_order,
    nodegroups: cfg.nodegroups,
  };
  const chunks = compileStateChunks(inputs, req.mods, req.exclude, new FileSlsProvider(inputs));
  if (!chunks.ok) return { ok: false, errors: chunks.errors };
  const unknown = unknownFunctionErrors(chunks.value, modules, files);
  if (unknown.length) return { ok: false, errors: unknown };

  const recorder = new RecordingFileSource(files);
  // Templates may change the data they see ({% do pillar.update(...) %}): the scan renders with
  // copies, made only when a template that can read files is there to scan.
  const renderers = new Map<string, JinjaRenderer>();
  let copies: { pillar: Dict; grains: Dict; opts: Dict } | undefined;
  const renderer = (saltenv: string): JinjaRenderer => {
    let r = renderers.get(saltenv);
    if (!r) {
      if (!copies) {
        const grains = structuredClone(req.grains);
        copies = { pillar: structuredClone(pillar), grains, opts: { ...cfg.raw, id: req.id, grains } };
      }
      r = new JinjaRenderer(recorder, { ...copies, saltenv });
      renderers.set(saltenv, r);
    }
    return r;
  };
  const attached = collectAttachments(chunks.value, {
    roots: tree.roots,
    recorder,
    // contents_pillar / contents_grains are only looked up in them: no copy needed for that
    scan: { pillar, grains: req.grains, renderer },
  });
  return {
    ok: true,
    pillar,
    states: { chunks: chunks.value, files: attached, saltenv: req.saltenv ?? cfg.saltenv ?? 'base', test: req.test },
  };
}
