/**
 * Failures to write the job cache file as a whole (disk full, I/O error, read-only, locked by
 * another process), told apart from a problem with one record, and worded for operators.
 */
import Database from 'better-sqlite3';
import { BrineError } from '../../common/errors';

/** SQLite result codes that concern the whole file, with what they mean for an operator. */
const FILE_ERRORS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^SQLITE_FULL/, 'the disk is full'],
  [/^SQLITE_IOERR/, 'an I/O error'],
  [/^SQLITE_READONLY/, 'the file is read-only'],
  [/^SQLITE_(BUSY|LOCKED)/, 'another process holds its lock'],
  [/^SQLITE_CANTOPEN/, 'the file cannot be opened'],
  [/^SQLITE_CORRUPT/, 'the file is corrupt'],
  [/^SQLITE_NOMEM/, 'out of memory'],
  [/^SQLITE_INTERRUPT/, 'the write was interrupted'],
];

/** The job cache file could not be written; what was being written is kept and retried where the message says so. */
export class JobCacheWriteError extends BrineError {
  constructor(
    message: string,
    /** The SQLite result code (SQLITE_FULL, SQLITE_IOERR_WRITE, ...). */
    readonly code: string,
  ) {
    super(message);
  }
}

/** `err` when it concerns the whole database file (full, I/O, locked, read-only, ...), not one record; else undefined. */
export function fileErrorOf(err: unknown): InstanceType<typeof Database.SqliteError> | undefined {
  return err instanceof Database.SqliteError && FILE_ERRORS.some(([re]) => re.test(err.code)) ? err : undefined;
}

/** A file error as a JobCacheWriteError: "cannot write <what> to the job cache <file>: <reason> (<code>: <sqlite message>)<then>". */
export function writeFailure(file: string, err: InstanceType<typeof Database.SqliteError>, what: string, then = ''): JobCacheWriteError {
  const reason = FILE_ERRORS.find(([re]) => re.test(err.code))?.[1] ?? 'an error';
  return new JobCacheWriteError(`cannot write ${what} to the job cache ${file}: ${reason} (${err.code}: ${err.message})${then}`, err.code);
}
