/** The fleet-scale figures as the README's table: what, the target, today's figure, the peer's. */

/** One row of the table. */
export interface ScaleRow {
  what: string;
  target: string;
  figure: string;
  peer: string;
  /** Whether the target is met (undefined: not measured). */
  met?: boolean;
}

/** The rows as a Markdown table with a verdict column. */
export function scaleTable(rows: readonly ScaleRow[]): string {
  const lines = ['| what | target | measured | met | peer |', '|---|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.what} | ${r.target} | ${r.figure} | ${r.met === undefined ? 'not measured' : r.met ? 'yes' : 'NO'} | ${r.peer} |`);
  return lines.join('\n');
}

/** Seconds with one decimal (ms below one second). */
export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
