/**
 * The jobs a minion is running, on disk (`<cachedir>/running/<jid>.json`): written when a job
 * starts, removed once its return is stored. A minion killed mid-job finds them at its next
 * start and reports each as interrupted, so the master never waits on a job nobody runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensurePrivateDir, writeFileAtomic } from '../../common/wire/files';

/** What is kept of a running job. */
export interface RunningJobRecord {
  jid: string;
  fun: string;
  startedAt: number;
}

const JID = /^[0-9]{1,40}$/;

/** The running-jobs directory of one minion. */
export class RunningJobs {
  private readonly dir: string;

  constructor(cachedir: string) {
    this.dir = path.join(cachedir, 'running');
    ensurePrivateDir(this.dir);
  }

  /** Note that job `jid` started. */
  started(record: RunningJobRecord): void {
    if (JID.test(record.jid)) writeFileAtomic(path.join(this.dir, `${record.jid}.json`), JSON.stringify(record), 0o600);
  }

  /** Note that job `jid` returned (its return is stored). */
  finished(jid: string): void {
    if (JID.test(jid)) fs.rmSync(path.join(this.dir, `${jid}.json`), { force: true });
  }

  /** The jobs that were running when the minion last stopped without finishing them. */
  leftovers(): RunningJobRecord[] {
    const out: RunningJobRecord[] = [];
    for (const name of fs.readdirSync(this.dir)) {
      if (!/^[0-9]{1,40}\.json$/.test(name)) continue;
      try {
        const rec = JSON.parse(fs.readFileSync(path.join(this.dir, name), 'utf8')) as RunningJobRecord;
        if (JID.test(rec.jid) && typeof rec.fun === 'string') out.push(rec);
        else fs.rmSync(path.join(this.dir, name), { force: true });
      } catch {
        fs.rmSync(path.join(this.dir, name), { force: true });
      }
    }
    return out;
  }
}
