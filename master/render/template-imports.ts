/**
 * Which files a templated source pulls in (`import`, `from ... import`, `include`,
 * `import_yaml`, ...): the master renders it once, as the minion will, through a recording
 * FileSource. The output and any render error are dropped: the minion renders for real at
 * apply time and reports errors in the state's result.
 */
import { traverseDictAndList } from '../../common/data';
import type { JinjaRenderer } from '../../common/render/jinja';
import type { Dict, LowChunk } from '../../common/types';
import { normalizeMode } from '../../minion/host/modes';
import { isMapping, mergeRecursive, ownerArg, pyStr, truthy } from '../../minion/states/file/args';
import { joinContents } from '../../minion/states/file/managed-spec';

/** A salt:// source a chunk reads, with its bytes. */
export interface ChunkSource {
  url: string;
  bytes: Buffer;
}

/** The template engine a chunk renders its sources with (file.append renders with Jinja by default). */
export function templateEngineOf(chunk: LowChunk): string | undefined {
  if (typeof chunk.template === 'string' && chunk.template) return chunk.template;
  if (chunk.state === 'file' && chunk.fun === 'append' && (chunk.template === undefined || chunk.template === null)) return 'jinja';
  return undefined;
}

/** The minion's data templates see, and a renderer for a saltenv that reads through a recording FileSource. */
export interface ImportScan {
  pillar: Dict;
  grains: Dict;
  renderer(saltenv: string): JinjaRenderer;
}

/**
 * Whether a template's text can read another file: only the import, from ... import, include,
 * extends and import_yaml/json/text tags do, and each of them spells one of these words.
 */
export function mayReadFiles(text: string): boolean {
  return /import|include|extends/.test(text);
}

/** Render a chunk's templated sources (and templated `contents`) that may read files, for their reads through the scan's FileSource. */
export function renderForImports(chunk: LowChunk, sources: readonly ChunkSource[], scan: ImportScan): void {
  if (templateEngineOf(chunk) !== 'jinja') return;
  const saltenv = chunk.__env__ ?? 'base';
  for (const src of sources) {
    const text = src.bytes.toString('utf8');
    if (mayReadFiles(text)) tryRender(scan.renderer(saltenv), text, src.url, sourceContext(chunk, src.url, saltenv));
  }
  const contents = contentsText(chunk, scan);
  if (contents !== undefined && mayReadFiles(contents)) tryRender(scan.renderer(saltenv), contents, chunk.name, userContext(chunk, true));
}

function tryRender(renderer: JinjaRenderer, text: string, source: string, context: Dict): void {
  try {
    renderer.render(text, source, context);
  } catch {
    // the minion renders this for real and reports the error in the state's result
  }
}

/** `defaults` with `context` over it: merged recursively by file states, shallowly by the others. */
function userContext(chunk: LowChunk, recursive: boolean): Dict {
  const defaults = isMapping(chunk.defaults) ? chunk.defaults : {};
  const context = isMapping(chunk.context) ? chunk.context : {};
  return recursive ? mergeRecursive(defaults, context) : { ...defaults, ...context };
}

/** The context a state gives a rendered source: file states add name/source/user/group/mode. */
function sourceContext(chunk: LowChunk, url: string, saltenv: string): Dict {
  if (chunk.state !== 'file' || chunk.fun === 'append') return userContext(chunk, false);
  let mode: string | undefined;
  try {
    mode = typeof chunk.mode === 'string' && chunk.mode.toLowerCase() === 'keep' ? undefined : normalizeMode(chunk.mode);
  } catch {
    mode = undefined;
  }
  return {
    name: chunk.name,
    source: url,
    user: ownerArg(chunk.user) ?? ownerArg(chunk.owner) ?? null,
    group: ownerArg(chunk.group) ?? null,
    mode: mode ?? null,
    attrs: null,
    saltenv,
    ...userContext(chunk, true),
  };
}

/** file.managed's templated `contents`/`contents_pillar`/`contents_grains` text, when there is one. */
function contentsText(chunk: LowChunk, data: ImportScan): string | undefined {
  if (chunk.state !== 'file' || chunk.fun !== 'managed' || !truthy(chunk.template)) return undefined;
  const missing = Symbol('missing');
  const delimiter = typeof chunk.contents_delimiter === 'string' ? chunk.contents_delimiter : ':';
  for (const [key, from] of [
    ['contents_pillar', data.pillar],
    ['contents_grains', data.grains],
  ] as const) {
    const want = chunk[key];
    if (want === undefined || want === null) continue;
    const keys = Array.isArray(want) ? want.map(pyStr) : [pyStr(want)];
    const values = keys.map((k) => traverseDictAndList(from, k, missing, delimiter));
    if (values.includes(missing)) return undefined;
    return joinContents(Array.isArray(want) ? values.map(pyStr).join('\n') : values[0], chunk.contents_newline !== false);
  }
  if (chunk.contents === undefined || chunk.contents === null) return undefined;
  return joinContents(chunk.contents, chunk.contents_newline !== false);
}
