/**
 * Reading an orchestration's result (`brine jobs show JID --out json`, or `brine orch run
 * --out json`): its steps in order, each with its verdict, duration, the minions that failed
 * and, per minion, which states changed something and how long its package states took.
 */

/** One minion's part in a step. */
export interface StepMinion {
  /** State tags that reported changes. */
  changed: string[];
  /** State tags that failed. */
  failed: string[];
  /** Milliseconds spent in pkg states (installs). */
  pkgMs: number;
  /** The minion did not answer. */
  noResponse: boolean;
}

/** One step of the orchestration. */
export interface OrchStep {
  tag: string;
  /** Its ID, e.g. "rabbitmq deploy". */
  id: string;
  result: boolean | null;
  status: 'ok' | 'changed' | 'failed' | 'skipped';
  comment: string;
  durationMs: number;
  /** Minions with changes or failures (minions without either are only named in the comment). */
  minions: Record<string, StepMinion>;
  /** Minions the comment names as failed ("Run failed on minions: a, b"). */
  failedMinions: string[];
}

type Rec = Record<string, unknown>;

function isRec(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStepMap(v: unknown): v is Rec {
  return isRec(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => k.includes('_|-'));
}

/** The step map in a parsed result document: `{master: {tag: step}}`, `{data: {master: ...}}` or the map itself. */
function findSteps(doc: unknown, depth = 0): Rec | undefined {
  if (isStepMap(doc)) return doc;
  if (!isRec(doc) || depth > 3) return undefined;
  for (const v of Object.values(doc)) {
    const found = findSteps(v, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function minionPart(data: unknown): StepMinion {
  const part: StepMinion = { changed: [], failed: [], pkgMs: 0, noResponse: false };
  if (!isRec(data)) {
    part.noResponse = true;
    return part;
  }
  for (const [tag, v] of Object.entries(data)) {
    if (!isRec(v)) continue;
    if (v.result === false) part.failed.push(tag);
    if (isRec(v.changes) && Object.keys(v.changes).length > 0) part.changed.push(tag);
    if (tag.startsWith('pkg_|-') && typeof v.duration === 'number') part.pkgMs += v.duration;
  }
  return part;
}

/** The steps of an orchestration result (JSON text), in the order they ran. */
export function parseOrchResult(text: string): OrchStep[] {
  const start = text.indexOf('{');
  if (start < 0) throw new Error(`no JSON in the orchestration result: ${text.trim().slice(0, 200)}`);
  const steps = findSteps(JSON.parse(text.slice(start)) as unknown);
  if (!steps) throw new Error('the orchestration result holds no steps');
  const out: Array<OrchStep & { run: number }> = [];
  for (const [tag, raw] of Object.entries(steps)) {
    if (!isRec(raw)) continue;
    const result = raw.result === true ? true : raw.result === false ? false : null;
    const comment = typeof raw.comment === 'string' ? raw.comment : '';
    const changes = isRec(raw.changes) ? raw.changes : {};
    const ret = isRec(changes.ret) ? changes.ret : {};
    const minions: Record<string, StepMinion> = {};
    for (const [m, data] of Object.entries(ret)) minions[m] = minionPart(data);
    const failedLine = /(?:Run failed on minions|failed on minions): (.*)$/m.exec(comment);
    const failedMinions = failedLine ? failedLine[1]!.split(',').map((s) => s.trim()).filter(Boolean).sort() : [];
    const skipped = result === false && /^One or more requisite failed/.test(comment);
    const status = result === false ? (skipped ? 'skipped' : 'failed') : Object.keys(changes).length > 0 ? 'changed' : 'ok';
    out.push({
      tag,
      id: typeof raw.__id__ === 'string' ? raw.__id__ : (tag.split('_|-')[1] ?? tag),
      result,
      status,
      comment,
      durationMs: typeof raw.duration === 'number' ? raw.duration : 0,
      minions,
      failedMinions,
      run: typeof raw.__run_num__ === 'number' ? raw.__run_num__ : out.length,
    });
  }
  return out.sort((a, b) => a.run - b.run).map(({ run: _run, ...s }) => s);
}

/** Per minion, the time its package states took over all steps (ms). */
export function packageTime(steps: readonly OrchStep[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of steps) for (const [m, p] of Object.entries(s.minions)) out[m] = (out[m] ?? 0) + p.pkgMs;
  return out;
}
