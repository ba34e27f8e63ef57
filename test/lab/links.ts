/**
 * Cutting a controller off the bridges and healing it: its veths' bridge-side ends are set
 * down (then up) in the bridge namespace. Nothing inside the controller is touched.
 */
import type { LabPlan } from './plan';
import { BRIDGE_NETNS } from './plan';
import { runOk } from './proc';

/** Set every bridge-side end of controller `name`'s veths down (`up` false) or up. */
export async function setControllerLinks(plan: LabPlan, name: string, up: boolean): Promise<string[]> {
  const c = plan.controllers.find((x) => x.name === name);
  if (!c) throw new Error(`no controller ${name}`);
  for (const itf of c.interfaces) await runOk(['ip', '-n', BRIDGE_NETNS, 'link', 'set', itf.peer, up ? 'up' : 'down']);
  return c.interfaces.map((i) => i.peer);
}
