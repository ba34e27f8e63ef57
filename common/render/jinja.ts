/**
 * Jinja as Salt 3006 renders it (Jinja2 + Salt's extensions, StrictUndefined, Salt's filters,
 * `salt[...]` functions), on Nunjucks. One renderer serves one minion's pillar/grains/opts in
 * one saltenv; compiled templates are shared by every renderer.
 */
import type { Dict, FileSource } from '../types';
import { jinjaSource } from './compile-cache';
import { SaltEnvironment, templateVars } from './environment';
import { toTemplateError } from './errors';
import { colonPathDicts } from './python-methods';
import { SaltLoader, builtinFunctions, type SaltFunction } from './salt-functions';

/** What every template sees, besides its own context. */
export interface RenderGlobals {
  pillar: Dict;
  grains: Dict;
  opts: Dict;
  saltenv: string;
  /**
   * Extra `salt['mod.fun']` functions (execution modules) merged over the built-in ones.
   * They receive positional arguments; keyword arguments, when given, arrive as one trailing
   * object whose non-enumerable `__keywords` property is true (see `splitCallArgs`).
   */
  functions?: Record<string, (...args: unknown[]) => unknown>;
}

/** Renders Jinja templates as Salt does, for one minion and saltenv. */
export class JinjaRenderer {
  private readonly env: SaltEnvironment;
  private readonly base: Dict;

  constructor(files: FileSource, globals: RenderGlobals) {
    this.env = new SaltEnvironment(files);
    colonPathDicts.add(globals.pillar);
    colonPathDicts.add(globals.grains);
    const salt = new SaltLoader(builtinFunctions(globals), (globals.functions ?? {}) as Record<string, SaltFunction>);
    this.base = { salt, pillar: globals.pillar, grains: globals.grains, opts: globals.opts, saltenv: globals.saltenv };
  }

  /** The saltenv this renderer reads templates from. */
  get saltenv(): string {
    return this.base.saltenv as string;
  }

  /**
   * Render template text. `source` is its salt:// URL (used for errors, relative imports,
   * tpldir) or a display path; `context` adds variables (sls, slspath, ..., or
   * file.managed's context/defaults). Throws TemplateError (or YamlError for data imports)
   * naming the file, line and state ID.
   */
  render(text: string, source: string, context: Dict = {}): string {
    const ctx: Dict = { ...(source.startsWith('salt://') ? templateVars(source) : {}), ...this.base, ...context };
    let out: string;
    try {
      out = this.env.render(text, source, ctx, this.saltenv);
    } catch (e) {
      throw toTemplateError(e, source, jinjaSource(text));
    }
    // Jinja drops the template's final newline; Salt puts it back (templates.py render_jinja_tmpl).
    return text.endsWith('\n') ? `${out}\n` : out;
  }
}
