/**
 * AST nodes for Jinja constructs Nunjucks lacks or parses differently: attribute vs item
 * lookup, slices, tests (`is`), Jinja-scoped `for`/`set`, `do`, `with`, `break`/`continue`,
 * and Salt's `import_yaml`/`load_yaml` family. Registered on Nunjucks's node table so its
 * AST transformer can rebuild them like its own.
 */
import { nodes, type NjNodeClass } from './nunjucks-internals';

function define(name: string, fields: string[]): NjNodeClass {
  const existing = nodes[name];
  if (typeof existing === 'function') return existing as NjNodeClass;
  const cls = nodes.Node.extend(name, { fields });
  nodes[name] = cls;
  return cls;
}

/** `target.val` (dot: attribute first) or `target[val]` (item first). */
export const JLookup = define('JLookup', ['target', 'val', 'dot']);
/** `target[start:stop:step]`. */
export const JSlice = define('JSlice', ['target', 'start', 'stop', 'step']);
/** `target is name(args)`; `name` is a string, `args` a NodeList. */
export const JTest = define('JTest', ['target', 'name', 'args']);
/** `{% for targets in arr if cond %}body{% else %}else_{% endfor %}`; `targets` is a list of names. */
export const JFor = define('JFor', ['arr', 'targets', 'body', 'else_', 'cond']);
/** `{% set a, b = value %}`, `{% set ns.x = value %}` (attr), or a block set (body). */
export const JSet = define('JSet', ['targets', 'value', 'body', 'attr']);
/** `{% do expr %}`. */
export const JDo = define('JDo', ['expr']);
/** `{% with a = 1, b = 2 %}body{% endwith %}`; `names` is a list of names, `values` a NodeList. */
export const JWith = define('JWith', ['names', 'values', 'body']);
/** `{% break %}`. */
export const JBreak = define('JBreak', []);
/** `{% continue %}`. */
export const JContinue = define('JContinue', []);
/** `{% import_yaml 'file' as name %}` (kind yaml, json or text). */
export const JImportData = define('JImportData', ['kind', 'template', 'target', 'withContext']);
/** `{% load_yaml as name %}body{% endload %}` (kind yaml, json or text). */
export const JLoadData = define('JLoadData', ['kind', 'target', 'body']);
