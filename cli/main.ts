/** The `brine` command line: one binary, Salt's habits (see README). */
import { Command } from 'commander';
import { registerCall } from './commands/call';
import { registerJobs } from './commands/jobs';
import { registerKey } from './commands/key';
import { registerEvents } from './commands/events';
import { registerMaster } from './commands/master';
import { registerMinion } from './commands/minion';
import { registerRun } from './commands/run';

/** Parse argv, run the chosen command and resolve to the process exit status. */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command();
  program
    .name('brine')
    .description('SaltStack-style configuration management: SLS trees, Jinja, highstate, over NATS')
    .showHelpAfterError()
    .exitOverride();
  const setExit = (code: number) => {
    exitCode = code;
  };
  registerCall(program, setExit);
  registerMaster(program, setExit);
  registerMinion(program, setExit);
  registerRun(program, setExit);
  registerEvents(program, setExit);
  registerKey(program, setExit);
  registerJobs(program, setExit);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    const err = e as { code?: string; exitCode?: number };
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
    return err.exitCode ?? 1;
  }
  return exitCode;
}
