/**
 * What the lab's run, checks and drills work with: the layout, the project, the recorded
 * state, the address plan, a logger, and running commands inside a controller.
 */
import { inController } from './controller';
import { labLayout, type LabLayout } from './layout';
import { labPlan, type LabPlan } from './plan';
import { isAlive } from './processes';
import { projectDir } from './project';
import { run, type CommandResult } from './proc';
import { readState, saveState, type LabState } from './state';

/** A running lab. */
export interface LabContext {
  layout: LabLayout;
  project: string;
  state: LabState;
  plan: LabPlan;
  log: (line: string) => void;
  /** Run `argv` inside controller `name` (ctrl-N), output captured. */
  exec: (name: string, argv: readonly string[], timeoutMs?: number) => Promise<CommandResult>;
  /** Write the state file again (after the master was restarted). */
  save: () => void;
}

/** The context of the lab that is up (throws when none is, or when a controller is not running). */
export function labContext(dir: string | undefined, log: (line: string) => void): LabContext {
  const layout = labLayout(dir);
  const state = readState(layout.stateFile);
  if (!state) throw new Error('the lab is not up (npm run lab -- up)');
  const project = projectDir();
  for (const c of Object.values(state.controllers)) if (!isAlive(c.pid1)) throw new Error(`${c.name}'s PID 1 (${c.pid1.pid}) is not running: npm run lab -- up`);
  return {
    layout,
    project,
    state,
    plan: labPlan(project),
    log,
    exec: (name, argv, timeoutMs = 120_000) => {
      const c = state.controllers[name];
      if (!c) throw new Error(`no controller ${name} in the lab`);
      return run(inController(c.pid1.pid, argv), { timeoutMs });
    },
    save: () => saveState(layout.stateFile, state),
  };
}
