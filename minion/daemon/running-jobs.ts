/**
 * The jobs a minion is running, on disk (`<cachedir>/running/<jid>.json`): written when a job
 * starts, removed once its return is stored. A minion killed mid-job finds them at its next
 * start and reports each as interrupted, so the master never waits on a job nobody runs.
 *
 * A record is written atomically (temporary file, rename) but not fsynced: it must outlive the
 * minion process, which the page cache does; after a power cut the job may not be reported as
 * interrupted, and the master then names the minion as not responding. Syncing two files per
 * job blocked the minion and the whole host's journal under load (npm run soak).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensurePrivateDir } from '../../common/wire/files';

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
    if (!JID.test(record.jid)) return;
    const file = path.join(this.dir, `${record.jid}.json`);
    const tmp = path.join(this.dir, `.${record.jid}.json.${process.pid}.tmp`);
    fs.writeFileSync(tmp, JSON.stringify(record), { mode: 0o600 });
    fs.renameSync(tmp, file);
  }

  /** Note that job `jid` returned (its return is stored). */
  finished(jid: string): void {
    if (JID.test(jid)) fs.rmSync(path.join(this.dir, `${jid}.json`), { force: true });
  }

  /** The jobs that were running when the minion last stopped without finishing them. */
  leftovers(): RunningJobRecord[] {
    const out: RunningJobRecord[] = [];
    for (const name of fs.readdirSync(this.dir)) {
      if (/^\.[0-9]{1,40}\.json\.[0-9]+\.tmp$/.test(name)) fs.rmSync(path.join(this.dir, name), { force: true }); // killed mid-write
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
