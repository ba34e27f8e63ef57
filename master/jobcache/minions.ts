/** The minions the master knows: key status, cached grains, and when each was last seen. */
import type Database from 'better-sqlite3';
import { ValidationError } from '../../common/errors';
import { validateMinionId } from '../../common/paths';
import { toStorableJson } from './storable';
import type { MinionRecord, MinionStatus } from './types';

const STATUSES: readonly MinionStatus[] = ['accepted', 'pre', 'rejected', 'denied'];

interface MinionRow {
  id: string;
  status: MinionStatus;
  grains: string;
  first_seen: number;
  last_seen: number | null;
  last_grains_refresh: number | null;
}

/** The minions table. */
export class MinionStore {
  private upsert: Database.Statement | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {}

  /**
   * Record a minion's grains (on start or refresh): adds the minion if it is new (status
   * `accepted` unless given), and marks it seen. Throws ValidationError for a bad id or grains.
   */
  upsertMinion(id: string, grains: Record<string, unknown>, status?: MinionStatus): MinionRecord {
    this.writeMinion(id, grains, status);
    return this.getMinion(id) as MinionRecord;
  }

  /** upsertMinion without reading the row back. */
  writeMinion(id: string, grains: Record<string, unknown>, status?: MinionStatus): void {
    validateMinionId(id);
    if (grains === null || typeof grains !== 'object' || Array.isArray(grains)) {
      throw new ValidationError(`grains of minion ${id} must be a mapping`);
    }
    const json = toStorableJson(grains, 'grains');
    if ('error' in json) throw new ValidationError(`grains of minion ${id}: ${json.error}`);
    if (status !== undefined) checkStatus(status);
    const at = this.now();
    this.upsert ??= this.db.prepare(
        `INSERT INTO minions (id, status, grains, first_seen, last_seen, last_grains_refresh)
         VALUES (@id, @status, @grains, @at, @at, @at)
         ON CONFLICT (id) DO UPDATE SET
           status = COALESCE(@newStatus, minions.status),
           grains = excluded.grains,
           last_seen = excluded.last_seen,
           last_grains_refresh = excluded.last_grains_refresh`,
    );
    this.upsert.run({ id, status: status ?? 'accepted', newStatus: status ?? null, grains: json.json, at });
  }

  /** Mark a known minion as seen now; false if the minion is unknown (nothing is added). */
  touchMinion(id: string): boolean {
    return this.db.prepare('UPDATE minions SET last_seen = ? WHERE id = ?').run(this.now(), id).changes > 0;
  }

  /** Change a known minion's key status; false if the minion is unknown. */
  setMinionStatus(id: string, status: MinionStatus): boolean {
    checkStatus(status);
    return this.db.prepare('UPDATE minions SET status = ? WHERE id = ?').run(status, id).changes > 0;
  }

  /** Forget a minion (its key was deleted); false if it was unknown. Its past returns stay. */
  removeMinion(id: string): boolean {
    return this.db.prepare('DELETE FROM minions WHERE id = ?').run(id).changes > 0;
  }

  /** One minion, or undefined. */
  getMinion(id: string): MinionRecord | undefined {
    const row = this.db.prepare('SELECT * FROM minions WHERE id = ?').get(id) as MinionRow | undefined;
    return row ? minionFromRow(row) : undefined;
  }

  /** Every known minion (or those with one key status), sorted by id. */
  minions(status?: MinionStatus): MinionRecord[] {
    const rows = (
      status === undefined
        ? this.db.prepare('SELECT * FROM minions ORDER BY id').all()
        : this.db.prepare('SELECT * FROM minions WHERE status = ? ORDER BY id').all(status)
    ) as MinionRow[];
    return rows.map(minionFromRow);
  }

  /** Every known minion's grains as stored (JSON text, not parsed: a target by id needs none of them). */
  grainsTexts(): Map<string, string> {
    const rows = this.db.prepare('SELECT id, grains FROM minions').raw().all() as Array<[string, string]>;
    return new Map(rows);
  }
}

function checkStatus(status: string): void {
  if (!(STATUSES as readonly string[]).includes(status)) {
    throw new ValidationError(`invalid minion status ${JSON.stringify(status)} (expected one of ${STATUSES.join(', ')})`);
  }
}

function minionFromRow(row: MinionRow): MinionRecord {
  return {
    id: row.id,
    status: row.status,
    grains: JSON.parse(row.grains) as Record<string, unknown>,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    lastGrainsRefresh: row.last_grains_refresh,
  };
}
