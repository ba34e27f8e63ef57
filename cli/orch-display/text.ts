/**
 * Small text helpers of the orchestration display: timestamps, durations, counts, and making
 * data (step IDs, comments, command output) safe to print on one line or as a block.
 */

/** ISO-8601 UTC timestamp of `ms` since the epoch (`2026-11-22T03:50:01.123Z`). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** A duration for people: `850 ms`, `12.3 s`, `1m 02s`, `1h 02m 03s`. */
export function formatDuration(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < 1000) return `${Math.round(safe)} ms`;
  if (safe < 60_000) return `${(Math.floor(safe / 100) / 10).toFixed(1)} s`;
  const total = Math.floor(safe / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const ss = String(seconds).padStart(2, '0');
  if (hours === 0) return `${minutes}m ${ss}s`;
  return `${hours}h ${String(minutes).padStart(2, '0')}m ${ss}s`;
}

/** `1 minion`, `3 minions`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Line breaks as `\n` only (a lone `\r` would rewrite the line on a terminal). */
function normaliseBreaks(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** Text for one line: no line breaks, no control characters (ESC becomes `?`, as Salt does). */
export function oneLine(text: string): string {
  return normaliseBreaks(text)
    .replace(/[\n\t]/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** Multi-line text that cannot drive the terminal: `\n` breaks, no other control characters but tabs. */
export function safeBlock(text: string): string {
  return normaliseBreaks(text).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
}

/** The first line of a comment, made safe for one line. */
export function firstLine(text: string | undefined): string {
  if (!text) return '';
  return oneLine(normaliseBreaks(text).split('\n')[0] ?? '').trim();
}

/** Cut `text` to `width` characters, ending with `…` when cut. */
export function cut(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
}

/** `a, b, c` with at most `max` names, then `+N more`. */
export function nameList(names: readonly string[], max: number): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} +${names.length - max} more`;
}

/** Lines of `value` after a label column: the first line follows the label, the others are indented to it. */
export function labelled(indent: number, label: string, value: string, labelWidth = 12): string[] {
  const pad = ' '.repeat(indent);
  const lines = safeBlock(value).replace(/\n+$/, '').split('\n');
  const head = `${pad}${label.padStart(labelWidth)}: `;
  const cont = ' '.repeat(head.length);
  return lines.map((line, i) => (i === 0 ? head + line : cont + line));
}
