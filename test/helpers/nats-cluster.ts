/**
 * Test helper: three (or more) real nats-servers clustered on loopback with JetStream, the
 * way an operator would run an external bus for the master (`nats.servers`). Each node has
 * its own client, route and monitoring port, its own `server_name` and store dir, and routes
 * to every other node. Nodes are killed and stopped by their pid only.
 *
 *   const cluster = await startNatsCluster();
 *   after(() => cluster.stop());
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JetStreamManager } from '@nats-io/jetstream';
import { findNatsServerBinary } from '../../master/nats/binary';
import { NATS_AUTH_TIMEOUT_S } from '../../master/nats/config-file';
import { freePort } from './nats-server';

/** One node of the cluster. */
export interface ClusterNode {
  /** Its `server_name` (`n1`, `n2`, ...). */
  readonly name: string;
  /** `nats://127.0.0.1:<client port>`. */
  readonly url: string;
  readonly clientPort: number;
  readonly routePort: number;
  readonly monitorPort: number;
  /** Its own temp dir: config, pid file, JetStream store. */
  readonly dir: string;
  /** The running process (undefined once it exited). */
  child?: ChildProcess;
  /** Its pid while it runs. */
  pid?: number;
  /** What it printed (nats-server logs to stderr). */
  log: string;
}

/** Where a stream lives: its leader and its other replicas, as its leader reports them. */
export interface StreamPlacement {
  leader: string;
  replicas: { name: string; current: boolean }[];
}

interface JszReply {
  meta_cluster?: { leader?: string; cluster_size?: number };
}

async function distinctFreePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Poll `check` until it gives a value or `timeoutMs` passes. */
async function poll<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** A cluster of nats-servers on loopback; see startNatsCluster. */
export class TestNatsCluster {
  private constructor(
    readonly name: string,
    readonly nodes: ClusterNode[],
    private readonly root: string,
  ) {}

  /** Client URLs of every node, in node order. */
  get urls(): string[] {
    return this.nodes.map((n) => n.url);
  }

  /** The node called `name`. */
  node(name: string): ClusterNode {
    const node = this.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`no cluster node ${name}`);
    return node;
  }

  /** The nodes that run. */
  running(): ClusterNode[] {
    return this.nodes.filter((n) => n.child !== undefined);
  }

  /** Start `size` nodes and wait until each answers and the JetStream meta group has a leader all agree on. */
  static async start(size = 3, timeoutMs = 30_000): Promise<TestNatsCluster> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-nats-cluster-'));
    const ports = await distinctFreePorts(size * 3);
    const nodes: ClusterNode[] = Array.from({ length: size }, (_, i) => {
      const clientPort = ports[i * 3];
      return { name: `n${i + 1}`, url: `nats://127.0.0.1:${clientPort}`, clientPort, routePort: ports[i * 3 + 1], monitorPort: ports[i * 3 + 2], dir: path.join(root, `n${i + 1}`), log: '' };
    });
    const cluster = new TestNatsCluster('brine-test-cluster', nodes, root);
    try {
      for (const node of nodes) {
        fs.mkdirSync(node.dir, { recursive: true });
        fs.writeFileSync(path.join(node.dir, 'nats.conf'), JSON.stringify(cluster.configOf(node), null, 2));
        cluster.spawnNode(node);
      }
      await cluster.waitMetaLeader(timeoutMs);
    } catch (e) {
      await cluster.stop();
      throw e;
    }
    return cluster;
  }

  /** The nats-server config of `node` (JSON is nats-server config syntax). */
  private configOf(node: ClusterNode): Record<string, unknown> {
    return {
      server_name: node.name,
      host: '127.0.0.1',
      port: node.clientPort,
      http: `127.0.0.1:${node.monitorPort}`,
      pid_file: path.join(node.dir, 'nats-server.pid'),
      // as the master's own server: a client on a busy host gets this long to send its CONNECT
      authorization: { timeout: NATS_AUTH_TIMEOUT_S },
      jetstream: { store_dir: path.join(node.dir, 'store'), max_file_store: 4 * 1024 * 1024 * 1024, max_memory_store: 256 * 1024 * 1024 },
      cluster: {
        name: this.name,
        listen: `127.0.0.1:${node.routePort}`,
        routes: this.nodes.filter((n) => n !== node).map((n) => `nats-route://127.0.0.1:${n.routePort}`),
      },
    };
  }

  private spawnNode(node: ClusterNode): void {
    const child = spawn(findNatsServerBinary(), ['-c', path.join(node.dir, 'nats.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    node.child = child;
    node.pid = child.pid;
    node.log = '';
    child.stdout?.on('data', (d: Buffer) => (node.log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (node.log += d.toString()));
    child.once('exit', () => {
      if (node.child === child) {
        node.child = undefined;
        node.pid = undefined;
      }
    });
  }

  /** GET `/<endpoint>` of `node`'s monitoring port as JSON. */
  async monitor<T>(node: ClusterNode, endpoint: string): Promise<T> {
    const res = await fetch(`http://127.0.0.1:${node.monitorPort}/${endpoint}`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) throw new Error(`${node.name} /${endpoint}: HTTP ${res.status}`);
    return (await res.json()) as T;
  }

  /** Wait until every running node names the same JetStream meta leader (one of the running nodes); returns its name. */
  waitMetaLeader(timeoutMs = 30_000): Promise<string> {
    return poll(
      'the JetStream meta leader',
      async () => {
        const nodes = this.running();
        const leaders = await Promise.all(nodes.map(async (n) => (await this.monitor<JszReply>(n, 'jsz')).meta_cluster?.leader ?? ''));
        const leader = leaders[0];
        return leader && leaders.every((l) => l === leader) && nodes.some((n) => n.name === leader) ? leader : undefined;
      },
      timeoutMs,
    );
  }

  /**
   * Wait until `stream` (asked through `jsm`, i.e. its leader) has a leader among the running
   * nodes and every other running node as a current replica; returns where it lives.
   */
  waitStreamHealthy(jsm: JetStreamManager, stream: string, timeoutMs = 30_000): Promise<StreamPlacement> {
    return poll(
      `stream ${stream} led and replicated on the running nodes`,
      async () => {
        const cluster = (await jsm.streams.info(stream)).cluster;
        const running = new Set(this.running().map((n) => n.name));
        const leader = cluster?.leader;
        if (!leader || !running.has(leader)) return undefined;
        const replicas = (cluster?.replicas ?? []).map((r) => ({ name: r.name, current: r.current }));
        const others = [...running].filter((n) => n !== leader);
        return others.every((n) => replicas.some((r) => r.name === n && r.current)) ? { leader, replicas } : undefined;
      },
      timeoutMs,
    );
  }

  /** Wait until durable consumer `durable` of `stream` has a leader and `peers - 1` other current replicas; returns its leader. */
  waitConsumerHealthy(jsm: JetStreamManager, stream: string, durable: string, peers: number, timeoutMs = 30_000): Promise<string> {
    return poll(
      `consumer ${stream}/${durable} led and replicated on ${peers} nodes`,
      async () => {
        const cluster = (await jsm.consumers.info(stream, durable)).cluster;
        const replicas = cluster?.replicas ?? [];
        return cluster?.leader && replicas.length === peers - 1 && replicas.every((r) => r.current) ? cluster.leader : undefined;
      },
      timeoutMs,
    );
  }

  /** Names of the clients connected to `node` (its /connz). */
  async clientsOf(node: ClusterNode): Promise<string[]> {
    const connz = await this.monitor<{ connections?: { name?: string }[] }>(node, 'connz?limit=10000');
    return (connz.connections ?? []).map((c) => c.name ?? '');
  }

  /** Kill `node` with SIGKILL (by its pid) and wait until it exited. */
  async kill(node: ClusterNode): Promise<void> {
    const child = node.child;
    if (!child || node.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(node.pid, 'SIGKILL');
    await exited;
  }

  /** Stop every node (SIGKILL by pid: nothing of theirs is kept) and delete the temp dir. */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => this.kill(n)));
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** Start a JetStream cluster of `size` nats-servers on loopback; ready (meta leader elected) when it resolves. */
export function startNatsCluster(size = 3): Promise<TestNatsCluster> {
  return TestNatsCluster.start(size);
}
