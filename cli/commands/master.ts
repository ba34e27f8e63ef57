/**
 * `brine master -c DIR`: the master daemon in the foreground (as salt-master without -d), until
 * SIGTERM or SIGINT, then a clean stop (handlers, job cache, embedded nats-server).
 */
import type { Command } from 'commander';
import { DEFAULT_CONFIG_DIR } from '../../common/config';
import { BrineError } from '../../common/errors';
import type { Logger } from '../../common/log';
import { loadMasterConfig } from '../../master/config/index';
import { MasterDaemon } from '../../master/daemon/daemon';
import { RenderPool } from '../../master/render/pool';
import { renderSettingsOf } from '../../master/render/settings';
import { addLogLevelOption, loggerForLevel } from '../log-level-option';

interface MasterFlags {
  configDir: string;
  logLevel?: string;
}

/** Register `master`. */
export function registerMaster(program: Command, setExit: (code: number) => void): void {
  addLogLevelOption(
    program
      .command('master')
      .description('run the master: its nats-server, key handling, job publication and the job cache')
      .option('-c, --config-dir <dir>', 'configuration directory holding the master file', DEFAULT_CONFIG_DIR),
  )
    .action(async (flags: MasterFlags) => {
      setExit(await runMaster(flags));
    });
}

async function runMaster(flags: MasterFlags): Promise<number> {
  let log: Logger;
  let daemon: MasterDaemon;
  try {
    const config = loadMasterConfig(flags.configDir);
    log = loggerForLevel(flags.logLevel, config.log_level);
    const renderer = new RenderPool(renderSettingsOf(config), { size: config.worker_threads });
    daemon = await MasterDaemon.start(config, { log, renderer });
  } catch (e) {
    process.stderr.write(`brine master: ${e instanceof BrineError ? e.describe() : (e as Error).message}\n`);
    return 1;
  }
  process.stderr.write(`brine master: serving on ${daemon.bus.servers.join(', ')}; master fingerprint ${daemon.fingerprint}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  log.info('Stopping the master');
  await daemon.stop();
  return 0;
}
