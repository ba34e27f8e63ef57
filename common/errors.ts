/**
 * Typed errors. Every error a user can cause names where it came from:
 * the SLS (or template) file, the line when there is one, and the state ID when known.
 */

/** Where an error was found. */
export interface ErrorSite {
  file?: string;
  line?: number;
  stateId?: string;
}

/** Base class of every error Brine reports to a user. */
export class BrineError extends Error {
  readonly site: ErrorSite;

  constructor(message: string, site: ErrorSite = {}) {
    super(message);
    this.name = new.target.name;
    this.site = site;
  }

  /** The message prefixed with its file, line and state, as printed to operators. */
  describe(): string {
    const parts: string[] = [];
    if (this.site.file) parts.push(this.site.line ? `${this.site.file}, line ${this.site.line}` : this.site.file);
    if (this.site.stateId) parts.push(`state '${this.site.stateId}'`);
    return parts.length ? `${parts.join(', ')}: ${this.message}` : this.message;
  }
}

/** A Jinja template failed to parse or render. */
export class TemplateError extends BrineError {}

/** Rendered text is not valid YAML, or breaks Salt's loading rules (duplicate IDs). */
export class YamlError extends BrineError {}

/** High data is malformed: bad declarations, unknown state functions, broken requisites. */
export class CompileError extends BrineError {}

/** A path, id or salt:// URL was refused. */
export class ValidationError extends BrineError {}

/** A configuration file is unreadable or wrong. */
export class ConfigError extends BrineError {}
