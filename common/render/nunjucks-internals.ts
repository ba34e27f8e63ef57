/**
 * Typed access to the parts of Nunjucks that Brine extends (lexer, parser, compiler, nodes,
 * transformer, runtime). Nunjucks ships no types for them; this file is the only place
 * that reaches into `nunjucks/src/*`, so the rest of the renderer stays typed.
 */
/* eslint-disable @typescript-eslint/no-require-imports */

/** A token produced by the Nunjucks tokenizer. */
export interface NjToken {
  type: string;
  value: string;
  lineno: number;
  colno: number;
}

/** The Nunjucks tokenizer (lexer.Tokenizer). */
export interface NjTokenizer {
  in_code: boolean;
  lineno: number;
  colno: number;
  index: number;
  str: string;
  tags: { BLOCK_START: string; BLOCK_END: string; VARIABLE_START: string; VARIABLE_END: string; COMMENT_START: string; COMMENT_END: string };
  nextToken(): NjToken | null;
  current(): string;
  forward(): void;
  isFinished(): boolean;
  _parseString(delimiter: string): string;
  _extractRegex(regex: RegExp): RegExpMatchArray | null;
}

/** Any AST node (nodes.Node). Fields are dynamic, as in Nunjucks. */
export interface NjNode {
  typename: string;
  lineno: number;
  colno: number;
  fields: string[];
  [field: string]: unknown;
}

/** A node holding a list of children (nodes.NodeList and its subclasses). */
export interface NjNodeList extends NjNode {
  children: NjNode[];
  addChild(node: NjNode): void;
}

/** Constructor of an AST node class. */
export type NjNodeClass = new (lineno: number, colno: number, ...fields: unknown[]) => NjNode;

/** The `nodes` module. */
export interface NjNodes {
  Node: NjNodeClass & { extend(name: string, props: { fields: string[] }): NjNodeClass };
  NodeList: NjNodeClass;
  Root: NjNodeClass;
  Literal: NjNodeClass;
  Symbol: NjNodeClass;
  Group: NjNodeClass;
  Array: NjNodeClass;
  Pair: NjNodeClass;
  Dict: NjNodeClass;
  Output: NjNodeClass;
  Capture: NjNodeClass;
  TemplateData: NjNodeClass;
  LookupVal: NjNodeClass;
  FunCall: NjNodeClass;
  Filter: NjNodeClass;
  KeywordArgs: NjNodeClass;
  Macro: NjNodeClass;
  Include: NjNodeClass;
  Caller: NjNodeClass;
  InlineIf: NjNodeClass;
  Not: NjNodeClass;
  Neg: NjNodeClass;
  Pos: NjNodeClass;
  Add: NjNodeClass;
  Sub: NjNodeClass;
  Mul: NjNodeClass;
  Div: NjNodeClass;
  FloorDiv: NjNodeClass;
  Mod: NjNodeClass;
  Pow: NjNodeClass;
  Concat: NjNodeClass;
  Compare: NjNodeClass;
  CompareOperand: NjNodeClass;
  [name: string]: unknown;
}

/** The Nunjucks parser (parser.Parser), as far as Brine's parser uses it. */
export interface NjParser {
  tokens: NjTokenizer;
  peeked: NjToken | null;
  breakOnBlocks: string[] | null;
  dropLeadingWhitespace: boolean;
  extensions: unknown[];
  nextToken(withWhitespace?: boolean): NjToken | null;
  peekToken(): NjToken;
  pushToken(tok: NjToken | null): void;
  fail(msg: string, lineno?: number, colno?: number): never;
  skip(type: string): boolean;
  expect(type: string): NjToken;
  skipValue(type: string, val: string): boolean;
  skipSymbol(val: string): boolean;
  advanceAfterBlockEnd(name?: string): NjToken;
  advanceAfterVariableEnd(): void;
  parseStatement(): NjNode | null;
  parseExpression(): NjNode;
  parseInlineIf(): NjNode;
  parseOr(): NjNode;
  parseAnd(): NjNode;
  parseNot(): NjNode;
  parseIn(): NjNode;
  parseIs(): NjNode;
  parseCompare(): NjNode;
  parseConcat(): NjNode;
  parseAdd(): NjNode;
  parseSub(): NjNode;
  parseMul(): NjNode;
  parseDiv(): NjNode;
  parseFloorDiv(): NjNode;
  parseMod(): NjNode;
  parsePow(): NjNode;
  parseUnary(noFilters?: boolean): NjNode;
  parsePrimary(noPostfix?: boolean): NjNode;
  parsePostfix(node: NjNode): NjNode;
  parseFilter(node: NjNode): NjNode;
  parseFilterName(): NjNode;
  parseFilterArgs(node: NjNode): NjNode[];
  parseAggregate(): NjNode | null;
  parseSignature(tolerant?: boolean, noParens?: boolean): NjNodeList | null;
  parseUntilBlocks(...names: string[]): NjNodeList;
  parseFor(): NjNode;
  parseSet(): NjNode;
  parseInclude(): NjNode;
  parseImport(): NjNode;
  parseWithContext(): boolean | null;
  parseAsRoot(): NjNode;
  parseRaw(tagName?: string): NjNode;
}

/** Constructor of the Nunjucks parser. */
export type NjParserClass = new (tokens: NjTokenizer) => NjParser;

/** A compile-time or run-time scope frame (runtime.Frame). */
export interface NjFrame {
  variables: Record<string, unknown>;
  parent: NjFrame | undefined;
  topLevel: boolean;
  isolateWrites: boolean;
  set(name: string, val: unknown, resolveUp?: boolean): void;
  lookup(name: string): unknown;
  resolve(name: string, forWrite?: boolean): NjFrame | undefined;
  push(isolateWrites?: boolean): NjFrame;
  pop(): NjFrame | undefined;
}

/** The Nunjucks code generator (compiler.Compiler). */
export interface NjCompiler {
  templateName: string | null;
  codebuf: string[];
  buffer: string | null;
  _emit(code: string): void;
  _emitLine(code: string): void;
  _emitLines(...lines: string[]): void;
  _tmpid(): string;
  _templateName(): string;
  _pushBuffer(): string;
  _popBuffer(): void;
  _withScopedSyntax(func: () => void): void;
  _makeCallback(res?: string): string;
  _addScopeLevel(): void;
  _compileExpression(node: NjNode, frame: NjFrame): void;
  _compileAggregate(node: NjNode, frame: NjFrame, startChar?: string, endChar?: string): void;
  _compileMacro(node: NjNode, frame?: NjFrame): string;
  _emitFuncBegin(node: NjNode, name: string): void;
  _emitFuncEnd(noReturn?: boolean): void;
  _closeScopeLevels(): void;
  fail(msg: string, lineno?: number, colno?: number): never;
  compile(node: NjNode, frame?: NjFrame): void;
  assertType(node: NjNode, ...types: NjNodeClass[]): void;
  getCode(): string;
}

/** Constructor of the Nunjucks compiler. */
export type NjCompilerClass = new (templateName: string, throwOnUndefined: boolean) => NjCompiler;

/** A Nunjucks run-time template context (environment.Context). */
export interface NjContext {
  ctx: Record<string, unknown>;
  env: unknown;
  lookup(name: string): unknown;
  setVariable(name: string, val: unknown): void;
  getVariables(): Record<string, unknown>;
  addExport(name: string): void;
}

/** Nunjucks's TemplateError (lib.TemplateError). */
export interface NjTemplateError extends Error {
  lineno?: number;
  colno?: number;
  cause?: unknown;
}

/** The compiled form of one template: a root render function and block functions. */
export interface CompiledTemplate {
  root: (...args: unknown[]) => void;
  [block: string]: (...args: unknown[]) => void;
}

const lexer = require('nunjucks/src/lexer') as {
  lex(src: string, opts: object): NjTokenizer;
  [tokenType: string]: unknown;
};
const parserModule = require('nunjucks/src/parser') as { Parser: NjParserClass };
const compilerModule = require('nunjucks/src/compiler') as { Compiler: NjCompilerClass };
const transformer = require('nunjucks/src/transformer') as { transform(ast: NjNode, asyncFilters: string[], name?: string): NjNode };
const runtimeModule = require('nunjucks/src/runtime') as {
  Frame: new (parent?: NjFrame, isolateWrites?: boolean) => NjFrame;
  SafeString: new (val: string) => object;
  makeKeywordArgs(obj: object): object;
};
const libModule = require('nunjucks/src/lib') as { TemplateError: new (message: unknown, lineno?: number, colno?: number) => NjTemplateError };
const nodesModule = require('nunjucks/src/nodes') as NjNodes;

/** Token type names of the Nunjucks lexer. */
export const TOKEN = {
  STRING: lexer.TOKEN_STRING as string,
  WHITESPACE: lexer.TOKEN_WHITESPACE as string,
  DATA: lexer.TOKEN_DATA as string,
  BLOCK_START: lexer.TOKEN_BLOCK_START as string,
  BLOCK_END: lexer.TOKEN_BLOCK_END as string,
  VARIABLE_START: lexer.TOKEN_VARIABLE_START as string,
  VARIABLE_END: lexer.TOKEN_VARIABLE_END as string,
  COMMENT: lexer.TOKEN_COMMENT as string,
  LEFT_PAREN: lexer.TOKEN_LEFT_PAREN as string,
  RIGHT_PAREN: lexer.TOKEN_RIGHT_PAREN as string,
  LEFT_BRACKET: lexer.TOKEN_LEFT_BRACKET as string,
  RIGHT_BRACKET: lexer.TOKEN_RIGHT_BRACKET as string,
  LEFT_CURLY: lexer.TOKEN_LEFT_CURLY as string,
  RIGHT_CURLY: lexer.TOKEN_RIGHT_CURLY as string,
  OPERATOR: lexer.TOKEN_OPERATOR as string,
  COMMA: lexer.TOKEN_COMMA as string,
  COLON: lexer.TOKEN_COLON as string,
  TILDE: lexer.TOKEN_TILDE as string,
  PIPE: lexer.TOKEN_PIPE as string,
  INT: lexer.TOKEN_INT as string,
  FLOAT: lexer.TOKEN_FLOAT as string,
  BOOLEAN: lexer.TOKEN_BOOLEAN as string,
  NONE: lexer.TOKEN_NONE as string,
  SYMBOL: lexer.TOKEN_SYMBOL as string,
  REGEX: lexer.TOKEN_REGEX as string,
};

/** Create a tokenizer over template source (default delimiters, no trim/lstrip: Jinja's defaults). */
export function tokenize(src: string): NjTokenizer {
  return lexer.lex(src, {});
}

/** Nunjucks's parser class (subclassed by SaltParser). */
export const Parser = parserModule.Parser;
/** Nunjucks's code generator class (subclassed by SaltCompiler). */
export const Compiler = compilerModule.Compiler;
/** Nunjucks's scope frame class. */
export const Frame = runtimeModule.Frame;
/** Nunjucks's marked-safe string (Jinja's Markup); treated as a str. */
export const SafeString = runtimeModule.SafeString;
/** Nunjucks's AST node classes (Brine registers its own beside them). */
export const nodes = nodesModule;
/** Nunjucks's TemplateError, as its parser throws it. */
export const NunjucksTemplateError = libModule.TemplateError;
/** Nunjucks's AST transformer (run before compiling, as Nunjucks does). */
export const transform = transformer.transform;
