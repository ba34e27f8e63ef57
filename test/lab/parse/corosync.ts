/** Reading `corosync-quorumtool -s`: quorum information and the member list. */

/** What corosync-quorumtool says. */
export interface QuorumStatus {
  quorate: boolean;
  /** "Nodes:" (members seen by this node). */
  nodes: number;
  expectedVotes: number;
  totalVotes: number;
  /** Member names (the `(local)` marker removed). */
  members: string[];
  /** The member this node is. */
  local?: string;
}

/** Parse `corosync-quorumtool -s` (its exit status is 0 only when quorate; the text is read either way). */
export function parseQuorumTool(text: string): QuorumStatus {
  const fields = new Map<string, string>();
  const members: string[] = [];
  let local: string | undefined;
  let inMembers = false;
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (/^\s*Nodeid\s+Votes\s+(Qdevice\s+)?Name/.test(line)) {
      inMembers = true;
      continue;
    }
    if (inMembers) {
      const m = /^\s*\d+\s+\d+\s+(?:(?:A|NA|NR|NV|MW),?\S*\s+)?(\S+)(\s+\(local\))?/.exec(line);
      if (m) {
        members.push(m[1]!);
        if (m[2]) local = m[1];
      }
      continue;
    }
    const kv = /^([A-Za-z][A-Za-z ]*?):\s+(.*)$/.exec(line);
    if (kv) fields.set(kv[1]!.trim(), kv[2]!.trim());
  }
  const num = (k: string): number => {
    const n = parseInt(fields.get(k) ?? '', 10);
    return Number.isFinite(n) ? n : 0;
  };
  return {
    quorate: (fields.get('Quorate') ?? '').toLowerCase() === 'yes',
    nodes: num('Nodes'),
    expectedVotes: num('Expected votes'),
    totalVotes: num('Total votes'),
    members: members.sort(),
    ...(local ? { local } : {}),
  };
}
