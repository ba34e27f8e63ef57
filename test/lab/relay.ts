/**
 * The apt relay: the controllers reach Debian's mirror without any route out of the lab. In
 * the bridge namespace, socat listens on a relay address (which each controller's /etc/hosts
 * gives as the mirror's name) and passes each connection through a Unix socket to a second
 * socat in the host's namespace, which connects to the mirror. TCP is passed as it is (the
 * Host header, or TLS, stay the controllers'); nothing else can leave.
 */
import * as fs from 'node:fs';
import type { LabLayout } from './layout';
import { BRIDGE_NETNS } from './plan';
import { inNetns } from './netns';
import { isAlive, processRef, type ProcessRef } from './processes';
import { run, spawnDetached, tail, waitFor } from './proc';
import type { RelayRecord } from './state';

/** One mirror endpoint and the relay address that stands for it in the lab. */
export interface RelayPlan {
  host: string;
  port: number;
  address: string;
}

function started(pid: number, log: string, what: string): ProcessRef {
  const ref = processRef(pid);
  if (!ref) throw new Error(`${what} exited at once:\n${tail(log)}`);
  return ref;
}

/** Whether something listens on address:port in the bridge namespace. */
export async function relayListening(p: RelayPlan): Promise<boolean> {
  const r = await run(inNetns(BRIDGE_NETNS, ['ss', '-Hltn', 'src', `${p.address}:${p.port}`]));
  return r.code === 0 && r.stdout.trim() !== '';
}

/**
 * Start both halves of the relay to one mirror endpoint; `record` is called with each process
 * as soon as it runs (so that it is in the lab's state file even if the next step fails).
 */
export async function startRelay(layout: LabLayout, p: RelayPlan, record: (r: RelayRecord) => void): Promise<void> {
  if (!/^[A-Za-z0-9.-]+$/.test(p.host)) throw new Error(`unexpected mirror host name ${JSON.stringify(p.host)}`);
  fs.mkdirSync(layout.runDir, { recursive: true });
  const sock = layout.relaySocket(p.host);
  fs.rmSync(sock, { force: true });
  const hostLog = layout.relayLog(p.host, 'host');
  const hostPid = spawnDetached(['socat', `UNIX-LISTEN:${sock},fork,mode=600`, `TCP:${p.host}:${p.port}`], hostLog);
  const hostRef = started(hostPid, hostLog, 'the host side of the relay');
  record({ ...p, side: 'host', proc: hostRef });
  await waitFor(`the relay socket ${sock}`, () => {
    if (!isAlive(hostRef)) throw new Error(`the host side of the relay exited:\n${tail(hostLog)}`);
    return fs.existsSync(sock);
  }, 10_000, 50);
  const bridgeLog = layout.relayLog(p.host, 'bridge');
  const bridgePid = spawnDetached(inNetns(BRIDGE_NETNS, ['socat', `TCP-LISTEN:${p.port},bind=${p.address},fork,reuseaddr`, `UNIX-CONNECT:${sock}`]), bridgeLog);
  const bridgeRef = started(bridgePid, bridgeLog, 'the bridge side of the relay');
  record({ ...p, side: 'bridge', proc: bridgeRef });
  await waitFor(`the relay to listen on ${p.address}:${p.port}`, async () => {
    if (!isAlive(bridgeRef)) throw new Error(`the bridge side of the relay exited:\n${tail(bridgeLog)}`);
    return relayListening(p);
  }, 10_000, 100);
}

/**
 * Ask the mirror, through the relay, for the head of `path` (from the bridge namespace);
 * resolves with the HTTP status line ('' when nothing came back). Plain HTTP only. The request
 * side is not half-closed after sending (shut-none): some mirrors reset such connections.
 */
export async function probeRelay(p: RelayPlan, path: string): Promise<string> {
  const request = `HEAD ${path} HTTP/1.1\r\nHost: ${p.host}\r\nUser-Agent: brine-lab\r\nConnection: close\r\n\r\n`;
  const r = await run(inNetns(BRIDGE_NETNS, ['socat', '-t', '10', '-T', '15', '-', `TCP:${p.address}:${p.port},shut-none`]), { input: request, timeoutMs: 20_000 });
  return r.stdout.split('\r\n')[0] ?? '';
}
