/** Salt's `batch`: a number of minions, or a percentage of the targeted ones, at a time. */

/** Split `minions` into batches as `batch` says (`2`, `'2'`, `'50%'`); an error text for a bad value. */
export function splitBatches(minions: readonly string[], batch: unknown): string[][] | { error: string } {
  const text = String(batch).trim();
  let size: number;
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (pct) size = Math.max(1, Math.ceil((Number(pct[1]) / 100) * minions.length));
  else if (/^\d+$/.test(text)) size = Number(text);
  else return { error: `Invalid batch value ${JSON.stringify(batch)}: a number of minions or a percentage like '25%'` };
  if (size < 1) return { error: `Invalid batch value ${JSON.stringify(batch)}: must be at least 1` };
  const out: string[][] = [];
  for (let i = 0; i < minions.length; i += size) out.push(minions.slice(i, i + size));
  return out;
}
