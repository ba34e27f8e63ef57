/**
 * Publishing a job: resolve the target over the accepted minions, store the job, then for each
 * expected minion render what it needs (its pillar, its compiled states) and send it signed by
 * the master and sealed for that minion alone, on that minion's own subject.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { ValidationError } from '../../common/errors';
import type { Logger } from '../../common/log';
import { TARGET_TYPES, type TargetType } from '../../common/match/index';
import { publishChunked } from '../../common/nats/chunked';
import type { JobPayload, MasterCommand, MasterCommandReply } from '../../common/protocol/messages';
import { jobSubject, MASTER_ID } from '../../common/protocol/subjects';
import type { Dict } from '../../common/types';
import { createBoxEnvelope } from '../../common/wire/envelope';
import type { PrivateKeys } from '../../common/wire/keys';
import { newJid, type JobCache } from '../jobcache/index';
import type { MinionKeyStore } from '../pki/store';
import { resolveTargets, type RegistryMinion } from '../registry/index';
import type { EventPublisher } from './event-publisher';
import type { MinionRenderer } from './render-contract';
import { COMPILED_STATE_FUNCTIONS, needsPillar, stateJobArgs } from './state-request';
import type { JobTracker } from './tracker';

/** A job is valid on the wire for this long after it is sent (plus the allowed clock skew). */
const JOB_TTL_MS = 120_000;
/** Jobs rendered and sent at once. */
const SEND_CONCURRENCY = 64;
/** Jobs with nothing to render handed to the connection per turn of the event loop. */
const SEND_BATCH = 256;
/** Longest silence a job may allow its minions (seconds). */
const MAX_TIMEOUT_S = 86_400;
const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

/** What the dispatcher works with. */
export interface DispatcherDeps {
  nc: NatsConnection;
  cache: JobCache;
  keys: MinionKeyStore;
  tracker: JobTracker;
  events: EventPublisher;
  renderer: MinionRenderer;
  /** The master's private keys: jobs are boxed with the X25519 one. */
  masterKeys: Pick<PrivateKeys, 'decrypt'>;
  nodegroups: Record<string, string | string[]>;
  log: Logger;
  /** Called when a minion's return is known without asking it (render errors). */
  onLocalReturn: (jid: string, minion: string, data: unknown, retcode: number) => Promise<void>;
  /** Called when a job is stored, before anything is sent. */
  onJobCreated: (jid: string, expected: string[]) => void;
}

/** Resolves targets and sends jobs. */
export class JobDispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  /** The accepted minions with the grains they reported (each minion's parsed only when a target or a render reads it). */
  registry(): RegistryMinion[] {
    const grains = this.deps.cache.grainsTexts();
    return this.deps.keys.list().minions.map((id) => new KnownMinion(id, grains.get(id)));
  }

  /**
   * Handle a `publish` command: the reply is sent once the job is stored; minions are sent their
   * jobs after. `parentJid` makes the job a step of that orchestration.
   */
  async publish(cmd: Extract<MasterCommand, { op: 'publish' }>, opts: { parentJid?: string } = {}): Promise<MasterCommandReply> {
    if (!FUNCTION_NAME.test(cmd.fun)) return { ok: false, error: `invalid function name ${JSON.stringify(cmd.fun)}` };
    if (!(TARGET_TYPES as readonly string[]).includes(cmd.tgtType)) return { ok: false, error: `unknown target type ${JSON.stringify(cmd.tgtType)}` };
    if (!(cmd.timeout > 0 && cmd.timeout <= MAX_TIMEOUT_S)) return { ok: false, error: `timeout must be between 0 and ${MAX_TIMEOUT_S} seconds, got ${cmd.timeout}` };
    const tgtType = cmd.tgtType as TargetType;
    let state: ReturnType<typeof stateJobArgs> | undefined;
    if (COMPILED_STATE_FUNCTIONS.has(cmd.fun)) {
      state = stateJobArgs(cmd.fun, cmd.args, cmd.kwargs);
      if ('error' in state) return { ok: false, error: state.error };
    }
    const resolved = await this.resolveWithGrains(cmd.tgt, tgtType);
    if ('error' in resolved) return { ok: false, error: resolved.error };
    const { matched, missing, minions } = resolved;
    if (matched.length === 0) return { ok: true, op: 'publish', jid: '', expected: [], missing };
    const jid = newJid();
    this.deps.cache.createJob({ jid, fun: cmd.fun, args: cmd.args, kwargs: cmd.kwargs, tgt: cmd.tgt, tgtType, user: cmd.user, expected: matched, ...(opts.parentJid ? { parentJid: opts.parentJid } : {}) });
    this.deps.onJobCreated(jid, matched);
    this.deps.tracker.track(jid, matched, cmd.timeout * 1000);
    await this.deps.events.job({ type: 'new', jid, fun: cmd.fun, tgt: cmd.tgt, tgtType, expected: matched, missing, at: Date.now() }, `${jid}.new`);
    this.deps.log.info(`Job ${jid}: ${cmd.fun} to ${matched.length} minion(s)`);
    // grains only serve to render pillar or states, and only the targeted minions': a job waiting
    // to be sent keeps no copy of every minion's grains (under load, thousands of jobs wait)
    const targeted = new Set(matched);
    const renders = state !== undefined || needsPillar(cmd.fun);
    const grains = new Map(renders ? minions.filter((m) => targeted.has(m.id)).map((m) => [m.id, m.grains]) : []);
    const progressIntervalMs = Math.max(200, Math.min(5000, Math.floor((cmd.timeout * 1000) / 3)));
    // after the reply has gone out: the CLI starts following the job while the jobs are sent
    setImmediate(() => void this.sendAll(jid, cmd, matched, grains, state && !('error' in state) ? state : undefined, progressIntervalMs));
    return { ok: true, op: 'publish', jid, expected: matched, missing };
  }

  /** The accepted minions a target selects (and the ids a list names that are not known); an error text for a bad target. */
  async resolve(tgt: string | string[], tgtType: string): Promise<{ matched: string[]; missing: string[] } | { error: string }> {
    if (!(TARGET_TYPES as readonly string[]).includes(tgtType)) return { error: `unknown target type ${JSON.stringify(tgtType)}` };
    const r = await this.resolveWithGrains(tgt, tgtType as TargetType);
    return 'error' in r ? r : { matched: r.matched, missing: r.missing };
  }

  private async resolveWithGrains(tgt: string | string[], tgtType: TargetType): Promise<{ matched: string[]; missing: string[]; minions: RegistryMinion[] } | { error: string }> {
    let minions = this.registry();
    if (usesPillar(tgt, tgtType)) minions = await this.withPillar(minions);
    try {
      const { matched, missing } = resolveTargets(tgt, tgtType, minions, { nodegroups: this.deps.nodegroups });
      return { matched, missing, minions };
    } catch (e) {
      if (e instanceof ValidationError) return { error: e.message };
      throw e;
    }
  }

  private async sendAll(
    jid: string,
    cmd: Extract<MasterCommand, { op: 'publish' }>,
    ids: string[],
    grains: Map<string, Dict>,
    state: Exclude<ReturnType<typeof stateJobArgs>, { error: string }> | undefined,
    progressIntervalMs: number,
  ): Promise<void> {
    if (state === undefined && !needsPillar(cmd.fun)) {
      // nothing to render: jobs are sealed and handed to the connection a batch at a time, so
      // that nats.js writes each batch in one go instead of one socket write per minion
      for (let i = 0; i < ids.length; i += SEND_BATCH) {
        for (const id of ids.slice(i, i + SEND_BATCH)) {
          try {
            this.seal(jid, id, plainPayload(jid, cmd, progressIntervalMs));
          } catch (e) {
            await this.couldNotSend(jid, id, e);
          }
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      return;
    }
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++];
        try {
          await this.sendOne(jid, cmd, id, grains.get(id) ?? {}, state, progressIntervalMs);
        } catch (e) {
          await this.couldNotSend(jid, id, e);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, ids.length) }, worker));
  }

  private async sendOne(
    jid: string,
    cmd: Extract<MasterCommand, { op: 'publish' }>,
    id: string,
    grains: Dict,
    state: Exclude<ReturnType<typeof stateJobArgs>, { error: string }> | undefined,
    progressIntervalMs: number,
  ): Promise<void> {
    const payload = plainPayload(jid, cmd, progressIntervalMs);
    if (state || needsPillar(cmd.fun)) {
      const rendered = await this.deps.renderer.render({
        id,
        grains,
        kind: state ? 'states' : 'pillar',
        test: state?.test ?? false,
        snapshot: jid,
        ...(state?.mods ? { mods: state.mods } : {}),
        ...(state?.pillarOverride ? { pillarOverride: state.pillarOverride } : {}),
        ...(state?.saltenv ? { saltenv: state.saltenv } : {}),
        ...(state?.exclude ? { exclude: state.exclude } : {}),
      });
      if (!rendered.ok) {
        if (state) {
          // Salt returns render and compile errors as the minion's result (retcode 1): no need to ask the minion
          await this.deps.onLocalReturn(jid, id, rendered.errors, 1);
          return;
        }
        payload.errors = rendered.errors;
      } else {
        payload.pillar = rendered.pillar;
        if (rendered.states) payload.states = rendered.states;
      }
    }
    this.seal(jid, id, payload);
  }

  /** Box `payload` for minion `id` and publish it on its subject. */
  private seal(jid: string, id: string, payload: JobPayload): void {
    const recipient = this.deps.keys.publicKeysOf(id);
    if (!recipient) throw new Error(`the key of ${id} is no longer accepted`);
    const bytes = createBoxEnvelope({ kind: 'job', from: MASTER_ID, to: id, jid, ttlMs: JOB_TTL_MS, payload, sender: this.deps.masterKeys, recipient });
    publishChunked(this.deps.nc, jobSubject(id), bytes);
    this.deps.tracker.heard(jid, id);
  }

  private async couldNotSend(jid: string, id: string, e: unknown): Promise<void> {
    this.deps.log.error(`Job ${jid}: could not send to ${id}: ${(e as Error).message}`);
    await this.deps.onLocalReturn(jid, id, `The master could not send the job: ${(e as Error).message}`, 1);
  }

  private async withPillar(minions: RegistryMinion[]): Promise<RegistryMinion[]> {
    return Promise.all(
      minions.map(async (m) => {
        const r = await this.deps.renderer.render({ id: m.id, grains: m.grains, kind: 'pillar', test: false });
        return { id: m.id, grains: m.grains, pillar: r.ok ? r.pillar : {} };
      }),
    );
  }
}

/** A job's payload before anything rendered for its minion (pillar, states) is added. */
function plainPayload(jid: string, cmd: Extract<MasterCommand, { op: 'publish' }>, progressIntervalMs: number): JobPayload {
  return { jid, fun: cmd.fun, args: cmd.args, kwargs: cmd.kwargs, progressIntervalMs };
}

/** An accepted minion whose grains are parsed from their stored JSON on first use. */
class KnownMinion implements RegistryMinion {
  private parsed: Dict | undefined;

  constructor(
    readonly id: string,
    private readonly grainsJson: string | undefined,
  ) {}

  get grains(): Dict {
    this.parsed ??= this.grainsJson === undefined ? {} : (JSON.parse(this.grainsJson) as Dict);
    return this.parsed;
  }
}

/** Whether resolving the target needs every minion's pillar (-I, or I@/J@ in a compound). */
function usesPillar(tgt: string | string[], tgtType: TargetType): boolean {
  if (tgtType === 'pillar' || tgtType === 'pillar_pcre' || tgtType === 'pillar_exact') return true;
  if (tgtType !== 'compound') return false;
  const text = Array.isArray(tgt) ? tgt.join(' ') : tgt;
  return /(^|[\s(])[IJ]@/.test(text);
}
