/**
 * `brine minion -c DIR [-l LEVEL]`: run the minion daemon (Salt's salt-minion) until SIGTERM
 * or SIGINT. Exits 0 after a clean stop, 1 on a configuration error.
 */
import type { Command } from 'commander';
import { DEFAULT_CONFIG_DIR, loadMinionConfig, type MinionConfig } from '../../common/config';
import { BrineError } from '../../common/errors';
import type { Logger } from '../../common/log';
import { MinionDaemon } from '../../minion/daemon/index';
import { addLogLevelOption, loggerForLevel } from '../log-level-option';

interface MinionFlags {
  configDir: string;
  logLevel?: string;
}

/** Once stopped, the process exits even if something (a job's child process) still holds it. */
const EXIT_AFTER_STOP_MS = 2_000;

/** Register the `minion` subcommand. */
export function registerMinion(program: Command, setExit: (code: number) => void): void {
  addLogLevelOption(
    program
      .command('minion')
      .description('run the minion daemon: connect to the master, run its jobs (like salt-minion)')
      .option('-c, --config-dir <dir>', 'configuration directory holding the minion file', DEFAULT_CONFIG_DIR),
  )
    .action(async (flags: MinionFlags) => {
      const code = await runMinion(flags);
      setExit(code);
      setTimeout(() => process.exit(code), EXIT_AFTER_STOP_MS).unref();
    });
}

async function runMinion(flags: MinionFlags): Promise<number> {
  let config: MinionConfig;
  let log: Logger;
  try {
    config = loadMinionConfig(flags.configDir);
    log = loggerForLevel(flags.logLevel, config.log_level);
  } catch (e) {
    process.stderr.write(`brine minion: ${describe(e)}\n`);
    return 1;
  }
  const daemon = new MinionDaemon({ config, log });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals === 1) {
      void daemon.stop(`a ${signal}`);
      return;
    }
    log.warning(`Received ${signal} again: exiting now, without waiting for running jobs`);
    process.exit(1);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    await daemon.run();
    return 0;
  } catch (e) {
    process.stderr.write(`brine minion: ${describe(e)}\n`);
    return 1;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

function describe(e: unknown): string {
  return e instanceof BrineError ? e.describe() : (e as Error).message;
}
