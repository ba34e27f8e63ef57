/** Reading `brine jobs list --out json` (jobs keyed by jid, as salt-run jobs.list_jobs prints them). */

/** One job of the list. */
export interface ListedJob {
  jid: string;
  fun: string;
  /** Positional arguments (the SLS for state.sls). */
  args: string[];
  status: string;
  expected: number;
  answered: number;
  failed: number;
  noResponse: number;
  running: number;
}

type Rec = Record<string, unknown>;

function isRec(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The jobs in `brine jobs list --out json`, oldest first. */
export function parseJobsList(text: string): ListedJob[] {
  const start = text.indexOf('{');
  const doc = start < 0 ? {} : (JSON.parse(text.slice(start)) as unknown);
  if (!isRec(doc)) throw new Error('brine jobs list: not a JSON object');
  const out: ListedJob[] = [];
  for (const [jid, raw] of Object.entries(doc)) {
    if (!isRec(raw)) continue;
    const r = isRec(raw.Returns) ? raw.Returns : {};
    const n = (k: string): number => (typeof r[k] === 'number' ? r[k] : 0);
    out.push({
      jid,
      fun: String(raw.Function ?? ''),
      args: Array.isArray(raw.Arguments) ? raw.Arguments.filter((a): a is string => typeof a === 'string') : [],
      status: String(raw.Status ?? ''),
      expected: n('expected'),
      answered: n('answered'),
      failed: n('failed'),
      noResponse: n('no_response'),
      running: n('running'),
    });
  }
  return out.sort((a, b) => (a.jid < b.jid ? -1 : a.jid > b.jid ? 1 : 0));
}
