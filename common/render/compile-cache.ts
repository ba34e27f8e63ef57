/**
 * Template source -> compiled render functions, cached per (name, text). Compiled code holds
 * no render state (context, pillar, files come in at render time), so one compilation serves
 * every render of the same text under the same name, in any renderer.
 */
import './nodes';
import { SaltCompiler } from './compiler';
import { failAt, RenderFailure } from './errors';
import './filters';
import { tokenize, transform, type CompiledTemplate, type NjTemplateError } from './nunjucks-internals';
import { SaltParser, useJinjaLexing } from './parser';

const MAX_ENTRIES = 1000;
const cache = new Map<string, Map<string, CompiledTemplate>>();
let entries = 0;

/**
 * The source Jinja's lexer sees: newlines normalized to `\n`, and one trailing newline removed
 * (Jinja's keep_trailing_newline=False; Salt adds it back after rendering).
 */
export function jinjaSource(text: string): string {
  const normalized = text.includes('\r') ? text.replace(/\r\n|\r/g, '\n') : text;
  return normalized.endsWith('\n') ? normalized.slice(0, -1) : normalized;
}

function syntaxFailure(e: unknown, name: string, fallbackLine: number): RenderFailure {
  const err = e as NjTemplateError;
  const message = err instanceof Error ? err.message.replace(/^\(unknown path\)\s*(\[Line \d+, Column \d+\])?\s*/, '') : String(e);
  const f = new RenderFailure(new Error(message), true);
  return f.at(name, typeof err?.lineno === 'number' && err.lineno > 0 ? err.lineno : fallbackLine + 1);
}

function build(text: string, name: string): CompiledTemplate {
  const tokens = tokenize(jinjaSource(text));
  useJinjaLexing(tokens);
  let code: string;
  try {
    const parser = new SaltParser(tokens);
    const ast = transform(parser.parseAsRoot(), [], name);
    const compiler = new SaltCompiler(name, false);
    compiler.compile(ast);
    code = compiler.getCode();
  } catch (e) {
    if (e instanceof RenderFailure) throw e;
    throw syntaxFailure(e, name, tokens.lineno);
  }
  try {
    return new Function(code)() as CompiledTemplate;
  } catch (e) {
    throw failAt(new RenderFailure(new Error(`cannot compile template: ${(e as Error).message}`), true), name, 0);
  }
}

/** Compile (or fetch from the cache) the template `text` known as `name` (its salt:// URL). */
export function compileTemplate(text: string, name: string): CompiledTemplate {
  let byText = cache.get(name);
  const hit = byText?.get(text);
  if (hit) return hit;
  const compiled = build(text, name);
  if (entries >= MAX_ENTRIES) {
    cache.clear();
    entries = 0;
    byText = undefined;
  }
  if (!byText) {
    byText = new Map();
    cache.set(name, byText);
  }
  byText.set(text, compiled);
  entries++;
  return compiled;
}
