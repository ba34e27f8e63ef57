/**
 * `lab status`: each controller (PID 1, init, its state, addresses, whether its minion answers),
 * the master, the relay.
 */
import { inController } from './controller';
import { labLayout } from './layout';
import { pingMinions } from './master';
import { addressesIn, labNetns } from './netns';
import { isAlive } from './processes';
import { run } from './proc';
import { probeRelay, relayListening } from './relay';
import { readState } from './state';

/** Print the lab's status; resolves with 0 when everything is up, 1 otherwise. */
export async function status(opts: { dir?: string; log: (line: string) => void }): Promise<number> {
  const { log } = opts;
  const layout = labLayout(opts.dir);
  const state = readState(layout.stateFile);
  const namespaces = await labNetns();
  if (!state) {
    log(`no lab is up (no ${layout.stateFile})${namespaces.length > 0 ? `; lab namespaces left: ${namespaces.join(' ')} (npm run lab -- down)` : ''}`);
    return 1;
  }
  let ok = true;
  log(`lab ${layout.dir}: started ${state.startedAt}, init ${state.init}, project ${state.project}`);
  const masterUp = state.master !== undefined && isAlive(state.master);
  const answered = masterUp ? await pingMinions(layout, state.project, 3) : [];
  log('controllers:');
  for (const c of Object.values(state.controllers)) {
    const alive = isAlive(c.pid1);
    let init = alive ? 'running' : 'not running';
    if (alive && c.init === 'systemd') {
      const r = await run(inController(c.pid1.pid, ['systemctl', 'is-system-running']), { timeoutMs: 10_000 });
      init = `systemd ${r.stdout.trim() || r.stderr.trim()}`;
    } else if (alive) init = 'sysvinit (bash PID 1)';
    const addrs = namespaces.includes(c.netns) ? (await addressesIn(c.netns)).join(', ') : 'no namespace';
    const id = `${c.name}.lab`;
    const minion = answered.includes(id) ? `minion ${id} answers` : `minion ${id} does NOT answer`;
    if (!alive || !answered.includes(id)) ok = false;
    log(`  ${c.name}  PID 1 ${c.pid1.pid} (${init})  ${addrs}  ${minion}`);
  }
  log(`master: ${state.master ? `pid ${state.master.pid} ${masterUp ? 'running' : 'NOT running'}` : 'not started'}, ${state.natsUrl ?? '?'} (bridge side), config ${layout.masterDir}`);
  if (!masterUp) ok = false;
  const endpoints = new Map<string, { host: string; port: number; address: string }>();
  for (const r of state.relays) endpoints.set(`${r.host}:${r.port}`, r);
  for (const e of endpoints.values()) {
    const halves = state.relays
      .filter((r) => r.host === e.host && r.port === e.port)
      .map((r) => `${r.side} socat pid ${r.proc.pid} ${isAlive(r.proc) ? 'running' : 'NOT running'}`);
    const listening = await relayListening(e);
    const probe = listening && e.port === 80 ? await probeRelay(e, '/') : '';
    log(`relay: ${e.host}:${e.port} as ${e.address}:${e.port}: ${halves.join(', ')}; ${listening ? 'listening' : 'NOT listening'}${probe ? `; mirror says ${probe}` : ''}`);
    if (!listening) ok = false;
  }
  return ok ? 0 : 1;
}
