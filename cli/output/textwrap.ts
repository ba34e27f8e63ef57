/**
 * Python's `textwrap.fill` with its defaults (tabs expanded, whitespace turned into spaces,
 * words broken at hyphens and, when longer than a line, anywhere), as the highstate outputter
 * uses it for warnings.
 */
import { pyExpandTabs } from '../../common/python/text';

const WS = '[\\t\\n\\u000b\\u000c\\r ]';
const NOT_WS = '[^\\t\\n\\u000b\\u000c\\r ]';
const WORD_PUNCT = '[\\p{L}\\p{N}_!"\'&.,?]';
const LETTER = '[\\p{L}\\p{Nl}\\p{No}_]';
const WORD = '[\\p{L}\\p{N}_]';

/**
 * Chunks: runs of whitespace; em-dashes between words; words, cut after a hyphen that joins two
 * letters to letters (`long-term` -> `long-`, `term`).
 */
const CHUNK = new RegExp(
  `(${WS}+` +
    `|(?<=${WORD_PUNCT})-{2,}(?=${WORD})` +
    `|${NOT_WS}+?(?:-(?:(?<=${LETTER}{2}-)|(?<=${LETTER}-${LETTER}-))(?=${LETTER}-?${LETTER})|(?=${WS}|$)|(?<=${WORD_PUNCT})(?=-{2,}${WORD})))`,
  'u',
);

const len = (s: string): number => [...s].length;

function splitChunks(text: string): string[] {
  const munged = pyExpandTabs(text).replace(/[\t\n\u000b\u000c\r]/g, ' ');
  return munged.split(new RegExp(CHUNK.source, 'u')).filter((c) => c !== '');
}

const isBlank = (s: string): boolean => s.trim() === '';

/** Python `textwrap.fill(text, width, initial_indent=, subsequent_indent=)`. */
export function textFill(text: string, width: number, initialIndent: string, subsequentIndent: string): string {
  const chunks = splitChunks(text).reverse();
  const lines: string[] = [];
  while (chunks.length > 0) {
    const line: string[] = [];
    let lineLength = 0;
    const indent = lines.length > 0 ? subsequentIndent : initialIndent;
    const room = width - len(indent);
    if (isBlank(chunks[chunks.length - 1]) && lines.length > 0) chunks.pop();
    while (chunks.length > 0) {
      const size = len(chunks[chunks.length - 1]);
      if (lineLength + size > room) break;
      line.push(chunks.pop() as string);
      lineLength += size;
    }
    if (chunks.length > 0 && len(chunks[chunks.length - 1]) > room) {
      breakLongWord(chunks, line, lineLength, room);
    }
    if (line.length > 0 && isBlank(line[line.length - 1])) line.pop();
    if (line.length > 0) lines.push(indent + line.join(''));
  }
  return lines.join('\n');
}

function breakLongWord(chunks: string[], line: string[], lineLength: number, room: number): void {
  const spaceLeft = room < 1 ? 1 : room - lineLength;
  const chunk = [...chunks[chunks.length - 1]];
  let end = spaceLeft;
  if (chunk.length > spaceLeft) {
    const hyphen = chunk.slice(0, spaceLeft).lastIndexOf('-');
    if (hyphen > 0 && chunk.slice(0, hyphen).some((c) => c !== '-')) end = hyphen + 1;
  }
  line.push(chunk.slice(0, end).join(''));
  chunks[chunks.length - 1] = chunk.slice(end).join('');
}
