/**
 * Reading rabbitmqctl's JSON output (`--formatter json`): cluster_status, list_policies,
 * list_users. rabbitmqctl may print a line or two before the JSON document; they are skipped.
 */

/** What `rabbitmqctl cluster_status` says of the cluster, from one node's point of view. */
export interface RabbitClusterStatus {
  diskNodes: string[];
  runningNodes: string[];
  /** Nodes that report a network partition (empty when there is none). */
  partitions: string[];
  /** Resource alarms in force (memory, disk), as text. */
  alarms: string[];
}

/** One policy of `rabbitmqctl list_policies`. */
export interface RabbitPolicy {
  vhost: string;
  name: string;
  pattern: string;
  applyTo: string;
  definition: Record<string, unknown>;
}

/** The JSON value in rabbitmqctl's output (after any banner lines). */
function jsonIn(text: string, open: '{' | '['): unknown {
  const start = text.indexOf(open);
  if (start < 0) throw new Error(`no JSON ${open === '{' ? 'object' : 'array'} in rabbitmqctl's output: ${text.trim().slice(0, 200)}`);
  return JSON.parse(text.slice(start)) as unknown;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parse `rabbitmqctl cluster_status --formatter json`. */
export function parseClusterStatus(text: string): RabbitClusterStatus {
  const doc = jsonIn(text, '{');
  if (!isRecord(doc)) throw new Error('rabbitmqctl cluster_status: not a JSON object');
  const parts = doc.partitions;
  const partitions = isRecord(parts) ? Object.entries(parts).filter(([, v]) => strings(v).length > 0).map(([k]) => k) : strings(parts);
  const alarms = Array.isArray(doc.alarms) ? doc.alarms.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))) : [];
  return { diskNodes: strings(doc.disk_nodes).sort(), runningNodes: strings(doc.running_nodes).sort(), partitions: partitions.sort(), alarms };
}

/** Parse `rabbitmqctl list_policies --formatter json` (the definition may be an object or JSON text). */
export function parsePolicies(text: string): RabbitPolicy[] {
  const doc = jsonIn(text, '[');
  if (!Array.isArray(doc)) throw new Error('rabbitmqctl list_policies: not a JSON array');
  return doc.filter(isRecord).map((p) => {
    let def: unknown = p.definition;
    if (typeof def === 'string') {
      try {
        def = JSON.parse(def) as unknown;
      } catch {
        def = {};
      }
    }
    return { vhost: String(p.vhost ?? ''), name: String(p.name ?? ''), pattern: String(p.pattern ?? ''), applyTo: String(p['apply-to'] ?? ''), definition: isRecord(def) ? def : {} };
  });
}

/** Parse `rabbitmqctl list_users --formatter json`: the user names. */
export function parseUsers(text: string): string[] {
  const doc = jsonIn(text, '[');
  if (!Array.isArray(doc)) throw new Error('rabbitmqctl list_users: not a JSON array');
  return doc.filter(isRecord).map((u) => String(u.user ?? '')).filter((u) => u !== '').sort();
}
