/**
 * Render errors as operators read them: a TemplateError naming the file (salt:// URL), the
 * line, the state ID (the nearest top-level YAML key above the failing line) and Salt's
 * wording ("Jinja variable 'dict object' has no attribute 'x'", "Jinja syntax error: ...").
 * Never a raw Nunjucks stack.
 */
import { BrineError, TemplateError } from '../errors';
import { PyError } from './python-types';
import { UndefinedError } from './undefined';

/** Where in which template an error passed: innermost first. */
export interface RenderFrame {
  template: string;
  line: number;
}

/** An error travelling out of compiled templates, collecting the template lines it passes. */
export class RenderFailure extends Error {
  readonly frames: RenderFrame[] = [];

  constructor(
    override readonly cause: unknown,
    readonly syntax = false,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }

  /** Nunjucks calls this on errors it passes through; the failure stays as it is. */
  Update(): this {
    return this;
  }

  /** Record that the error passed `template` at `line` (1-based). */
  at(template: string, line: number): this {
    const last = this.frames[this.frames.length - 1];
    if (!last || last.template !== template) this.frames.push({ template, line });
    return this;
  }
}

/** Wrap anything thrown in a template (at 0-based `lineno` of `template`) as a RenderFailure. */
export function failAt(e: unknown, template: string, lineno: number): RenderFailure {
  const f = e instanceof RenderFailure ? e : new RenderFailure(e);
  return f.at(template, lineno + 1);
}

const TOP_LEVEL_KEY = /^([^\s#{%\-[][^:]*|\{\{.*?\}\}[^:]*|'[^']*'|"[^"]*"):(\s|$)/;
const NOT_STATES = new Set(['include', 'exclude', 'extend']);

/**
 * The state ID an error line belongs to: the nearest top-level key (`^\S...:`) at or above
 * `line` in the SLS source. Undefined when there is none (or it is include/exclude/extend).
 */
export function stateIdAt(text: string, line: number): string | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
    const m = TOP_LEVEL_KEY.exec(lines[i]);
    if (!m) continue;
    const key = m[1].trim().replace(/^(['"])(.*)\1$/, '$2');
    return NOT_STATES.has(key) ? undefined : key;
  }
  return undefined;
}

function causeMessage(cause: unknown, syntax: boolean): string {
  if (cause instanceof UndefinedError) return `Jinja variable ${cause.message}`;
  if (syntax) return `Jinja syntax error: ${cause instanceof Error ? cause.message : String(cause)}`;
  if (cause instanceof PyError) {
    if (['SaltException', 'SaltInvocationError', 'CommandExecutionError'].includes(cause.pyType)) {
      return `Problem running salt function in Jinja template: ${cause.message}`;
    }
    if (cause.pyType === 'KeyError' || cause.pyType === 'IndexError') return `Jinja error: ${cause.pyType}: ${cause.message}`;
    return `Jinja error: ${cause.message}`;
  }
  if (cause instanceof Error) return `Jinja error: ${cause.message}`;
  return `Jinja error: ${String(cause)}`;
}

/**
 * Turn whatever a render threw into a BrineError. `source` and `text` are the template the
 * render started from (the SLS or the managed file), used for the state ID.
 */
export function toTemplateError(e: unknown, source: string, text: string): BrineError {
  if (e instanceof BrineError) return e;
  if (!(e instanceof RenderFailure)) {
    const cause = (e as { cause?: unknown } | null)?.cause;
    if (cause instanceof RenderFailure) return toTemplateError(cause, source, text);
    return new TemplateError(causeMessage(cause ?? e, false), { file: source });
  }
  const inner = e.frames[0] ?? { template: source, line: undefined };
  const outer = e.frames[e.frames.length - 1] ?? inner;
  const stateId = outer.template === source && outer.line ? stateIdAt(text, outer.line) : undefined;
  const via = e.frames.length > 1 ? ` (from ${outer.template}, line ${outer.line})` : '';
  const cause = e.cause;
  if (cause instanceof BrineError) {
    const site = { file: cause.site.file ?? inner.template, line: cause.site.line ?? inner.line, stateId: cause.site.stateId ?? stateId };
    const Ctor = cause.constructor as new (message: string, site: object) => BrineError;
    return new Ctor(cause.message + via, site);
  }
  const shown = inner.template === source && inner.line ? text.split(/\r\n|\r|\n/)[inner.line - 1]?.trim() : undefined;
  const context = shown ? `\n    ${shown}    <======================` : '';
  return new TemplateError(causeMessage(cause, e.syntax) + via + context, { file: inner.template, line: inner.line, stateId });
}
