/**
 * Check 4: corosync has the three members and is quorate on each controller; Pacemaker shows
 * vipsrv and vipapi started on one controller, whose `ip addr` carries both addresses (and no
 * other controller does); the haproxy clone runs there; `haproxy -c` accepts the rendered
 * configuration on each controller.
 */
import type { LabContext } from '../context';
import { labPillar } from '../lab-pillar';
import { parseQuorumTool } from '../parse/corosync';
import { interfacesWith, parseIpJson, type IfAddress } from '../parse/ip';
import { parseCrmMon, type CrmStatus } from '../parse/pacemaker';
import { verdict, type Verdict } from '../verdict';

/** The verdict on one controller's `corosync-quorumtool -s`. */
export function judgeQuorum(name: string, text: string, controllers: readonly string[]): Verdict {
  const q = parseQuorumTool(text);
  const ok = q.quorate && JSON.stringify(q.members) === JSON.stringify([...controllers].sort()) && q.totalVotes === controllers.length;
  return verdict(`4 corosync ${name} quorum`, ok, `quorate ${q.quorate ? 'yes' : 'NO'}, ${q.members.length} members (${q.members.join(' ')}), votes ${q.totalVotes}/${q.expectedVotes}`);
}

/** Where crm_mon shows the VIPs: the one node holding both started, or undefined. */
export function vipNode(status: CrmStatus, vips: readonly string[]): string | undefined {
  const nodes = vips.map((id) => status.resources.find((r) => r.id === id && r.state === 'Started')?.node);
  const first = nodes[0];
  return first !== undefined && nodes.every((n) => n === first) ? first : undefined;
}

/** The verdict on crm_mon: both VIPs started on one node, the haproxy clone started there. */
export function judgeCrmMon(text: string): { v: Verdict; node?: string } {
  const s = parseCrmMon(text);
  const node = vipNode(s, ['vipsrv', 'vipapi']);
  const clone = s.clones.find((c) => c.id === 'haproxy-clone');
  const ok = node !== undefined && s.quorum && clone !== undefined && clone.started.includes(node);
  const rsc = s.resources.filter((r) => r.id.startsWith('vip')).map((r) => `${r.id} ${r.state}${r.node ? ` on ${r.node}` : ''}`);
  return {
    v: verdict('4 pacemaker VIPs', ok, `online ${s.online.join(' ')}; ${rsc.join(', ') || 'no vip resources'}; haproxy-clone started on ${clone?.started.join(' ') || '(none)'}`),
    ...(node ? { node } : {}),
  };
}

/** The verdict on the VIPs in `ip addr` of every controller: all on `holder`, none elsewhere. */
export function judgeVipAddresses(holder: string, addrs: Record<string, IfAddress[]>, vips: readonly string[]): Verdict {
  const where: string[] = [];
  let ok = true;
  for (const vip of vips) {
    for (const [name, list] of Object.entries(addrs)) {
      const ifs = interfacesWith(list, vip);
      if (ifs.length > 0) where.push(`${vip} on ${name} ${ifs.join(',')}`);
      if ((name === holder) !== ifs.length > 0) ok = false;
    }
  }
  return verdict(`4 ip addr on ${holder}`, ok, where.join('; ') || 'no VIP on any controller');
}

/** The IPv4 addresses of a controller. */
export async function controllerAddresses(ctx: LabContext, name: string): Promise<IfAddress[]> {
  const r = await ctx.exec(name, ['ip', '-j', '-4', 'addr', 'show']);
  return r.code === 0 ? parseIpJson(r.stdout) : [];
}

/** Check 4 on every controller. */
export async function checkHa(ctx: LabContext): Promise<Verdict[]> {
  const names = ctx.plan.controllers.map((c) => c.name);
  const out: Verdict[] = [];
  for (const name of names) {
    const r = await ctx.exec(name, ['corosync-quorumtool', '-s']);
    out.push(r.stdout.includes('Quorate') ? judgeQuorum(name, r.stdout, names) : verdict(`4 corosync ${name} quorum`, false, `corosync-quorumtool exited ${r.code}: ${r.stderr.trim()}`));
  }
  const mon = await ctx.exec(names[0]!, ['crm_mon', '-1']);
  const crm = judgeCrmMon(mon.stdout);
  out.push(mon.code === 0 ? crm.v : verdict('4 pacemaker VIPs', false, `crm_mon exited ${mon.code}: ${mon.stderr.trim()}`));
  const pillar = labPillar(ctx.project);
  const addrs: Record<string, IfAddress[]> = {};
  for (const name of names) addrs[name] = await controllerAddresses(ctx, name);
  out.push(crm.node ? judgeVipAddresses(crm.node, addrs, [pillar.vipSrv, pillar.vipApi]) : verdict('4 ip addr', false, 'no controller holds the VIPs in crm_mon'));
  for (const name of names) {
    const r = await ctx.exec(name, ['haproxy', '-c', '-f', '/etc/haproxy/haproxy.cfg']);
    out.push(verdict(`4 haproxy -c ${name}`, r.code === 0, `${r.code === 0 ? 'valid' : `exit ${r.code}`}: ${(r.stdout + r.stderr).trim().split('\n').pop() ?? ''}`));
  }
  return out;
}
