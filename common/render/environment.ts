/**
 * The Nunjucks environment behind one JinjaRenderer: templates come from the FileSource
 * (Salt's SaltCacheLoader over salt://), relative names (`./map.jinja`, `../x.jinja`) resolve
 * from the importing template's salt:// location, and the render globals of the render in
 * progress are visible to imported templates, as Salt puts its render context in Jinja's
 * globals.
 */
import * as path from 'node:path';
import * as nunjucks from 'nunjucks';
import { BrineError } from '../errors';
import { parseSaltUrl, safeRelativePath } from '../paths';
import type { FileSource } from '../types';
import { compileTemplate } from './compile-cache';
import { RenderFailure } from './errors';
import type { CompiledTemplate, NjFrame } from './nunjucks-internals';
import { PyError } from './python-types';
import { TemplateRuntime, type RuntimeHost } from './runtime';

/** The state of one render in progress. */
interface RenderState {
  globals: Record<string, unknown>;
  saltenv: string;
}

type RenderableTemplate = nunjucks.Template & {
  compile(): void;
  render(ctx: object, frame?: NjFrame | null): string;
  getExported(...args: unknown[]): unknown;
};

const varsCache = new Map<string, Record<string, string>>();

/** `tplfile`, `tpldir`, `tpldot` of a salt:// template, as Salt's loader sets them (a shared, frozen object). */
export function templateVars(url: string): Record<string, string> {
  const hit = varsCache.get(url);
  if (hit) return hit;
  if (varsCache.size > 1000) varsCache.clear();
  const file = url.startsWith('salt://') ? url.slice('salt://'.length).split('?')[0] : url;
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  const vars = Object.freeze({ tplfile: file, tpldir: dir || '.', tpldot: dir.replace(/\//g, '.') });
  varsCache.set(url, vars);
  return vars;
}

/** Resolve a template name used in an import/include against the importing template's URL. */
export function resolveTemplateUrl(name: string, parent: string): string {
  if (name.startsWith('salt://')) {
    const parsed = parseSaltUrl(name);
    return `salt://${parsed.path}${parsed.saltenv ? `?saltenv=${parsed.saltenv}` : ''}`;
  }
  const first = name.split('/', 1)[0];
  if (first === '.' || first === '..') {
    if (!parent.startsWith('salt://')) throw new PyError('TemplateNotFound', `Relative path "${name}" cannot be resolved: ${parent} is not a salt:// file`);
    const base = parseSaltUrl(parent).path;
    const dir = base.includes('/') ? base.slice(0, base.lastIndexOf('/')) : '';
    const joined = path.posix.normalize(path.posix.join(dir || '.', name));
    if (joined === '..' || joined.startsWith('../') || path.posix.isAbsolute(joined)) {
      throw new PyError('TemplateNotFound', `Discarded template path "${name}": attempts to ascend outside of salt://`);
    }
    return `salt://${joined}`;
  }
  return `salt://${safeRelativePath(name)}`;
}

/** A Nunjucks environment reading templates from a FileSource, with Brine's runtime installed. */
export class SaltEnvironment implements RuntimeHost {
  private readonly nj: nunjucks.Environment;
  private readonly stack: RenderState[] = [];
  private readonly templates = new WeakMap<CompiledTemplate, RenderableTemplate>();

  constructor(private readonly files: FileSource) {
    this.nj = new nunjucks.Environment([], { autoescape: false, dev: true });
    const raw = this.nj as unknown as Record<string, unknown>;
    raw.py = new TemplateRuntime(this);
    raw.getTemplate = (name: unknown, _eager: unknown, parentName: unknown, ignoreMissing: unknown, cb: (err: unknown, tmpl?: unknown) => void) =>
      cb(null, this.load(name, String(parentName ?? ''), Boolean(ignoreMissing)).tmpl);
  }

  globals(): Record<string, unknown> {
    return this.stack[this.stack.length - 1]?.globals ?? {};
  }

  /** Render `text` (known as `name`) with `ctx` as both its context and the render globals. */
  render(text: string, name: string, ctx: Record<string, unknown>, saltenv: string): string {
    const tmpl = this.template(compileTemplate(text, name), name);
    this.stack.push({ globals: ctx, saltenv });
    try {
      return tmpl.render(ctx);
    } finally {
      this.stack.pop();
    }
  }

  renderImport(name: unknown, parentName: string, ctx: Record<string, unknown> | null, frame: NjFrame | null): { text: string; url: string } {
    const { tmpl, url } = this.load(name, parentName, false);
    return { text: tmpl.render({ ...templateVars(url), ...ctx }, frame), url };
  }

  private template(compiled: CompiledTemplate, url: string): RenderableTemplate {
    const known = this.templates.get(compiled);
    if (known) return known;
    const tmpl = new nunjucks.Template({ type: 'code', obj: compiled } as unknown as string, this.nj, url) as RenderableTemplate;
    tmpl.compile();
    const getExported = tmpl.getExported.bind(tmpl);
    // An import sees its own tplfile/tpldir under its context (the importer's with context,
    // else none), then the render globals. It never writes into the importer's scopes.
    tmpl.getExported = (...args: unknown[]) => {
      const cb = args[args.length - 1];
      const ctx = typeof args[0] === 'function' ? templateVars(url) : { ...templateVars(url), ...(args[0] as object) };
      return getExported(ctx, null, cb);
    };
    this.templates.set(compiled, tmpl);
    return tmpl;
  }

  /** Resolve, read and compile an imported template; errors are thrown (the caller's line tags them). */
  private load(name: unknown, parentName: string, ignoreMissing: boolean): { tmpl: RenderableTemplate; url: string } {
    if (typeof name !== 'string') throw new PyError('TypeError', `template names must be a string: ${String(name)}`);
    const url = resolveTemplateUrl(name, parentName);
    const saltenv = this.stack[this.stack.length - 1]?.saltenv ?? 'base';
    let text: string;
    try {
      if (!this.files.exists(url, saltenv)) {
        if (ignoreMissing) return { tmpl: this.template(compileTemplate('', url), url), url };
        throw new PyError('TemplateNotFound', `Template '${name}' not found: ${url} does not exist in saltenv '${saltenv}'`);
      }
      text = this.files.read(url, saltenv).toString('utf8');
    } catch (e) {
      if (e instanceof BrineError) throw new PyError('TemplateNotFound', e.message);
      throw e;
    }
    try {
      return { tmpl: this.template(compileTemplate(text, url), url), url };
    } catch (e) {
      if (e instanceof RenderFailure) throw e;
      throw new RenderFailure(e, true).at(url, 1);
    }
  }
}
