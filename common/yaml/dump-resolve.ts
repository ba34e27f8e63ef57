/**
 * YAML 1.1 implicit typing as PyYAML's default resolver applies it. A string that a loader would
 * read back as another type (bool, int, float, null, timestamp, merge key, ...) cannot be written
 * as a plain scalar.
 */

/** The implicit types of PyYAML's resolver, written from the YAML 1.1 type repository. */
const IMPLICIT_TYPES: readonly RegExp[] = [
  // bool: y/n words are not booleans in PyYAML, only yes/no/true/false/on/off in three casings
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  // float: needs a dot (or is .inf/.nan); base 60 with a fraction
  /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  // int: binary, octal (leading 0), decimal, hex, base 60
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  // merge key
  /^<<$/,
  // null, including the empty string
  /^(?:~|null|Null|NULL|)$/,
  // timestamp: a date, or a date and time with optional fraction and zone
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/,
  // value key
  /^=$/,
  // the documentation-only "yaml" type
  /^(?:!|&|\*)$/,
];

/** Whether PyYAML's resolver would type `text`, read as a plain scalar, as something other than a string. */
export function resolvesAsNonString(text: string): boolean {
  // Python's `$` also matches just before a final newline.
  const candidates = text.endsWith('\n') ? [text, text.slice(0, -1)] : [text];
  return candidates.some((candidate) => IMPLICIT_TYPES.some((pattern) => pattern.test(candidate)));
}
