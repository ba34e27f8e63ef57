/**
 * An SLS file through its renderer pipeline, as Salt's state and pillar compilers run it:
 * `jinja|yaml` by default, or the pipeline its first-line shebang names (`#!yaml`,
 * `#!jinja|yaml`); with Salt's SLS context variables (salt/utils/templates.py
 * generate_sls_context); an empty result is `{}` (salt/renderers/yaml.py).
 */
import { TemplateError, YamlError } from '../errors';
import { loadSaltYamlCopy } from '../yaml/load-memo';
import { stateIdAt } from './errors';
import type { JinjaRenderer } from './jinja';
import { truth } from './python-ops';

/** Where an SLS comes from. */
export interface SlsSource {
  /** SLS name (`nginx.conf`). */
  sls: string;
  /** Its salt:// URL (`salt://nginx/conf.sls`). */
  url: string;
  saltenv: string;
}

const SUPPORTED = new Set(['jinja', 'yaml']);

/** The renderer pipeline of an SLS: its shebang's, or Salt's default `jinja|yaml`. */
export function renderPipeline(text: string, url: string): string[] {
  if (!text.startsWith('#!') || text.startsWith('#!/')) return ['jinja', 'yaml'];
  const line = text.slice(2, text.search(/\r?\n|$/)).trim();
  const pipeline = line.split('|').map((part) => part.trim().split(/\s+/, 1)[0].toLowerCase());
  const unsupported = pipeline.filter((r) => !SUPPORTED.has(r));
  if (!pipeline.length || pipeline.includes('') || unsupported.length) {
    throw new TemplateError(`Renderer '${unsupported[0] ?? line}' is not available: Brine renders SLS files with jinja and yaml only (shebang '#!${line}')`, { file: url, line: 1 });
  }
  if (pipeline.indexOf('yaml') >= 0 && pipeline.lastIndexOf('jinja') > pipeline.indexOf('yaml')) {
    throw new TemplateError(`Renderer pipeline '#!${line}' cannot run: jinja needs text, but yaml produces data`, { file: url, line: 1 });
  }
  return pipeline;
}

/** Salt's SLS context variables for an SLS at `url` (generate_sls_context). */
export function slsContext(sls: string, url: string): Record<string, string> {
  const file = url.startsWith('salt://') ? url.slice('salt://'.length).split('?')[0] : url;
  let slspath = sls.replace(/\./g, '/');
  let template = file;
  if (!sls) template = file.slice(file.lastIndexOf('/') + 1);
  else if (file.endsWith(`${slspath}.sls`)) template = file.slice(file.length - (slspath.length + 4));
  else if (file.endsWith(`${slspath}/init.sls`)) template = file.slice(file.length - (slspath.length + 9));
  slspath = template.includes('/') ? template.slice(0, template.lastIndexOf('/')) : '';
  return {
    tplpath: url,
    tplfile: template,
    tpldir: slspath || '.',
    tpldot: slspath.replace(/\//g, '.'),
    slspath,
    slsdotpath: slspath.replace(/\//g, '.'),
    slscolonpath: slspath.replace(/\//g, ':'),
    sls_path: slspath.replace(/\//g, '_'),
  };
}

function withState(e: YamlError, rendered: string): YamlError {
  if (!e.site.line) return e;
  const lines = rendered.split(/\r\n|\r|\n/);
  const stateId = e.site.stateId ?? stateIdAt(rendered, e.site.line);
  const shown = lines[e.site.line - 1];
  const detail = shown !== undefined ? `\n    ${shown.trimEnd()}    <======================` : '';
  return new YamlError(`${e.message} (line ${e.site.line} of the rendered SLS)${detail}`, { ...e.site, stateId });
}

/**
 * Render an SLS's text through its pipeline and load it: the data Salt's renderer returns
 * (a falsy result becomes `{}`). Throws TemplateError / YamlError naming the file, line and state.
 */
export function renderSls(text: string, where: SlsSource, renderer: JinjaRenderer): unknown {
  const pipeline = renderPipeline(text, where.url);
  let current: unknown = text;
  for (const step of pipeline) {
    if (step === 'jinja') {
      current = renderer.render(String(current), where.url, { sls: where.sls, saltenv: where.saltenv, ...slsContext(where.sls, where.url) });
    } else {
      const rendered = String(current);
      try {
        current = loadSaltYamlCopy(rendered, where.url);
      } catch (e) {
        throw e instanceof YamlError ? withState(e, rendered) : e;
      }
      if (!truth(current)) current = {};
    }
  }
  return current;
}
