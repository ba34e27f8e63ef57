/**
 * Rendering an orchestration SLS on the master, as Salt's state.orchestrate does: with the
 * master's file_roots, the pillar the master's pillar top gives `<master>_master` plus the
 * command line's pillar, and the salt/test state modules to check functions against.
 */
import { LocalFileSource } from '../../common/fileserver';
import { compilePillar } from '../../common/pillar';
import { ORCH_RETURN_ID } from '../../common/protocol/orch';
import type { CompileInputs } from '../../common/sls/compile';
import type { Dict, LowChunk } from '../../common/types';
import { collectGrains } from '../../minion/grains/core';
import { compileStateChunks } from '../../minion/runtime';
import { unknownFunctionErrors } from '../../minion/state/preflight';
import type { StateModule } from '../../minion/states/contract';
import type { MasterConfig } from '../config/index';

/** A compiled orchestration: its chunks and what its states run with. */
export interface CompiledOrch {
  sls: string;
  chunks: LowChunk[];
  inputs: CompileInputs;
}

/** The SLS an orchestration name refers to: `orch.<name>` when that exists (Salt's habit), else the name itself. */
export function orchSlsName(files: LocalFileSource, name: string, saltenv: string): string | undefined {
  const candidates = name.startsWith('orch.') ? [name] : [`orch.${name}`, name];
  for (const sls of candidates) {
    const rel = sls.replace(/\./g, '/');
    if (files.exists(`salt://${rel}.sls`, saltenv) || files.exists(`salt://${rel}/init.sls`, saltenv)) return sls;
  }
  return undefined;
}

/** Compile orchestration `name`; errors as Salt's state.orchestrate returns them. */
export function compileOrchestration(config: MasterConfig, name: string, pillarOverride: Dict | undefined, modules: ReadonlyMap<string, StateModule>): { ok: true; value: CompiledOrch } | { ok: false; errors: string[] } {
  const saltenv = config.saltenv ?? 'base';
  const files = new LocalFileSource(config.file_roots);
  const sls = orchSlsName(files, name, saltenv);
  if (!sls) return { ok: false, errors: [`No matching sls found for 'orch.${name}' or '${name}' in env '${saltenv}'`] };
  const grains = collectGrains(ORCH_RETURN_ID, {});
  const opts: Dict = { ...config.raw, id: ORCH_RETURN_ID, grains };
  const pillar = compilePillar({
    id: ORCH_RETURN_ID,
    grains,
    opts,
    files: new LocalFileSource(config.pillar_roots),
    saltenvs: Object.keys(config.pillar_roots),
    pillarenv: config.pillarenv,
    nodegroups: config.nodegroups,
    override: pillarOverride,
  });
  const inputs: CompileInputs = {
    id: ORCH_RETURN_ID,
    files,
    saltenvs: Object.keys(config.file_roots),
    pillar,
    grains,
    opts,
    saltenv,
    stateTop: config.state_top,
    autoOrder: config.state_auto_order,
    nodegroups: config.nodegroups,
  };
  const chunks = compileStateChunks(inputs, [sls], undefined);
  if (!chunks.ok) return { ok: false, errors: chunks.errors };
  const unknown = unknownFunctionErrors(chunks.value, modules, files);
  if (unknown.length) return { ok: false, errors: unknown };
  return { ok: true, value: { sls, chunks: chunks.value, inputs } };
}
