/** Reading the mysql client's batch output (`mysql -N -B -e "SHOW STATUS LIKE ..."`). */

/** `name<TAB>value` lines as a map (SHOW STATUS / SHOW VARIABLES in batch mode without column names). */
export function parseStatusRows(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab <= 0) continue;
    out.set(line.slice(0, tab).trim(), line.slice(tab + 1).trim());
  }
  return out;
}

/** The rows of a one-column query in batch mode (one value per line, no header). */
export function parseColumn(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}
