/**
 * What an orchestration run has done so far, on disk (`<cachedir>/orch/<jid>.json`, written
 * atomically after every step), so that a restarted master continues it without re-running
 * finished steps.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dict, StateResult } from '../../common/types';
import { ensurePrivateDir, writeFileAtomic } from '../../common/wire/files';

/** A run's record. */
export interface OrchRecord {
  jid: string;
  /** The SLS (`orch.prereqos`). */
  sls: string;
  pillar: Dict | null;
  test: boolean;
  startedAt: number;
  /** Finished steps by tag. */
  results: Record<string, StateResult>;
  /** The job each running step published, by tag (a resumed run waits for it rather than publishing again). */
  stepJobs?: Record<string, string>;
  done: boolean;
}

/** The records of orchestration runs under one directory. */
export class OrchStore {
  constructor(private readonly dir: string) {
    ensurePrivateDir(dir);
  }

  private file(jid: string): string {
    if (!/^[0-9]{1,40}$/.test(jid)) throw new Error(`invalid jid ${JSON.stringify(jid)}`);
    return path.join(this.dir, `${jid}.json`);
  }

  /** Save a run's record. */
  save(record: OrchRecord): void {
    writeFileAtomic(this.file(record.jid), JSON.stringify(record), 0o600);
  }

  /** A run's record, or undefined. */
  load(jid: string): OrchRecord | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.file(jid), 'utf8')) as OrchRecord;
    } catch {
      return undefined;
    }
  }
}
