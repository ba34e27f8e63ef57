/**
 * Check 3: `SHOW STATUS LIKE 'wsrep_cluster_size'` is 3 on each controller (in a Primary
 * component, Synced); a row written on the first controller is read on the last one.
 */
import type { LabContext } from '../context';
import { parseColumn, parseStatusRows } from '../parse/mysql';
import { waitFor } from '../proc';
import { verdict, type Verdict } from '../verdict';

/** The lab's test database and table (created if missing; the rows are the probes written). */
export const PROBE_DB = 'brine_lab';
export const PROBE_TABLE = `${PROBE_DB}.probe`;

function mysql(sql: string): string[] {
  return ['mysql', '-N', '-B', '-e', sql];
}

/** The verdict on one controller's wsrep status rows. */
export function judgeWsrep(name: string, text: string, size: number): Verdict {
  const rows = parseStatusRows(text);
  const got = rows.get('wsrep_cluster_size');
  const status = rows.get('wsrep_cluster_status') ?? '?';
  const state = rows.get('wsrep_local_state_comment') ?? '?';
  const ok = got === String(size) && status === 'Primary' && state === 'Synced';
  return verdict(`3 galera ${name} wsrep_cluster_size`, ok, `wsrep_cluster_size ${got ?? '(none)'}, ${status}, ${state}`);
}

/** Check 3: the size on every controller, then a row written on the first, read on the last. */
export async function checkGalera(ctx: LabContext, probe: string): Promise<Verdict[]> {
  const names = ctx.plan.controllers.map((c) => c.name);
  const out: Verdict[] = [];
  for (const name of names) {
    const r = await ctx.exec(name, mysql("SHOW STATUS WHERE Variable_name IN ('wsrep_cluster_size', 'wsrep_cluster_status', 'wsrep_local_state_comment')"));
    out.push(r.code === 0 ? judgeWsrep(name, r.stdout, names.length) : verdict(`3 galera ${name} wsrep_cluster_size`, false, `mysql exited ${r.code}: ${r.stderr.trim()}`));
  }
  const first = names[0]!;
  const last = names[names.length - 1]!;
  const write = await ctx.exec(first, mysql(
    `CREATE DATABASE IF NOT EXISTS ${PROBE_DB}; ` +
      `CREATE TABLE IF NOT EXISTS ${PROBE_TABLE} (id VARCHAR(64) PRIMARY KEY, written_on VARCHAR(32) NOT NULL, at DATETIME NOT NULL); ` +
      `INSERT INTO ${PROBE_TABLE} VALUES ('${probe}', '${first}', NOW())`,
  ));
  if (write.code !== 0) {
    out.push(verdict(`3 galera row ${first} -> ${last}`, false, `insert on ${first} failed: ${write.stderr.trim()}`));
    return out;
  }
  // wsrep_sync_wait=1: the read waits until the node has applied what the cluster committed before it
  const read = async (): Promise<string[] | undefined> => {
    const r = await ctx.exec(last, mysql(`SET SESSION wsrep_sync_wait = 1; SELECT written_on FROM ${PROBE_TABLE} WHERE id = '${probe}'`));
    const rows = r.code === 0 ? parseColumn(r.stdout) : [];
    return rows.length > 0 ? rows : undefined;
  };
  const rows = await waitFor(`the row ${probe} on ${last}`, read, 30_000, 500).catch(() => undefined);
  out.push(verdict(`3 galera row ${first} -> ${last}`, rows?.[0] === first, rows ? `row ${probe} written on ${first}, read on ${last}: written_on=${rows[0]}` : `row ${probe} written on ${first} not found on ${last}`));
  return out;
}
