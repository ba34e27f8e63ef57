/**
 * Every handler reachable over NATS is on the allowlist (common/protocol/handlers.ts): with a
 * master, two minions and a CLI following an orchestration, the subscriptions nats-server
 * reports (its monitoring endpoint, connz with subscriptions) are enumerated and each must be
 * allowed for the kind of process that holds it; unknown clients fail the test too.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { allowedSubscription, BUS_CLIENT_NAMES, handlerSubjects, type BusClientKind } from '../../common/protocol/handlers';
import { Fleet, freePort } from '../helpers/fleet';

interface Connz {
  connections: Array<{ cid: number; name?: string; subscriptions_list?: string[] }>;
}

function getJson<T>(url: string): Promise<T> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => {
          try {
            resolve(JSON.parse(body) as T);
          } catch (e) {
            reject(e as Error);
          }
        });
      })
      .on('error', reject);
  });
}

function kindOf(name: string | undefined): { kind: BusClientKind; id?: string } | undefined {
  if (name === BUS_CLIENT_NAMES.master) return { kind: 'master' };
  if (name === BUS_CLIENT_NAMES.cli) return { kind: 'cli' };
  if (name?.startsWith(BUS_CLIENT_NAMES.guestPrefix)) return { kind: 'guest' };
  if (name?.startsWith(BUS_CLIENT_NAMES.minionPrefix)) return { kind: 'minion', id: name.slice(BUS_CLIENT_NAMES.minionPrefix.length) };
  return undefined;
}

describe('security: NATS handlers are on the allowlist', function () {
  this.timeout(120_000);
  let fleet: Fleet;
  const ids = ['ctrl-1.lab', 'ctrl-2.lab'];

  before(async () => {
    fleet = new Fleet('auto_accept: True');
    fleet.monitorPort = await freePort();
    fleet.state('orch/slow.sls', "wait:\n  salt.function:\n    - name: cmd.run\n    - tgt: 'ctrl-*'\n    - arg: ['sleep 3']\n    - timeout: 30\n");
    await fleet.startMaster();
    for (const id of ids) fleet.startMinion(id, {});
    await fleet.waitReady(ids);
  });

  after(async () => {
    if (fleet) await fleet.cleanup();
  });

  it('finds only allowed subscriptions on every Brine connection, and the handlers themselves', async () => {
    const following = fleet.cliAsync('orch', 'run', 'slow', '--out', 'json');
    const url = `http://127.0.0.1:${fleet.monitorPort}/connz?subs=1`;
    let seen: Connz | undefined;
    const end = Date.now() + 20_000;
    while (Date.now() < end) {
      const c = await getJson<Connz>(url);
      if (c.connections.some((x) => x.name === BUS_CLIENT_NAMES.cli)) {
        seen = c;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(seen, 'the CLI never showed up on the bus');
    const offending: string[] = [];
    const kinds = new Set<string>();
    for (const conn of seen.connections) {
      const who = kindOf(conn.name);
      if (!who) {
        offending.push(`unknown client ${JSON.stringify(conn.name)} (cid ${conn.cid})`);
        continue;
      }
      kinds.add(who.kind);
      for (const subject of conn.subscriptions_list ?? []) {
        if (!allowedSubscription(who.kind, subject, who.id)) offending.push(`${conn.name}: ${subject}`);
      }
      for (const handler of handlerSubjects(who.kind, who.id)) {
        assert.ok((conn.subscriptions_list ?? []).includes(handler), `${conn.name} does not listen on its handler ${handler}`);
      }
    }
    assert.deepEqual(offending, []);
    assert.deepEqual([...kinds].sort(), ['cli', 'master', 'minion']);
    const r = await following;
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
});
