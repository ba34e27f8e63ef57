/**
 * What the display knows about one orchestration run, built from its events: the steps in run
 * order with their status, per-minion progress, timing and (at the end) Salt's return.
 */
import type { MinionProgress, OrchEvent, OrchStepInfo, OrchStepStatus } from '../../common/protocol/orch';
import { ORCH_RETURN_ID } from '../../common/protocol/orch';
import { asDict, parseStateTag, statusOfReturn, type Dict } from './salt-return';

/** A step as the display shows it. */
export interface StepView {
  info: OrchStepInfo;
  status: OrchStepStatus;
  /** Per-minion progress, in the order the master reported the minions. */
  minions: Record<string, MinionProgress>;
  stepJid?: string;
  comment?: string;
  result?: boolean | null;
  startedAt?: number;
  /** When the step's final status arrived. */
  endedAt?: number;
  /** Listed in `orch-start.finished` of a resumed run: it ended in an earlier run. */
  finishedEarlier: boolean;
  /** Salt's state return of the step, from `orch-done`. */
  ret?: Dict;
}

/** Whether a status is final. */
export function isFinal(status: OrchStepStatus): boolean {
  return status === 'ok' || status === 'changed' || status === 'failed' || status === 'skipped';
}

/** Sum of states done and to do over a step's minions. */
export function stateCounts(step: StepView): { done: number; total: number } {
  let done = 0;
  let total = 0;
  for (const m of Object.values(step.minions)) {
    done += m.done;
    total += m.total;
  }
  return { done, total };
}

/** How long a step ran (ms), when known; none for a skipped step. */
export function stepDuration(step: StepView): number | undefined {
  if (step.status === 'skipped') return undefined;
  if (step.startedAt !== undefined && step.endedAt !== undefined) return Math.max(0, step.endedAt - step.startedAt);
  const d = step.ret?.duration;
  return typeof d === 'number' && Number.isFinite(d) ? d : undefined;
}

/** The state of a whole run. */
export class OrchRunModel {
  jid?: string;
  name?: string;
  test = false;
  resumed = false;
  startedAt?: number;
  doneAt?: number;
  retcode?: number;
  /** Errors of the orchestration itself (Salt returns a list of strings when the SLS does not compile). */
  errors: string[] = [];
  readonly steps: StepView[] = [];
  private readonly byTag = new Map<string, StepView>();

  /** Whether `orch-done` arrived. */
  get done(): boolean {
    return this.doneAt !== undefined;
  }

  /** The step with state tag `tag`, if known. */
  step(tag: string): StepView | undefined {
    return this.byTag.get(tag);
  }

  /** Apply one event; returns the steps it touched (in run order). */
  apply(event: OrchEvent): StepView[] {
    switch (event.type) {
      case 'orch-start':
        return this.start(event);
      case 'orch-step':
        return [this.stepEvent(event)];
      case 'orch-done':
        return this.finish(event);
    }
  }

  private start(event: Extract<OrchEvent, { type: 'orch-start' }>): StepView[] {
    this.jid = event.jid;
    this.name = event.name;
    this.test = event.test;
    this.resumed = event.resumed;
    this.startedAt ??= event.at;
    const earlier = new Set(event.finished);
    return event.steps.map((info) => {
      const step = this.ensure(info.tag, info);
      step.info = info;
      if (earlier.has(info.tag) && !isFinal(step.status)) step.finishedEarlier = true;
      return step;
    });
  }

  private stepEvent(event: Extract<OrchEvent, { type: 'orch-step' }>): StepView {
    this.jid ??= event.jid;
    this.startedAt ??= event.at;
    const step = this.ensure(event.tag);
    step.status = event.status;
    if (event.minions) step.minions = { ...event.minions };
    if (event.stepJid !== undefined) step.stepJid = event.stepJid;
    if (event.comment !== undefined) step.comment = event.comment;
    if (event.result !== undefined) step.result = event.result;
    if (event.startedAt !== undefined) step.startedAt = event.startedAt;
    else if (event.status === 'running') step.startedAt ??= event.at;
    if (isFinal(event.status)) {
      step.endedAt = event.at;
      step.finishedEarlier = false;
    }
    return step;
  }

  private finish(event: Extract<OrchEvent, { type: 'orch-done' }>): StepView[] {
    this.jid ??= event.jid;
    this.doneAt = event.at;
    this.retcode = event.retcode;
    const data = event.data as Record<string, unknown>;
    const returns: unknown = data[ORCH_RETURN_ID] ?? Object.values(data)[0];
    if (Array.isArray(returns)) {
      this.errors = returns.map((e) => String(e));
      return [];
    }
    const touched: StepView[] = [];
    for (const [tag, value] of Object.entries(asDict(returns) ?? {})) {
      const ret = asDict(value);
      if (!ret) continue;
      const step = this.ensure(tag);
      step.ret = ret;
      if (step.comment === undefined && typeof ret.comment === 'string') step.comment = ret.comment;
      if (step.result === undefined && (typeof ret.result === 'boolean' || ret.result === null)) step.result = ret.result;
      if (!isFinal(step.status)) {
        step.status = statusOfReturn(ret);
        step.finishedEarlier = false;
        touched.push(step);
      }
    }
    return touched;
  }

  private ensure(tag: string, info?: OrchStepInfo): StepView {
    let step = this.byTag.get(tag);
    if (!step) {
      step = { info: info ?? infoFromTag(tag), status: 'waiting', minions: {}, finishedEarlier: false };
      this.byTag.set(tag, step);
      this.steps.push(step);
    }
    return step;
  }
}

/** A step's ID and function from its tag, for steps the display learns of without `orch-start`. */
function infoFromTag(tag: string): OrchStepInfo {
  const parts = parseStateTag(tag);
  if (!parts) return { id: tag, tag, fun: '' };
  return { id: parts.id, tag, fun: `${parts.mod}.${parts.fun}` };
}
