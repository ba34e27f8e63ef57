/**
 * The payloads carried inside envelopes between master, minions and the CLI, and their
 * checks: everything decoded off the wire is validated here before anyone acts on it.
 */
import { WireError } from '../wire/errors';
import type { Dict, LowChunk } from '../types';

/** Status of a minion's key, as salt-key names them. */
export type AuthStatus = 'accepted' | 'pending' | 'rejected' | 'denied';

/** kind 'auth', minion -> master, signed with the key it presents (proof of possession), not sealed. */
export interface AuthRequest {
  /** The minion's public key document. */
  pub: string;
}

/** kind 'auth', master -> minion, signed by the master, not sealed. */
export interface AuthReply {
  status: AuthStatus | 'refused';
  /** The master's public key document (the minion pins it, or checks it against master_finger). */
  master_pub: string;
  /** Why the request was refused (bad id, malformed key). */
  error?: string;
}

/** salt:// files attached to a state job: saltenv -> path (relative to the env's root) -> bytes. */
export type AttachedFiles = Record<string, Record<string, Uint8Array>>;

/** The compiled states of a state job: what the master rendered for this minion. */
export interface CompiledStates {
  chunks: LowChunk[];
  files: AttachedFiles;
  saltenv: string;
  test: boolean;
}

/** kind 'job', master -> minion, sealed for the minion. */
export interface JobPayload {
  jid: string;
  fun: string;
  args: unknown[];
  kwargs: Dict;
  /** This minion's pillar, for the functions that use it (state.*, pillar.*, config.get). */
  pillar?: Dict;
  /** Set for state.apply / state.sls / state.highstate: the master compiled them. */
  states?: CompiledStates;
  /** Render or compile errors the master met for this minion (returned as the job's result). */
  errors?: string[];
  /** How often the minion reports progress while it works (ms). */
  progressIntervalMs: number;
}

/** What a minion says about a job (kind 'ret', minion -> master, sealed for the master). */
export type MinionJobMessage =
  | { type: 'started'; jid: string; at: number }
  | { type: 'progress'; jid: string; at: number; done: number; total: number; current?: string }
  | { type: 'return'; jid: string; data: unknown; retcode: number; success: boolean; outputter: string; startedAt: number; finishedAt: number };

/** kind 'evt' on brine.evt.minion.<id>.<type>, minion -> master, sealed for the master. */
export type MinionEvent =
  | { type: 'start' | 'grains'; grains: Dict; version: string }
  /** Salt's `event.send TAG [DATA]` from a minion (orchestration's wait_for_event listens to them). */
  | { type: 'event'; tag: string; data: Dict };

/** kind 'cmd', CLI -> master, sealed for the master. */
export type MasterCommand =
  | {
      op: 'publish';
      fun: string;
      args: unknown[];
      kwargs: Dict;
      tgt: string | string[];
      tgtType: string;
      /** Seconds without news from a minion before it is declared not responding. */
      timeout: number;
      user?: string;
    }
  | { op: 'ping' }
  /** Start an orchestration (`brine orch run NAME`), or continue one (`brine orch resume JID`). */
  | { op: 'orch'; name: string; pillar?: Dict; test: boolean; user?: string }
  | { op: 'orch-resume'; jid: string };

/** kind 'cmd', master -> CLI, sealed for the operator. */
export type MasterCommandReply =
  | { ok: true; op: 'publish'; jid: string; expected: string[]; missing: string[] }
  | { ok: true; op: 'ping'; version: string; minions: number }
  | { ok: true; op: 'orch'; jid: string; resumed: boolean }
  | { ok: false; error: string };

/** Events the master publishes on brine.evt.job.<jid>.<type> (kind 'evt', sealed for the operator). */
export type JobEvent =
  | { type: 'new'; jid: string; fun: string; tgt: string | string[]; tgtType: string; expected: string[]; missing: string[]; at: number }
  | { type: 'started'; jid: string; minion: string; at: number }
  | { type: 'progress'; jid: string; minion: string; done: number; total: number; current?: string; at: number }
  | { type: 'ret'; jid: string; minion: string; data: unknown; retcode: number; success: boolean; outputter: string; at: number }
  | { type: 'done'; jid: string; answered: string[]; failed: string[]; noResponse: string[]; at: number };

/** One return event of a job. */
export type ReturnEvent = Extract<JobEvent, { type: 'ret' }>;

/**
 * Returns of one job published together on brine.evt.job.<jid>.rets: ten thousand minions
 * answering make a few dozen events, not ten thousand (each sealed, stored and opened).
 */
export interface ReturnBatchEvent {
  type: 'rets';
  jid: string;
  returns: ReturnEvent[];
}

/** The job events a stored event stands for: a batch is its returns, anything else itself. */
export function expandJobEvent(e: JobEvent | ReturnBatchEvent): JobEvent[] {
  return e.type === 'rets' ? (Array.isArray(e.returns) ? e.returns : []) : [e];
}

/** Events the master publishes about itself and its minions on brine.evt.master.<type>. */
export type MasterEvent =
  | { type: 'master-start'; at: number; fingerprint: string }
  | { type: 'auth'; minion: string; status: AuthStatus | 'refused'; at: number; error?: string }
  | { type: 'minion-start'; minion: string; at: number }
  | { type: 'minion-event'; minion: string; tag: string; data: Dict; at: number }
  | { type: 'rejected'; what: string; reason: string; at: number };

function malformed(what: string, why: string): WireError {
  return new WireError('malformed', `${what}: ${why}`);
}

function isPlainDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function requireString(o: Dict, key: string, what: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw malformed(what, `'${key}' must be a string`);
  return v;
}

function requireNumber(o: Dict, key: string, what: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw malformed(what, `'${key}' must be a number`);
  return v;
}

/** Check an auth request. */
export function parseAuthRequest(v: unknown): AuthRequest {
  if (!isPlainDict(v)) throw malformed('auth request', 'not a map');
  return { pub: requireString(v, 'pub', 'auth request') };
}

/** Check an auth reply. */
export function parseAuthReply(v: unknown): AuthReply {
  if (!isPlainDict(v)) throw malformed('auth reply', 'not a map');
  const status = requireString(v, 'status', 'auth reply');
  if (!['accepted', 'pending', 'rejected', 'denied', 'refused'].includes(status)) throw malformed('auth reply', `unknown status ${JSON.stringify(status)}`);
  const out: AuthReply = { status: status as AuthReply['status'], master_pub: requireString(v, 'master_pub', 'auth reply') };
  if (typeof v.error === 'string') out.error = v.error;
  return out;
}

function parseFiles(v: unknown): AttachedFiles {
  if (!isPlainDict(v)) throw malformed('job', "'states.files' must be a map");
  const out: AttachedFiles = {};
  for (const [env, files] of Object.entries(v)) {
    if (!isPlainDict(files)) throw malformed('job', `'states.files.${env}' must be a map`);
    const envFiles: Record<string, Uint8Array> = {};
    for (const [p, bytes] of Object.entries(files)) {
      if (!(bytes instanceof Uint8Array)) throw malformed('job', `attached file ${JSON.stringify(p)} is not bytes`);
      envFiles[p] = bytes;
    }
    out[env] = envFiles;
  }
  return out;
}

/** Check a job payload (after its envelope was opened). */
export function parseJobPayload(v: unknown): JobPayload {
  if (!isPlainDict(v)) throw malformed('job', 'not a map');
  const job: JobPayload = {
    jid: requireString(v, 'jid', 'job'),
    fun: requireString(v, 'fun', 'job'),
    args: Array.isArray(v.args) ? v.args : [],
    kwargs: isPlainDict(v.kwargs) ? v.kwargs : {},
    progressIntervalMs: requireNumber(v, 'progressIntervalMs', 'job'),
  };
  if (v.pillar !== undefined) {
    if (!isPlainDict(v.pillar)) throw malformed('job', "'pillar' must be a map");
    job.pillar = v.pillar;
  }
  if (v.errors !== undefined) {
    if (!Array.isArray(v.errors) || !v.errors.every((e) => typeof e === 'string')) throw malformed('job', "'errors' must be a list of strings");
    job.errors = v.errors as string[];
  }
  if (v.states !== undefined) {
    const s = v.states;
    if (!isPlainDict(s)) throw malformed('job', "'states' must be a map");
    if (!Array.isArray(s.chunks) || !s.chunks.every(isPlainDict)) throw malformed('job', "'states.chunks' must be a list of maps");
    job.states = {
      chunks: s.chunks as LowChunk[],
      files: parseFiles(s.files ?? {}),
      saltenv: requireString(s, 'saltenv', 'job'),
      test: s.test === true,
    };
  }
  return job;
}

/** Check what a minion says about a job. */
export function parseMinionJobMessage(v: unknown): MinionJobMessage {
  if (!isPlainDict(v)) throw malformed('return', 'not a map');
  const type = requireString(v, 'type', 'return');
  const jid = requireString(v, 'jid', 'return');
  const at = (k: string) => requireNumber(v, k, 'return');
  switch (type) {
    case 'started':
      return { type, jid, at: at('at') };
    case 'progress': {
      const msg: MinionJobMessage = { type, jid, at: at('at'), done: at('done'), total: at('total') };
      if (typeof v.current === 'string') msg.current = v.current;
      return msg;
    }
    case 'return':
      return {
        type,
        jid,
        data: v.data,
        retcode: at('retcode'),
        success: v.success === true,
        outputter: typeof v.outputter === 'string' ? v.outputter : 'nested',
        startedAt: at('startedAt'),
        finishedAt: at('finishedAt'),
      };
    default:
      throw malformed('return', `unknown type ${JSON.stringify(type)}`);
  }
}

/** Check a minion event. */
export function parseMinionEvent(v: unknown): MinionEvent {
  if (!isPlainDict(v)) throw malformed('minion event', 'not a map');
  const type = requireString(v, 'type', 'minion event');
  if (type === 'event') {
    const tag = requireString(v, 'tag', 'minion event');
    if (tag.length === 0 || tag.length > 512) throw malformed('minion event', 'bad tag');
    return { type, tag, data: isPlainDict(v.data) ? v.data : {} };
  }
  if (type !== 'start' && type !== 'grains') throw malformed('minion event', `unknown type ${JSON.stringify(type)}`);
  if (!isPlainDict(v.grains)) throw malformed('minion event', "'grains' must be a map");
  return { type, grains: v.grains, version: typeof v.version === 'string' ? v.version : '' };
}

/** Check a CLI command. */
export function parseMasterCommand(v: unknown): MasterCommand {
  if (!isPlainDict(v)) throw malformed('command', 'not a map');
  const op = requireString(v, 'op', 'command');
  if (op === 'ping') return { op };
  if (op === 'orch') {
    const cmd: MasterCommand = { op, name: requireString(v, 'name', 'command'), test: v.test === true };
    if (v.pillar !== undefined) {
      if (!isPlainDict(v.pillar)) throw malformed('command', "'pillar' must be a map");
      cmd.pillar = v.pillar;
    }
    if (typeof v.user === 'string') cmd.user = v.user;
    return cmd;
  }
  if (op === 'orch-resume') return { op, jid: requireString(v, 'jid', 'command') };
  if (op !== 'publish') throw malformed('command', `unknown op ${JSON.stringify(op)}`);
  const tgt = v.tgt;
  if (typeof tgt !== 'string' && !(Array.isArray(tgt) && tgt.every((t) => typeof t === 'string'))) throw malformed('command', "'tgt' must be a string or a list of strings");
  const cmd: MasterCommand = {
    op,
    fun: requireString(v, 'fun', 'command'),
    args: Array.isArray(v.args) ? v.args : [],
    kwargs: isPlainDict(v.kwargs) ? v.kwargs : {},
    tgt: tgt as string | string[],
    tgtType: requireString(v, 'tgtType', 'command'),
    timeout: requireNumber(v, 'timeout', 'command'),
  };
  if (typeof v.user === 'string') cmd.user = v.user;
  return cmd;
}
