/**
 * A small leveled logger with Salt's level names and console format (`[WARNING ] ...`),
 * writing to stderr so that outputs on stdout stay clean. Never give it pillar values or
 * state arguments: only names, ids and comments.
 */

/** Salt's log levels, most severe first. */
export const LOG_LEVELS = ['quiet', 'critical', 'error', 'warning', 'info', 'profile', 'debug', 'trace', 'garbage', 'all'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

/** A logger bound to a threshold. */
export interface Logger {
  readonly level: LogLevel;
  error(msg: string): void;
  warning(msg: string): void;
  info(msg: string): void;
  debug(msg: string): void;
}

/** Whether a string names a log level. */
export function isLogLevel(v: string): v is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(v);
}

/** A logger printing messages at `level` or more severe to `write` (stderr by default). */
export function createLogger(level: LogLevel = 'warning', write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const emit = (at: LogLevel, msg: string) => {
    if (level === 'quiet' || LOG_LEVELS.indexOf(at) > threshold) return;
    write(`[${at.toUpperCase().padEnd(8)}] ${msg}\n`);
  };
  return {
    level,
    error: (m) => emit('error', m),
    warning: (m) => emit('warning', m),
    info: (m) => emit('info', m),
    debug: (m) => emit('debug', m),
  };
}

/** A logger that prints nothing. */
export const silentLogger: Logger = createLogger('quiet');
