/**
 * Minion ids Brine must never accept (Salt's CVE-2017-12791 and NATS subject abuse): path
 * traversal, separators, subject wildcards, blanks, control characters, empty and
 * dot-only tokens, and ids longer than 255 characters.
 */
export const HOSTILE_IDS: readonly string[] = [
  '..',
  '.',
  '../evil',
  'a/../../evil',
  'a/b',
  '/abs',
  'back\\slash',
  '*',
  'ctrl-*',
  '>',
  'a.>',
  'has space',
  ' lead',
  'tab\tid',
  'new\nline',
  'ctl\u0007',
  'nul\u0000x',
  'del\u007f',
  'a..b',
  'trail.',
  '.lead',
  'x'.repeat(300),
  '',
];
