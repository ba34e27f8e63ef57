/**
 * Check 2: on each controller, `rabbitmqctl cluster_status` lists the three nodes as running
 * (and no network partition); the HA policy (ha-all, ha-mode all) and the openstack user exist.
 */
import type { LabContext } from '../context';
import { parseClusterStatus, parsePolicies, parseUsers } from '../parse/rabbitmq';
import { verdict, type Verdict } from '../verdict';

/** The RabbitMQ node names of the lab's controllers (rabbit@ctrl-N). */
export function rabbitNodes(controllers: readonly string[]): string[] {
  return controllers.map((c) => `rabbit@${c}`).sort();
}

/** The verdict on one controller's cluster_status JSON. */
export function judgeClusterStatus(name: string, text: string, expected: readonly string[]): Verdict {
  try {
    const s = parseClusterStatus(text);
    const ok = JSON.stringify(s.runningNodes) === JSON.stringify([...expected].sort()) && s.partitions.length === 0;
    return verdict(`2 rabbitmq ${name} cluster_status`, ok, `running nodes ${s.runningNodes.join(' ') || '(none)'} (${s.runningNodes.length}); partitions: ${s.partitions.join(' ') || 'none'}`);
  } catch (e) {
    return verdict(`2 rabbitmq ${name} cluster_status`, false, (e as Error).message);
  }
}

/** The verdict on list_policies and list_users (JSON). */
export function judgePolicyAndUser(name: string, policies: string, users: string): Verdict {
  try {
    const ha = parsePolicies(policies).find((p) => p.name === 'ha-all');
    const names = parseUsers(users);
    const ok = ha !== undefined && ha.definition['ha-mode'] === 'all' && names.includes('openstack');
    return verdict(`2 rabbitmq ${name} policy and user`, ok, `policy ha-all ${ha ? `${JSON.stringify(ha.pattern)} ${JSON.stringify(ha.definition)}` : 'MISSING'}; users ${names.join(' ')}`);
  } catch (e) {
    return verdict(`2 rabbitmq ${name} policy and user`, false, (e as Error).message);
  }
}

/** Check 2 on every controller. */
export async function checkRabbitmq(ctx: LabContext): Promise<Verdict[]> {
  const names = ctx.plan.controllers.map((c) => c.name);
  const out: Verdict[] = [];
  for (const name of names) {
    const cs = await ctx.exec(name, ['rabbitmqctl', '-q', 'cluster_status', '--formatter', 'json']);
    out.push(cs.code === 0 ? judgeClusterStatus(name, cs.stdout, rabbitNodes(names)) : verdict(`2 rabbitmq ${name} cluster_status`, false, `rabbitmqctl exited ${cs.code}: ${(cs.stderr || cs.stdout).trim().split('\n')[0] ?? ''}`));
    const pol = await ctx.exec(name, ['rabbitmqctl', '-q', 'list_policies', '--formatter', 'json']);
    const usr = await ctx.exec(name, ['rabbitmqctl', '-q', 'list_users', '--formatter', 'json']);
    out.push(pol.code === 0 && usr.code === 0 ? judgePolicyAndUser(name, pol.stdout, usr.stdout) : verdict(`2 rabbitmq ${name} policy and user`, false, `rabbitmqctl exited ${pol.code}/${usr.code}`));
  }
  return out;
}
