/**
 * Knowing when a freshly spawned nats-server serves clients: its ports file (written once it
 * listens, and the only way to learn a port it picked) and then a real client handshake
 * (the server's INFO line, which also says whether JetStream is on).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

/** What the server announced in its INFO line. */
export interface NatsServerAnnouncement {
  serverName: string;
  version: string;
  jetstream: boolean;
  maxPayload: number;
}

const POLL_MS = 20;

/** The client port written in `<dir>/<exe>_<pid>.ports`, or undefined while the file is not there yet. */
export function readPortsFile(dir: string, pid: number): number | undefined {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return undefined;
  }
  const name = names.find((n) => n.endsWith(`_${pid}.ports`));
  if (!name) return undefined;
  try {
    const data = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { nats?: unknown };
    const first = Array.isArray(data.nats) ? data.nats[0] : undefined;
    if (typeof first !== 'string') return undefined;
    const port = Number(new URL(first).port);
    return Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    return undefined; // being written
  }
}

/**
 * Wait for the ports file of process `pid`; resolves to the client port. Rejects with
 * `abort`'s reason when it fires first, or after `timeoutMs`.
 */
export async function waitForPortsFile(dir: string, pid: number, timeoutMs: number, abort: AbortSignal): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    abort.throwIfAborted();
    const port = readPortsFile(dir, pid);
    if (port !== undefined) return port;
    if (Date.now() >= deadline) throw new Error(`no ports file after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The address to dial for a listener bound to `host` (a wildcard bind is dialled on loopback). */
export function dialHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '::1';
  return host.replace(/^\[(.*)\]$/, '$1');
}

/** Connect to a NATS client port and read the server's INFO line (no CONNECT is sent). */
export function probeClientPort(host: string, port: number, timeoutMs: number): Promise<NatsServerAnnouncement> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: dialHost(host), port });
    let buffer = '';
    const finish = (err: Error | null, value?: NatsServerAnnouncement) => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(value as NatsServerAnnouncement);
    };
    const timer = setTimeout(() => finish(new Error(`no INFO from ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('error', (e) => finish(e));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const eol = buffer.indexOf('\r\n');
      if (eol < 0) return;
      const line = buffer.slice(0, eol);
      if (!line.startsWith('INFO ')) return finish(new Error(`unexpected greeting from ${host}:${port}: ${line.slice(0, 80)}`));
      try {
        const info = JSON.parse(line.slice(5)) as Record<string, unknown>;
        finish(null, {
          serverName: String(info.server_name ?? ''),
          version: String(info.version ?? ''),
          jetstream: info.jetstream === true,
          maxPayload: Number(info.max_payload ?? 0),
        });
      } catch (e) {
        finish(e as Error);
      }
    });
  });
}
