/**
 * The master's render for one minion: its pillar from the master's pillar_roots, and for
 * state jobs its states from the master's file_roots compiled down to checked low chunks,
 * with every salt:// file the minion will read at apply time attached.
 */
import { LocalFileSource } from '../../common/fileserver';
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
import { RootFiles } from './root-files';
import type { MasterRenderSettings } from './settings';

const modules: ReadonlyMap<string, StateModule> = new Map(builtinStateModules.map((m) => [m.name, m]));

/**
 * Render a minion's pillar, and for kind 'states' its compiled states. Failures come back as
 * the errors state.apply reports masterless (pillar render errors, SLS compile errors,
 * requisite errors, unknown state functions), in that order.
 */
export function compileForMinion(cfg: MasterRenderSettings, req: RenderRequest): RenderResult {
  const opts: Dict = { ...cfg.raw, id: req.id, grains: req.grains };
  const pillar = compilePillar({
    id: req.id,
    grains: req.grains,
    opts,
    files: new LocalFileSource(cfg.pillar_roots),
    saltenvs: Object.keys(cfg.pillar_roots),
    pillarenv: cfg.pillarenv,
    nodegroups: cfg.nodegroups,
    override: req.pillarOverride,
  });
  if (req.kind === 'pillar') return { ok: true, pillar };

  const files = new LocalFileSource(cfg.file_roots);
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
  // Templates may change the data they see ({% do pillar.update(...) %}): the scan renders with copies.
  const scanPillar = structuredClone(pillar);
  const scanGrains = structuredClone(req.grains);
  const scanOpts: Dict = { ...cfg.raw, id: req.id, grains: scanGrains };
  const renderers = new Map<string, JinjaRenderer>();
  const renderer = (saltenv: string): JinjaRenderer => {
    let r = renderers.get(saltenv);
    if (!r) {
      r = new JinjaRenderer(recorder, { pillar: scanPillar, grains: scanGrains, opts: scanOpts, saltenv });
      renderers.set(saltenv, r);
    }
    return r;
  };
  const attached = collectAttachments(chunks.value, {
    roots: new RootFiles(files, cfg.file_roots),
    recorder,
    scan: { pillar: scanPillar, grains: scanGrains, renderer },
  });
  return {
    ok: true,
    pillar,
    states: { chunks: chunks.value, files: attached, saltenv: req.saltenv ?? cfg.saltenv ?? 'base', test: req.test },
  };
}
