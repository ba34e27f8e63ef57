/**
 * Check 7: `brine orch run keepalived` (orch/keepalived.sls: the first node, then the others);
 * the floating address is then on ctrl-1's keepalived interface; stopping keepalived there
 * moves it to ctrl-2 (its priority is the next highest); starting it again brings it back.
 * Pacemaker's vipapi (the same address on the api interface) is left alone: keepalived's copy
 * is on its own interface (pillar keepalived:interface), which is what is looked at.
 */
import { controllerAddresses } from '../checks/ha';
import { judgeAllOk } from '../checks/orch';
import type { LabContext } from '../context';
import { labPillar } from '../lab-pillar';
import { runOrch } from '../orch-run';
import { interfacesWith } from '../parse/ip';
import { waitFor } from '../proc';
import { verdict, type Verdict } from '../verdict';

/** The controllers whose keepalived interface carries `vip`. */
async function holders(ctx: LabContext, vip: string, iface: string): Promise<string[]> {
  const out: string[] = [];
  for (const c of ctx.plan.controllers) if (interfacesWith(await controllerAddresses(ctx, c.name), vip).includes(iface)) out.push(c.name);
  return out;
}

/** Wait until exactly `name` holds the address (up to 60 s); who holds it then. */
async function waitHolder(ctx: LabContext, vip: string, iface: string, name: string): Promise<string[]> {
  let last: string[] = [];
  try {
    await waitFor(`${vip} on ${name} ${iface} only`, async () => {
      last = await holders(ctx, vip, iface);
      return last.length === 1 && last[0] === name;
    }, 60_000, 500);
  } catch {
    /* the verdict says who holds it */
  }
  return last;
}

/** A service command inside a controller, for its init (systemctl or service). */
function serviceCmd(ctx: LabContext, action: 'start' | 'stop', unit: string): string[] {
  return ctx.state.init === 'systemd' ? ['systemctl', action, unit] : ['service', unit, action];
}

/** Check 7. */
export async function checkKeepalived(ctx: LabContext, pillar: string): Promise<Verdict[]> {
  const { keepalivedVip: vip, keepalivedInterface: iface } = labPillar(ctx.project);
  const [first, second] = ctx.plan.controllers.map((c) => c.name);
  if (!first || !second) throw new Error('the lab has fewer than two controllers');
  const out: Verdict[] = [];
  const orch = await runOrch(ctx, 'keepalived', { pillar });
  out.push(judgeAllOk('7 keepalived orchestration', orch.steps, orch.retcode));
  let who = await waitHolder(ctx, vip, iface, first);
  out.push(verdict(`7 VIP on ${first}`, who.length === 1 && who[0] === first, `${vip} on ${iface} of: ${who.join(' ') || 'nobody'}`));
  const stop = await ctx.exec(first, serviceCmd(ctx, 'stop', 'keepalived'));
  const stoppedAt = Date.now();
  who = await waitHolder(ctx, vip, iface, second);
  out.push(verdict(`7 keepalived stopped on ${first}: VIP on ${second}`, stop.code === 0 && who.length === 1 && who[0] === second, `stop exited ${stop.code}; after ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s ${vip} on ${iface} of: ${who.join(' ') || 'nobody'}`));
  const start = await ctx.exec(first, serviceCmd(ctx, 'start', 'keepalived'));
  who = await waitHolder(ctx, vip, iface, first);
  out.push(verdict(`7 keepalived started on ${first}: VIP back`, start.code === 0 && who.length === 1 && who[0] === first, `${vip} on ${iface} of: ${who.join(' ') || 'nobody'}`));
  return out;
}
