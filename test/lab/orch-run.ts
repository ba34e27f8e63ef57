/**
 * Running an orchestration on the lab as an operator would (`brine orch run NAME --pillar ...`
 * on the master's side), its plain display followed live and echoed, and its result read back
 * from the job cache (`brine jobs show JID --out json`).
 */
import type { LabContext } from './context';
import { brineArgv } from './master';
import { parseOrchLine, type OrchLine } from './parse/orch-lines';
import { parseOrchResult, type OrchStep } from './parse/orch-result';
import { run } from './proc';
import { spawnLines, type Streamed } from './stream';

/** How a run went. */
export interface OrchOutcome {
  jid?: string;
  /** Exit status of the brine CLI. */
  code: number;
  /** The run's steps as the job cache holds them (empty when it could not be read). */
  steps: OrchStep[];
  /** The retcode the display printed at the end, if it did. */
  retcode?: number;
  ms: number;
}

/** Options of a run. */
export interface OrchRunOptions {
  pillar?: string;
  test?: boolean;
  /** Each display event, with the running CLI (a drill may act on it). */
  onEvent?: (e: OrchLine, cli: Streamed) => void;
  /** Prefix of the echoed display lines. */
  indent?: string;
}

/** Follow `args` (orch run / orch resume) until the CLI exits; the jid and retcode it printed. */
export async function followOrch(ctx: LabContext, args: readonly string[], opts: OrchRunOptions): Promise<{ jid?: string; code: number; retcode?: number }> {
  let jid: string | undefined;
  let retcode: number | undefined;
  const indent = opts.indent ?? '  ';
  const cli: Streamed = spawnLines(brineArgv(ctx.layout, ctx.project, args), (line) => {
    if (line.trim() !== '') ctx.log(`${indent}${line}`);
    const e = parseOrchLine(line);
    if (!e) return;
    if (e.kind === 'start') jid = e.jid;
    if (e.kind === 'finished') retcode = e.retcode;
    // called from the child's output events, always after spawnLines has returned
    opts.onEvent?.(e, cli);
  });
  const r = await cli.done;
  return { ...(jid ? { jid } : {}), code: r.code ?? 1, ...(retcode !== undefined ? { retcode } : {}) };
}

/** The steps of orchestration `jid` from the job cache. */
export async function orchSteps(ctx: LabContext, jid: string): Promise<OrchStep[]> {
  const r = await run(brineArgv(ctx.layout, ctx.project, ['jobs', 'show', jid, '--out', 'json']), { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`brine jobs show ${jid} exited ${r.code}: ${r.stderr.trim()}`);
  return parseOrchResult(r.stdout);
}

/** Run orchestration `name` and read its result. */
export async function runOrch(ctx: LabContext, name: string, opts: OrchRunOptions = {}): Promise<OrchOutcome> {
  const started = Date.now();
  const args = ['orch', 'run', name, ...(opts.pillar ? ['--pillar', opts.pillar] : []), ...(opts.test ? ['--test'] : [])];
  ctx.log(`brine ${args.map((a) => (/[\s"{}]/.test(a) ? `'${a}'` : a)).join(' ')}`);
  const f = await followOrch(ctx, args, opts);
  const steps = f.jid ? await orchSteps(ctx, f.jid).catch((e: Error) => {
    ctx.log(`could not read the result of ${f.jid}: ${e.message}`);
    return [];
  }) : [];
  return { ...f, steps, ms: Date.now() - started };
}
