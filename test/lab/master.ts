/**
 * The lab's master: a `brine master` on the bridge side (in the bridge namespace, on the
 * host's file system), its nats-server on the primary network's bridge address, keys
 * auto-accepted, the project's tree as file_roots. The `brine` CLI runs there too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LabLayout } from './layout';
import { inNetns } from './netns';
import { BRIDGE_NETNS, NATS_PORT, type LabPlan } from './plan';
import { isAlive, processRef, type ProcessRef } from './processes';
import { run, spawnDetached, tail, waitFor } from './proc';

/** The master's config (YAML; JSON is YAML). */
export function masterConfig(layout: LabLayout, plan: LabPlan, project: string): string {
  const cfg = {
    file_roots: { base: [path.join(project, 'states'), project] },
    pillar_roots: { base: [path.join(project, 'pillars')] },
    cachedir: path.join(layout.masterDir, 'cache'),
    pki_dir: path.join(layout.masterDir, 'pki'),
    auto_accept: true,
    timeout: 30,
    nats: { host: plan.primary.bridgeAddress, port: NATS_PORT },
  };
  return `${JSON.stringify(cfg, null, 2)}\n`;
}

/** `brine ARGS -c <the lab master's dir>`, run in the bridge namespace. */
export function brineArgv(layout: LabLayout, project: string, args: readonly string[]): string[] {
  return inNetns(BRIDGE_NETNS, [process.execPath, path.join(project, 'bin', 'brine'), ...args, '-c', layout.masterDir]);
}

/** Start the master (fresh config and cache); `record` gets its process at once; resolves when its bus is up. */
export async function startMaster(layout: LabLayout, plan: LabPlan, project: string, record: (p: ProcessRef) => void): Promise<ProcessRef> {
  fs.rmSync(layout.masterDir, { recursive: true, force: true });
  fs.mkdirSync(layout.masterDir, { recursive: true });
  fs.writeFileSync(path.join(layout.masterDir, 'master'), masterConfig(layout, plan, project));
  fs.writeFileSync(layout.masterLog, '');
  return launchMaster(layout, project, record);
}

/**
 * Start the master on the config and cache it has (a restart: keys, job cache and unfinished
 * orchestrations are kept); `record` gets its process at once; resolves when its bus is up.
 */
export async function launchMaster(layout: LabLayout, project: string, record: (p: ProcessRef) => void): Promise<ProcessRef> {
  const bus = path.join(layout.masterDir, 'cache', 'bus.json');
  fs.rmSync(bus, { force: true });
  const pid = spawnDetached(inNetns(BRIDGE_NETNS, [process.execPath, path.join(project, 'bin', 'brine'), 'master', '-c', layout.masterDir, '-l', 'info']), layout.masterLog);
  const ref = processRef(pid);
  if (!ref) throw new Error(`the master exited at once:\n${tail(layout.masterLog)}`);
  record(ref);
  await waitFor('the master\'s bus (bus.json)', () => {
    if (!isAlive(ref)) throw new Error(`the master exited:\n${tail(layout.masterLog)}`);
    return fs.existsSync(bus);
  }, 60_000, 100);
  return ref;
}

/** The minion ids that answered `brine run '*' test.ping` (within `seconds`). */
export async function pingMinions(layout: LabLayout, project: string, seconds: number): Promise<string[]> {
  const r = await run(brineArgv(layout, project, ['run', '*', 'test.ping', '--out', 'json', '--out-indent', '-1', '-t', String(seconds)]), { timeoutMs: (seconds + 30) * 1000 });
  const ids: string[] = [];
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const doc = JSON.parse(line) as Record<string, unknown>;
      for (const [id, v] of Object.entries(doc)) if (v === true) ids.push(id);
    } catch {
      /* not a return line */
    }
  }
  return ids.sort();
}
