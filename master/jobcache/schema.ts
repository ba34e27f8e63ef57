/**
 * The job cache's tables and their migrations. `PRAGMA user_version` holds the schema version;
 * migration N takes a database from version N to N + 1 and runs once, inside a write
 * transaction, so two processes opening the same file at once cannot both apply it.
 */
import type Database from 'better-sqlite3';
import { BrineError } from '../../common/errors';

const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE minions (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('accepted', 'pre', 'rejected', 'denied')),
    grains TEXT NOT NULL DEFAULT '{}',
    first_seen INTEGER NOT NULL,
    last_seen INTEGER,
    last_grains_refresh INTEGER
  );
  CREATE TABLE jobs (
    jid TEXT PRIMARY KEY,
    fun TEXT NOT NULL,
    args TEXT NOT NULL DEFAULT '[]',
    kwargs TEXT NOT NULL DEFAULT '{}',
    tgt TEXT NOT NULL,
    tgt_type TEXT NOT NULL,
    user TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    expected TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL CHECK (status IN ('running', 'done')),
    parent_jid TEXT REFERENCES jobs (jid) ON DELETE SET NULL
  );
  CREATE INDEX jobs_by_start ON jobs (started_at, jid);
  CREATE INDEX jobs_by_parent ON jobs (parent_jid);
  CREATE TABLE returns (
    jid TEXT NOT NULL REFERENCES jobs (jid) ON DELETE CASCADE,
    minion TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('running', 'answered', 'failed', 'no-response')),
    retcode INTEGER,
    data TEXT,
    started_at INTEGER,
    finished_at INTEGER,
    received_at INTEGER,
    PRIMARY KEY (jid, minion)
  ) WITHOUT ROWID;
  CREATE INDEX returns_by_minion ON returns (minion, jid);
  CREATE TABLE return_errors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    jid TEXT,
    minion TEXT,
    received_at INTEGER NOT NULL,
    error TEXT NOT NULL
  );
  CREATE INDEX return_errors_by_jid ON return_errors (jid);
  `,
];

/** The schema version this Brine writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The schema version stored in the file. */
export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Bring the database to SCHEMA_VERSION; refuses a file written by a newer Brine. */
export function migrate(db: Database.Database, file: string): void {
  const upgrade = db.transaction(() => {
    const from = schemaVersion(db);
    refuseNewer(from, file);
    for (let version = from; version < SCHEMA_VERSION; version++) {
      db.exec(MIGRATIONS[version]);
      db.pragma(`user_version = ${version + 1}`);
    }
  });
  if (schemaVersion(db) !== SCHEMA_VERSION) upgrade.immediate();
}

/** For read-only use: the file must already have this Brine's schema. */
export function requireCurrentSchema(db: Database.Database, file: string): void {
  const version = schemaVersion(db);
  refuseNewer(version, file);
  if (version < SCHEMA_VERSION) {
    throw new BrineError(
      `job cache has schema version ${version}, this Brine needs ${SCHEMA_VERSION}: start the master once to upgrade it`,
      { file },
    );
  }
}

function refuseNewer(version: number, file: string): void {
  if (version > SCHEMA_VERSION) {
    throw new BrineError(
      `job cache has schema version ${version}, newer than this Brine supports (${SCHEMA_VERSION})`,
      { file },
    );
  }
}
