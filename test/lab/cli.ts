/**
 * `npm run lab -- <command>`: three Debian controllers on this machine, each in its own
 * namespaces with systemd (or a bash loop) as PID 1, a minion in each and a master on the
 * bridge side.
 *
 *   up [--init systemd|sysvinit]   build what is missing, start everything, wait for 3 test.ping answers
 *   status                         controllers, master, relay
 *   down [--purge]                 stop everything by pid, delete the namespaces (--purge: the base too)
 *   exec CTRL [CMD...]             run a command (default: bash) inside a controller
 *   brine ARGS...                  the brine CLI against the lab's master (from the bridge side)
 *   run [--pillar JSON] [--test] [--no-drills] [--no-keepalived]
 *                                  rehearse the deployment and check it (issue 6's list), timings
 *   check                          checks 2-4 once
 *   drill cut|master|keepalived    one drill
 */
import { Command, Option } from 'commander';
import { inController } from './controller';
import { down } from './down';
import { labLayout } from './layout';
import { brineArgv } from './master';
import { isAlive } from './processes';
import { projectDir } from './project';
import { runInherit } from './proc';
import type { InitMode } from './rootfs';
import { readState } from './state';
import { status } from './status';
import { up } from './up';
import { clusterChecks } from './checks/all';
import { labContext } from './context';
import { drill } from './drills/one';
import { labRun } from './run';
import { Verdicts } from './verdict';

function log(line: string): void {
  process.stdout.write(`[lab] ${line}\n`);
}

/** The running controller `name`'s PID 1 (throws when the lab or the controller is not up). */
function pid1Of(dir: string | undefined, name: string): number {
  const state = readState(labLayout(dir).stateFile);
  const c = state?.controllers[name];
  if (!c) throw new Error(`no controller ${name} in the lab (is it up? npm run lab -- status)`);
  if (!isAlive(c.pid1)) throw new Error(`${name}'s PID 1 (${c.pid1.pid}) is not running`);
  return c.pid1.pid;
}

/** The lab's command line. */
export function program(): Command {
  const p = new Command('lab').description('the brine lab: three controllers in namespaces, a master on the bridge side').enablePositionalOptions();
  const dirOption = (): Option => new Option('--dir <dir>', 'lab directory (default $BRINE_LAB_DIR or /var/tmp/brine-lab)');

  p.command('up')
    .description('start the lab (debootstrap base once, roots, namespaces, relay, controllers, master, minions)')
    .addOption(new Option('--init <mode>', 'PID 1 of the controllers').choices(['systemd', 'sysvinit']).default('systemd'))
    .addOption(dirOption())
    .action(async (o: { init: InitMode; dir?: string }) => {
      process.exitCode = await up({ init: o.init, ...(o.dir ? { dir: o.dir } : {}), log });
    });

  p.command('status')
    .description('controllers, master and relay')
    .addOption(dirOption())
    .action(async (o: { dir?: string }) => {
      process.exitCode = await status({ ...(o.dir ? { dir: o.dir } : {}), log });
    });

  p.command('down')
    .description('stop everything by pid, delete the namespaces and cgroups (the base stays unless --purge)')
    .option('--purge', 'remove the lab directory too (debootstrap base, apt archives, roots)')
    .addOption(dirOption())
    .action(async (o: { purge?: boolean; dir?: string }) => {
      process.exitCode = await down({ ...(o.dir ? { dir: o.dir } : {}), purge: o.purge === true, log });
    });

  p.command('exec')
    .description('run a command inside a controller (default: bash)')
    .argument('<controller>', 'ctrl-1, ctrl-2 or ctrl-3')
    .argument('[command...]', 'the command and its arguments')
    .addOption(dirOption())
    .passThroughOptions()
    .action(async (name: string, cmd: string[], o: { dir?: string }) => {
      const rest = cmd[0] === '--' ? cmd.slice(1) : cmd;
      const argv = rest.length > 0 ? rest : ['bash', '-l'];
      process.exitCode = await runInherit(inController(pid1Of(o.dir, name), argv));
    });

  p.command('brine')
    .description('the brine CLI against the lab master, e.g. brine run \'*\' test.ping')
    .argument('[args...]', 'brine arguments')
    .allowUnknownOption()
    .passThroughOptions()
    .action(async (args: string[]) => {
      process.exitCode = await runInherit(brineArgv(labLayout(), projectDir(), args));
    });

  p.command('run')
    .description('rehearse the deployment: prereqos twice with the checks, the drills, keepalived (see test/lab/README.md)')
    .option('--pillar <json>', 'pillar for the orchestrations', '{"firstnode": "ctrl-1"}')
    .option('--test', 'only brine orch run prereqos --test: say what would change')
    .option('--no-drills', 'without the failure drills (6)')
    .option('--no-keepalived', 'without the keepalived check (7)')
    .addOption(dirOption())
    .action(async (o: { pillar: string; test?: boolean; drills: boolean; keepalived: boolean; dir?: string }) => {
      process.exitCode = await labRun({ pillar: o.pillar, test: o.test === true, drills: o.drills, keepalived: o.keepalived, log, ...(o.dir ? { dir: o.dir } : {}) });
    });

  p.command('check')
    .description('checks 2-4 once (RabbitMQ, Galera, corosync/Pacemaker/HAProxy) on the lab as it is')
    .addOption(dirOption())
    .action(async (o: { dir?: string }) => {
      const v = new Verdicts(log);
      v.addAll(await clusterChecks(labContext(o.dir, log), `check-${Date.now()}`));
      log(`verdicts: ${v.counts()}`);
      process.exitCode = v.passed() ? 0 : 1;
    });

  p.command('drill')
    .description('one drill on the lab as it is: cut (ctrl-3 cut off during a run), master (restart mid-run), keepalived')
    .argument('<name>', 'cut, master or keepalived')
    .option('--pillar <json>', 'pillar for the orchestration', '{"firstnode": "ctrl-1"}')
    .addOption(dirOption())
    .action(async (name: string, o: { pillar: string; dir?: string }) => {
      process.exitCode = await drill(name, labContext(o.dir, log), o.pillar);
    });
  return p;
}

/** Run the lab's command line. */
export async function main(argv: string[]): Promise<void> {
  // a closed pipe on stdout (`... | head`) must not cut a `down` short
  process.stdout.on('error', () => undefined);
  try {
    await program().parseAsync(argv);
  } catch (e) {
    process.stderr.write(`[lab] error: ${(e as Error).message}\n`);
    process.stderr.write('[lab] what was started is recorded; `npm run lab -- down` takes it down\n');
    process.exitCode = 1;
  }
}

if (require.main === module) void main(process.argv);
