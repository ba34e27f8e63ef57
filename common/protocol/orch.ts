/**
 * Orchestration over the bus: what the CLI asks the master (`brine orch run|resume`), and the
 * events the master's orchestration runner publishes on brine.evt.orch.<jid>.<type> (kind 'evt',
 * sealed for the operator), which the CLI turns into its live display.
 */

/** Where a step stands. */
export type OrchStepStatus = 'waiting' | 'running' | 'ok' | 'changed' | 'failed' | 'skipped';

/** A step as the display lists it (in the order the orchestration runs them). */
export interface OrchStepInfo {
  /** The state ID (`rabbitmq deploy`). */
  id: string;
  /** Salt's key: `salt_|-rabbitmq deploy_|-rabbitmq deploy_|-state`. */
  tag: string;
  /** `salt.state`, `salt.function`, `test.succeed_with_changes`, ... */
  fun: string;
}

/** Per-minion progress of a step: states done of total (0/0 for plain functions). */
export interface MinionProgress {
  done: number;
  total: number;
  /** 'running' until it answers; then 'ok' or 'failed'; 'no-response' when given up on. */
  state: 'waiting' | 'running' | 'ok' | 'failed' | 'no-response';
}

/** Events of one orchestration run. */
export type OrchEvent =
  | { type: 'orch-start'; jid: string; name: string; test: boolean; steps: OrchStepInfo[]; resumed: boolean; finished: string[]; at: number }
  | {
      type: 'orch-step';
      jid: string;
      tag: string;
      status: OrchStepStatus;
      /** The job the step published (salt.state / salt.function), once it has one. */
      stepJid?: string;
      /** Per-minion progress, for running and finished steps that target minions. */
      minions?: Record<string, MinionProgress>;
      /** Salt's comment, when the step is over. */
      comment?: string;
      /** The step's Salt result (true, false, or null in test mode with changes), when over. */
      result?: boolean | null;
      /** When the step started, for elapsed times (ms since the epoch). */
      startedAt?: number;
      at: number;
    }
  | {
      type: 'orch-done';
      jid: string;
      /** Salt's orchestration return: `{ "<master>_master": { "<tag>": state return, ... } }`. */
      data: Record<string, Record<string, unknown>>;
      retcode: number;
      at: number;
    };

/** The subject of an orchestration event. */
export function orchEventSubject(jid: string, type: string): string {
  return `brine.evt.orch.${jid}.${type}`;
}

/** Filter of every event of orchestration `jid`. */
export function orchEventsFilter(jid: string): string {
  return `brine.evt.orch.${jid}.>`;
}

/** The key Salt gives the master in an orchestration return (`<master id>_master`). */
export const ORCH_RETURN_ID = 'master_master';
