/** The `-l, --log-level` option of the daemons and `brine call`, and the logger it selects. */
import type { Command } from 'commander';
import { BrineError } from '../common/errors';
import { createLogger, isLogLevel, LOG_LEVELS, type Logger } from '../common/log';

/** Add `-l, --log-level <level>` to `cmd`. */
export function addLogLevelOption(cmd: Command): Command {
  return cmd.option('-l, --log-level <level>', `console log level: ${LOG_LEVELS.join(', ')} (default: the config's log_level, else warning)`);
}

/** The logger for `--log-level` (when given) or the config's `log_level`; a BrineError for an unknown level. */
export function loggerForLevel(flagLevel: string | undefined, configLevel: string): Logger {
  const level = flagLevel ?? configLevel;
  if (!isLogLevel(level)) throw new BrineError(`unknown log level '${level}' (use one of: ${LOG_LEVELS.join(', ')})`);
  return createLogger(level);
}
