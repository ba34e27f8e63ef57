/** Reading `crm_mon -1` (Pacemaker 2.1's text output): online nodes, resources and where they run. */

/** One primitive resource line. */
export interface CrmResource {
  id: string;
  agent: string;
  /** Started, Stopped, FAILED, Starting, ... */
  state: string;
  /** The node it is on (absent when stopped). */
  node?: string;
}

/** One clone set: on which nodes it is started, stopped. */
export interface CrmClone {
  id: string;
  child: string;
  started: string[];
  stopped: string[];
}

/** What crm_mon shows. */
export interface CrmStatus {
  quorum: boolean;
  online: string[];
  offline: string[];
  resources: CrmResource[];
  clones: CrmClone[];
}

function nodeList(text: string): string[] {
  return text.trim().split(/\s+/).filter((s) => s !== '');
}

/** Parse `crm_mon -1` (also `crm_mon -1 -r`). */
export function parseCrmMon(text: string): CrmStatus {
  const status: CrmStatus = { quorum: false, online: [], offline: [], resources: [], clones: [] };
  let clone: CrmClone | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\t/g, ' ');
    if (/Current DC:.*partition with quorum/.test(line)) status.quorum = true;
    const nodes = /^\s*\*\s+(Online|OFFLINE):\s+\[(.*)\]/.exec(line);
    if (nodes && !clone) {
      if (nodes[1] === 'Online') status.online = nodeList(nodes[2]!).sort();
      else status.offline = nodeList(nodes[2]!).sort();
      continue;
    }
    const set = /^\s*\*\s+Clone Set:\s+(\S+)\s+\[(\S+)\]/.exec(line);
    if (set) {
      clone = { id: set[1]!, child: set[2]!, started: [], stopped: [] };
      status.clones.push(clone);
      continue;
    }
    if (clone) {
      const member = /^\s{4,}\*\s+(Started|Stopped|Stopped \(disabled\)):\s+\[(.*)\]/.exec(line);
      if (member) {
        if (member[1] === 'Started') clone.started = nodeList(member[2]!).sort();
        else clone.stopped = nodeList(member[2]!).sort();
        continue;
      }
      if (!/^\s{4,}/.test(line)) clone = undefined;
    }
    const rsc = /^\s*\*\s+(\S+)\s+\(([^)]+)\):\s+(\S+)(?:\s+(\S+))?/.exec(line);
    if (rsc && !clone) {
      const node = rsc[4];
      status.resources.push({ id: rsc[1]!, agent: rsc[2]!, state: rsc[3]!, ...(node ? { node } : {}) });
    }
  }
  return status;
}
