/**
 * `lab up`: the host tools, the debootstrap base (once), three overlay roots, the namespaces
 * and bridges, the apt relay, the three controllers (systemd or sysvinit as PID 1), the master
 * on the bridge side; done when `brine run '*' test.ping` gets three answers. Prints timings.
 */
import * as fs from 'node:fs';
import { ensureBase, RELEASE } from './base';
import { hasSystemdHierarchy, makeControllerCgroup } from './cgroup';
import { failedUnits, inController, startController, waitBooted, type ControllerRecord } from './controller';
import { down } from './down';
import { ensureHostTools } from './host-tools';
import { labLayout } from './layout';
import { brineArgv, pingMinions, startMaster } from './master';
import { hostAptSources, mainSource, mirrorEndpoints, sourcesList } from './mirror';
import { createBridgeSide, createControllerNet, labNetns } from './netns';
import { BRIDGE_NETNS, labPlan } from './plan';
import { nodeBinary, projectDir, readOnlyBinds } from './project';
import { run, runInherit, waitFor } from './proc';
import { probeRelay, startRelay, type RelayPlan } from './relay';
import { writeControllerFiles, type InitMode } from './rootfs';
import { newState, readState, saveState } from './state';
import { Timings } from './timing';
import { saveUpTimings } from './up-timings';

/** Options of `up`. */
export interface UpOptions {
  init: InitMode;
  dir?: string;
  log: (line: string) => void;
}

/** Bring the lab up; resolves with the exit status (0 when the three minions answered). */
export async function up(opts: UpOptions): Promise<number> {
  const { log } = opts;
  const layout = labLayout(opts.dir);
  const project = projectDir();
  const t = new Timings();

  if (readState(layout.stateFile) || (await labNetns()).length > 0) {
    log('a lab is up (or was left half up): taking it down first');
    await down({ ...(opts.dir ? { dir: opts.dir } : {}), log: (l) => log(`  ${l}`) });
  }
  await t.phase('host tools', () => ensureHostTools(log), (p) => (p.length > 0 ? `installed ${p.join(' ')}` : 'all present'));
  if (opts.init === 'systemd' && !hasSystemdHierarchy()) throw new Error('systemd mode needs the host\'s cgroup-v1 name=systemd hierarchy at /sys/fs/cgroup/systemd (use --init sysvinit)');

  const sources = hostAptSources(RELEASE);
  const main = mainSource(sources, RELEASE);
  if (!main) throw new Error(`the host's apt sources name no http(s) mirror for ${RELEASE}`);
  fs.mkdirSync(layout.dir, { recursive: true });
  await t.phase('debootstrap base', () => ensureBase(layout, main, log), (b) => `${b.built ? 'built' : 'cached'}, ${b.sizeMb} MB`);

  const plan = labPlan(project);
  const state = newState(opts.init, project);
  const save = (): void => saveState(layout.stateFile, state);
  save();
  const relays: RelayPlan[] = mirrorEndpoints(sources).map((e, i) => ({ ...e, address: plan.relayAddress(i) }));
  const binds = readOnlyBinds(project);

  await t.phase('overlay roots', async () => {
    fs.mkdirSync(`${layout.archives}/partial`, { recursive: true });
    let wiped = 0;
    for (const c of plan.controllers) {
      const p = layout.controller(c.name);
      if (fs.existsSync(p.dir)) wiped++;
      fs.rmSync(p.dir, { recursive: true, force: true });
      for (const d of [p.upper, p.work, p.root]) fs.mkdirSync(d, { recursive: true });
      writeControllerFiles(p, {
        plan,
        controller: c,
        init: opts.init,
        project,
        extraBinds: binds.slice(1),
        sources: sourcesList(sources),
        mirrorHosts: relays.map((r) => ({ host: r.host, address: r.address })),
      });
    }
    return wiped;
  }, (wiped) => (wiped > 0 ? `the last run's ${wiped} roots removed first` : 'fresh'));

  await t.phase('network namespaces', async () => {
    state.netns.push(BRIDGE_NETNS);
    save();
    await createBridgeSide(plan, relays.length);
    for (const c of plan.controllers) {
      state.netns.push(c.netns);
      save();
      await createControllerNet(plan, c);
    }
  }, () => `${plan.networks.map((n) => `${n.name} ${n.prefix}.0/${n.bits}`).join(', ')}; bridge side .254`);

  await t.phase('apt relay', async () => {
    const lines: string[] = [];
    for (const r of relays) {
      await startRelay(layout, r, (rec) => {
        state.relays.push(rec);
        save();
      });
      const status = r.port === 80 ? await probeRelay(r, `${new URL(main.uri).pathname}/dists/${RELEASE}/InRelease`) : '(https: not probed)';
      lines.push(`${r.host}:${r.port} as ${r.address}: ${status || 'no answer'}`);
    }
    return lines.join('; ');
  }, (s) => s);

  const records: ControllerRecord[] = [];
  await t.phase(`controllers start (${opts.init})`, async () => {
    for (const c of plan.controllers) {
      const paths = layout.controller(c.name);
      const cgroup = hasSystemdHierarchy() ? makeControllerCgroup(c.name) : '';
      const rec = await startController({
        name: c.name,
        netns: c.netns,
        cgroup,
        lower: layout.base,
        paths,
        archives: layout.archives,
        init: opts.init,
        nodeBinary: nodeBinary(),
        readOnlyBinds: binds,
      });
      state.controllers[c.name] = rec;
      save();
      records.push(rec);
    }
  }, () => records.map((r) => `${r.name} PID 1 = ${r.pid1.pid}`).join(', '));

  await t.phase('controllers boot', async () => {
    const states = await Promise.all(records.map((r) => waitBooted(r, layout.controller(r.name), 180_000)));
    const notes: string[] = [];
    for (const [i, r] of records.entries()) {
      let note = `${r.name} ${states[i]}`;
      if (states[i] === 'degraded') note += ` (failed: ${(await failedUnits(r)).join(' ')})`;
      notes.push(note);
    }
    const node = await run(inController(records[0]!.pid1.pid, ['node', '--version']));
    if (node.code !== 0) throw new Error(`node does not run in ${records[0]!.name}: ${node.stderr.trim()}`);
    return `${notes.join(', ')}; node ${node.stdout.trim()} inside`;
  }, (s) => s);

  await t.phase('master (bridge side)', () => startMaster(layout, plan, project, (p) => {
    state.master = p;
    state.natsUrl = plan.natsUrl;
    save();
  }), (p) => `pid ${p.pid}, ${plan.natsUrl}`);

  await t.phase('minions answer test.ping', () =>
    waitFor('the three minions to answer test.ping', async () => {
      const ids = await pingMinions(layout, project, 3);
      return ids.length === plan.controllers.length ? ids : undefined;
    }, 180_000, 1_000),
    (ids) => ids.join(' '));

  log(`brine run '*' test.ping (from the bridge side):`);
  await runInherit(brineArgv(layout, project, ['run', '*', 'test.ping']));
  saveUpTimings(layout.dir, { at: new Date().toISOString(), totalMs: t.total(), phases: t.phases });
  log(t.summary(`lab up: 3 controllers (${opts.init}), master ${plan.natsUrl}`));
  log('next: npm run lab -- status | npm run lab -- exec ctrl-1 [CMD...] | npm run lab -- brine run \'*\' test.ping | npm run lab -- down');
  return 0;
}
