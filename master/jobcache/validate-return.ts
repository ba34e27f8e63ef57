/**
 * Checking a minion's return before it is stored: it arrives from the network, so every field
 * is checked, and a bad one is reported by name instead of reaching the database.
 */
import { BrineError } from '../../common/errors';
import { validateMinionId } from '../../common/paths';
import { isJid } from '../../common/jid';
import { toStorableJson } from './storable';
import type { ReturnState } from './types';

/** A return ready for the returns table. */
export interface ReturnRow {
  jid: string;
  minion: string;
  state: ReturnState;
  retcode: number;
  data: string;
  startedAt: number | null;
  finishedAt: number | null;
}

/** A return that failed its checks: the reason, and its jid and minion where those are usable. */
export interface RejectedReturn {
  error: string;
  /** The jid, if it is a well-formed jid. */
  jid: string | null;
  /** The minion id, if it is a valid minion id. */
  minion: string | null;
}

/** Check a return; a valid one becomes a row, answered when retcode is 0 and success is not false. */
export function validateReturn(input: unknown): { row: ReturnRow } | { rejected: RejectedReturn } {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { rejected: { error: 'a return must be a mapping', jid: null, minion: null } };
  }
  const raw = input as Record<string, unknown>;
  const jid = isJid(raw.jid) ? raw.jid : null;
  const minion = validMinion(raw.minion);
  const retcode = Number.isSafeInteger(raw.retcode) ? (raw.retcode as number) : null;
  const reject = (error: string): { rejected: RejectedReturn } => ({ rejected: { error, jid, minion } });

  if (jid === null) return reject(`invalid jid: ${shown(raw.jid)}`);
  if (minion === null) return reject(`invalid minion id: ${shown(raw.minion)}`);
  if (retcode === null) return reject(`retcode must be an integer, got ${shown(raw.retcode)}`);
  if (raw.success !== undefined && typeof raw.success !== 'boolean') return reject(`success must be true or false, got ${shown(raw.success)}`);
  for (const field of ['startedAt', 'finishedAt'] as const) {
    const value = raw[field];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      return reject(`${field} must be a time in milliseconds, got ${shown(value)}`);
    }
  }
  if (raw.data === undefined) return reject('the return has no data');
  const data = toStorableJson(raw.data, 'data');
  if ('error' in data) return reject(data.error);
  return {
    row: {
      jid,
      minion,
      state: retcode === 0 && raw.success !== false ? 'answered' : 'failed',
      retcode,
      data: data.json,
      startedAt: (raw.startedAt as number | undefined) ?? null,
      finishedAt: (raw.finishedAt as number | undefined) ?? null,
    },
  };
}

function validMinion(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    return validateMinionId(value);
  } catch (err) {
    if (err instanceof BrineError) return null;
    throw err;
  }
}

/** A short, safe rendering of a bad value for an error message. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value);
  if (value === undefined) return 'nothing';
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}

/** Check a "minion started the job" notice: a well-formed jid, a valid minion id and a time. */
export function validateStarted(jid: unknown, minion: unknown, startedAt: unknown): RejectedReturn | null {
  const goodJid = isJid(jid) ? jid : null;
  const goodMinion = validMinion(minion);
  if (goodJid === null) return { error: `invalid jid: ${shown(jid)}`, jid: null, minion: goodMinion };
  if (goodMinion === null) return { error: `invalid minion id: ${shown(minion)}`, jid: goodJid, minion: null };
  if (!(typeof startedAt === 'number' && Number.isFinite(startedAt) && startedAt >= 0)) {
    return { error: `startedAt must be a time in milliseconds, got ${shown(startedAt)}`, jid: goodJid, minion: goodMinion };
  }
  return null;
}

/** The jid and minion id of a raw return, where they are well formed (for error records). */
export function identifyReturn(jid: unknown, minion: unknown): { jid: string | null; minion: string | null } {
  return { jid: isJid(jid) ? jid : null, minion: validMinion(minion) };
}
