/**
 * The JetStream streams that make returns and events survive a master restart:
 * BRINE_RETURNS (`brine.ret.>`) and BRINE_EVENTS (`brine.evt.>`), file storage, limits by age
 * and size, one copy or several on a JetStream cluster (`replicas`). Creating them is
 * idempotent: an existing stream is left alone when it matches and updated when its limits
 * differ, its replica count included (JetStream scales a clustered stream, and its
 * consumers, up or down in place).
 */
import { JetStreamApiError, JetStreamApiCodes, DiscardPolicy, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { NatsSetupError } from './errors';

/** Stream names and subjects. */
export const RETURNS_STREAM = 'BRINE_RETURNS';
export const RETURNS_SUBJECTS = 'brine.ret.>';
export const EVENTS_STREAM = 'BRINE_EVENTS';
export const EVENTS_SUBJECTS = 'brine.evt.>';

/** Limits of one stream. */
export interface StreamLimits {
  /** Messages older than this are removed (default 7 days). */
  maxAgeMs?: number;
  /** Oldest messages are removed beyond this size (default 1 GiB for returns, 256 MiB for events; -1 = unlimited). */
  maxBytes?: number;
  /** Largest message stored (default -1: the server's max_payload). */
  maxMsgSize?: number;
  /** Window in which a repeated message id is stored once (default 2 minutes). */
  duplicateWindowMs?: number;
  /** Copies in a JetStream cluster (default 1; more needs a cluster of at least that many servers). */
  replicas?: number;
}

/** What ensureStream did. */
export type EnsureResult = 'created' | 'updated' | 'unchanged';

const DAY_MS = 24 * 3600 * 1000;

/** The configuration of one stream with its limits (defaults filled in). */
export function streamConfig(name: string, subjects: string[], limits: StreamLimits, defaultMaxBytes: number): Partial<StreamConfig> & { name: string } {
  return {
    name,
    subjects,
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(limits.maxAgeMs ?? 7 * DAY_MS),
    max_bytes: limits.maxBytes ?? defaultMaxBytes,
    max_msg_size: limits.maxMsgSize ?? -1,
    duplicate_window: nanos(limits.duplicateWindowMs ?? 2 * 60 * 1000),
    num_replicas: limits.replicas ?? 1,
  };
}

function isApiError(e: unknown, code: number): boolean {
  return e instanceof JetStreamApiError && e.code === code;
}

const COMPARED = ['max_age', 'max_bytes', 'max_msg_size', 'duplicate_window', 'num_replicas', 'discard'] as const;

function differs(current: StreamConfig, wanted: Partial<StreamConfig>): boolean {
  const sortedSubjects = (s: string[] | undefined) => [...(s ?? [])].sort().join('\n');
  if (sortedSubjects(current.subjects) !== sortedSubjects(wanted.subjects)) return true;
  return COMPARED.some((k) => wanted[k] !== undefined && current[k] !== wanted[k]);
}

function replicasNote(replicas: number | undefined): string {
  return replicas !== undefined && replicas > 1 ? ` with ${replicas} replicas (which needs a JetStream cluster of at least ${replicas} servers)` : '';
}

/** Create `wanted`, or update the existing stream of that name when its settings differ (its replica count included). */
export async function ensureStream(jsm: JetStreamManager, wanted: Partial<StreamConfig> & { name: string }): Promise<EnsureResult> {
  for (let attempt = 0; ; attempt++) {
    let current: StreamConfig;
    try {
      current = (await jsm.streams.info(wanted.name)).config;
    } catch (e) {
      if (!isApiError(e, JetStreamApiCodes.StreamNotFound)) throw e;
      try {
        await jsm.streams.add(wanted);
      } catch (addError) {
        // created meanwhile by another master: look again
        if (attempt < 2 && addError instanceof JetStreamApiError && /already in use/i.test(addError.message)) continue;
        throw new NatsSetupError(`cannot create JetStream stream ${wanted.name}${replicasNote(wanted.num_replicas)}: ${(addError as Error).message}`);
      }
      return 'created';
    }
    for (const fixed of ['storage', 'retention'] as const) {
      if (wanted[fixed] !== undefined && current[fixed] !== wanted[fixed]) {
        throw new NatsSetupError(
          `JetStream stream ${wanted.name} has ${fixed} ${current[fixed]}, not ${wanted[fixed]}, which cannot be changed; delete the stream (nats stream rm ${wanted.name}) to let Brine recreate it`,
        );
      }
    }
    if (!differs(current, wanted)) return 'unchanged';
    const { name, storage: _storage, retention: _retention, ...changes } = wanted;
    const rescale = wanted.num_replicas !== undefined && current.num_replicas !== wanted.num_replicas;
    try {
      await jsm.streams.update(name, { ...current, ...changes });
    } catch (e) {
      const what = rescale ? `change the replicas of JetStream stream ${name} from ${current.num_replicas} to ${wanted.num_replicas}` : `update JetStream stream ${name}`;
      throw new NatsSetupError(`cannot ${what}: ${(e as Error).message}${rescale && (wanted.num_replicas ?? 1) > 1 ? ` (${wanted.num_replicas} replicas need a JetStream cluster of at least ${wanted.num_replicas} servers)` : ''}`);
    }
    return 'updated';
  }
}

/** Limits of Brine's two streams. */
export interface BrineStreamsOptions {
  returns?: StreamLimits;
  events?: StreamLimits;
  /** Copies of both streams (a default for the `replicas` of `returns` and `events`). */
  replicas?: number;
}

/** Create or update BRINE_RETURNS and BRINE_EVENTS; returns what was done to each. */
export async function ensureBrineStreams(jsm: JetStreamManager, opts: BrineStreamsOptions = {}): Promise<Record<typeof RETURNS_STREAM | typeof EVENTS_STREAM, EnsureResult>> {
  const withReplicas = (limits: StreamLimits | undefined): StreamLimits => ({ ...(opts.replicas !== undefined ? { replicas: opts.replicas } : {}), ...limits });
  const returns = await ensureStream(jsm, streamConfig(RETURNS_STREAM, [RETURNS_SUBJECTS], withReplicas(opts.returns), 1024 * 1024 * 1024));
  const events = await ensureStream(jsm, streamConfig(EVENTS_STREAM, [EVENTS_SUBJECTS], withReplicas(opts.events), 256 * 1024 * 1024));
  return { [RETURNS_STREAM]: returns, [EVENTS_STREAM]: events };
}
