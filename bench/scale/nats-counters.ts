/** nats-server's own counters, read from its HTTP monitoring port (varz). */

/** The nats-servers' client connections now, and accepted since they started (summed over their monitoring ports). */
export async function natsCounters(ports: readonly number[]): Promise<{ now: number; total: number }> {
  let now = 0;
  let total = 0;
  for (const port of ports) {
    const res = await fetch(`http://127.0.0.1:${port}/varz`);
    const varz = (await res.json()) as { connections?: number; total_connections?: number };
    now += varz.connections ?? 0;
    total += varz.total_connections ?? 0;
  }
  return { now, total };
}
