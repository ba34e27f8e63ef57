/**
 * `lab down`: stop everything the lab started, by pid (controllers by their PID 1), delete its
 * namespaces and cgroups, and check that nothing of it is left mounted on the host. Works from
 * the state file, and also without one (after an `up` cut short): the lab's PID 1s and leftover
 * processes are then found by the network namespaces they are in, never by a process name.
 */
import * as fs from 'node:fs';
import { LAB_CGROUP, removeCgroupTree } from './cgroup';
import { initOf, stopController } from './controller';
import { labLayout, type LabLayout } from './layout';
import { deleteNetns, labNetns, netnsFile } from './netns';
import { BRIDGE_NETNS } from './plan';
import { allPids, childrenOf, cmdline, isAlive, nsPids, pidsInNetns, processRef, stopProcess, type ProcessRef } from './processes';
import { run, runOk } from './proc';
import { readState } from './state';
import { Timings } from './timing';

/** Options of `down`. */
export interface DownOptions {
  dir?: string;
  /** Remove the whole lab directory too: the debootstrap base, the apt archives, the roots. */
  purge?: boolean;
  log: (line: string) => void;
}

/** PID 1s of controllers in the lab's namespaces (pid 1 of a nested PID namespace). */
function discoverPid1s(netns: readonly string[]): { netns: string; ref: ProcessRef }[] {
  const out: { netns: string; ref: ProcessRef }[] = [];
  for (const ns of netns) {
    for (const pid of pidsInNetns(netnsFile(ns))) {
      const ids = nsPids(pid);
      const ref = processRef(pid);
      if (ref && ids.length >= 2 && ids[ids.length - 1] === 1) out.push({ netns: ns, ref });
    }
  }
  return out;
}

/** Stop whatever still runs in a lab namespace (SIGTERM, then SIGKILL). */
async function sweepNetns(ns: string, log: (line: string) => void): Promise<void> {
  for (const pid of pidsInNetns(netnsFile(ns))) {
    const ref = processRef(pid);
    if (!ref) continue;
    const what = cmdline(pid).slice(0, 3).join(' ');
    const outcome = await stopProcess(ref, 'SIGTERM', 5_000);
    log(`  left in ${ns}: pid ${pid} (${what}): ${outcome}`);
  }
}

/** Mount points under the lab directory in the host's mount namespace (there should be none). */
async function hostMountsUnder(dir: string): Promise<string[]> {
  const r = await run(['findmnt', '-rn', '-o', 'TARGET']);
  return r.stdout
    .split('\n')
    .map((l) => l.replace(/\\x20/g, ' '))
    .filter((t) => t === dir || t.startsWith(`${dir}/`));
}

/** Take the lab down. Resolves with 0 when everything went, 1 when something was left. */
export async function down(opts: DownOptions): Promise<number> {
  const layout: LabLayout = labLayout(opts.dir);
  const log = opts.log;
  const t = new Timings();
  const state = readState(layout.stateFile);
  let problems = 0;
  const namespaces = [...new Set([...(state?.netns ?? []), ...(await labNetns())])];

  await t.phase('controllers', async () => {
    const known = Object.values(state?.controllers ?? {});
    const knownPids = new Set(known.map((c) => c.pid1.pid));
    const found = discoverPid1s(namespaces.filter((n) => n !== BRIDGE_NETNS)).filter((f) => !knownPids.has(f.ref.pid));
    const stops = [
      ...known.map(async (c) => {
        const outcome = await stopController(c.pid1, c.init, c.launcher);
        log(`${c.name}: PID 1 ${c.pid1.pid} (${c.init}): ${outcome}`);
        if (outcome === 'still running') problems++;
      }),
      ...found.map(async (f) => {
        const init = initOf(f.ref.pid);
        const outcome = await stopController(f.ref, init);
        log(`${f.netns}: PID 1 ${f.ref.pid} (${init}, not in the state file): ${outcome}`);
        if (outcome === 'still running') problems++;
      }),
    ];
    await Promise.all(stops);
  });

  await t.phase('master', async () => {
    if (state?.master && isAlive(state.master)) {
      const outcome = await stopProcess(state.master, 'SIGTERM', 20_000);
      log(`master: pid ${state.master.pid}: ${outcome}`);
    }
  });

  await t.phase('relay', async () => {
    for (const r of state?.relays ?? []) {
      const forks = childrenOf(r.proc.pid)
        .map((p) => processRef(p))
        .filter((p): p is ProcessRef => p !== undefined);
      const outcome = await stopProcess(r.proc, 'SIGTERM', 5_000);
      for (const f of forks) await stopProcess(f, 'SIGTERM', 2_000);
      log(`relay ${r.host}:${r.port} (${r.side} side): pid ${r.proc.pid}: ${outcome}`);
    }
    // a host-side relay not in the state file: the socat listening on the lab's own socket path
    const listening = `UNIX-LISTEN:${layout.runDir}/`;
    for (const pid of allPids()) {
      if (!cmdline(pid).some((a) => a.startsWith(listening))) continue;
      const ref = processRef(pid);
      if (ref) log(`relay (not in the state file): pid ${pid}: ${await stopProcess(ref, 'SIGTERM', 5_000)}`);
    }
    if (fs.existsSync(layout.runDir)) {
      const socks = fs.readdirSync(layout.runDir).filter((n) => n.endsWith('.sock'));
      for (const s of socks) fs.rmSync(`${layout.runDir}/${s}`, { force: true });
    }
  });

  await t.phase('leftovers and namespaces', async () => {
    for (const ns of namespaces) await sweepNetns(ns, log);
    for (const ns of namespaces) {
      try {
        if (await deleteNetns(ns)) log(`network namespace ${ns}: deleted`);
      } catch (e) {
        problems++;
        log(`network namespace ${ns}: ${(e as Error).message}`);
      }
    }
  });

  await t.phase('cgroups and mounts', async () => {
    const left = removeCgroupTree(LAB_CGROUP);
    if (left.length > 0) {
      problems++;
      log(`cgroups still in use: ${left.join(' ')}`);
    }
    for (const m of (await hostMountsUnder(layout.dir)).reverse()) {
      log(`unmounting ${m} (left on the host)`);
      await runOk(['umount', m]).catch(() => runOk(['umount', '-l', m]));
    }
    const still = await hostMountsUnder(layout.dir);
    if (still.length > 0) {
      problems++;
      log(`still mounted: ${still.join(' ')}`);
    }
  });

  fs.rmSync(layout.stateFile, { force: true });
  if (opts.purge) {
    await t.phase('purge', async () => {
      if (problems > 0) {
        log(`not removing ${layout.dir}: something is still running or mounted`);
        return;
      }
      fs.rmSync(layout.dir, { recursive: true, force: true });
      log(`removed ${layout.dir} (base, apt archives, roots)`);
    });
  } else if (fs.existsSync(layout.dir)) {
    log(`kept ${layout.dir} (debootstrap base, apt archives, last roots): --purge removes it`);
  }
  log(t.summary(problems === 0 ? 'lab down' : `lab down, ${problems} problem(s)`));
  return problems === 0 ? 0 : 1;
}
