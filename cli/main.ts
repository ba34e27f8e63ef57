/** The `brine` command line: one binary, Salt's habits (see README). */
import { Command } from 'commander';

type Register = (program: Command, setExit: (code: number) => void) => void;

/**
 * Each subcommand's module, loaded only when that subcommand runs (start-up time matters:
 * `brine run` should not load the renderer, the state engine and SQLite first).
 */
const COMMANDS: Record<string, () => Register> = {
  call: () => (require('./commands/call') as typeof import('./commands/call')).registerCall,
  master: () => (require('./commands/master') as typeof import('./commands/master')).registerMaster,
  minion: () => (require('./commands/minion') as typeof import('./commands/minion')).registerMinion,
  run: () => (require('./commands/run') as typeof import('./commands/run')).registerRun,
  state: () => (require('./commands/run') as typeof import('./commands/run')).registerRun,
  events: () => (require('./commands/events') as typeof import('./commands/events')).registerEvents,
  key: () => (require('./commands/key') as typeof import('./commands/key')).registerKey,
  jobs: () => (require('./commands/jobs') as typeof import('./commands/jobs')).registerJobs,
  orch: () => (require('./commands/orch') as typeof import('./commands/orch')).registerOrch,
};

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
  const chosen = argv[2] !== undefined ? COMMANDS[argv[2]] : undefined;
  const loaders = chosen ? [chosen] : [...new Set(Object.values(COMMANDS))];
  const registered = new Set<Register>();
  for (const load of loaders) {
    const register = load();
    if (registered.has(register)) continue;
    registered.add(register);
    register(program, setExit);
  }
  try {
    await program.parseAsync(argv);
  } catch (e) {
    const err = e as { code?: string; exitCode?: number };
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
    return err.exitCode ?? 1;
  }
  return exitCode;
}
