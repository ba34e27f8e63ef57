/**
 * Running the init system's tools (`service`, `update-rc.d`, `systemctl`) through the minion's
 * one process runner, with each argument shell-quoted.
 */
import { shQuote } from '../../states/cmd/args';
import { runCommand, type CmdResult } from '../../states/cmd/runner';

/**
 * A service tool refused (Salt's CommandExecutionError from the service modules): the message
 * is what the tool said, shown to the operator as the state's comment.
 */
export class ServiceToolError extends Error {}

/** How one tool invocation runs. */
export interface ToolRunOptions {
  /** Seconds before the command's process group is killed (no limit when unset). */
  timeout?: number;
  /**
   * Send the command's output to /dev/null instead of collecting it. Used for init scripts
   * that start daemons: a daemon that keeps the inherited stdout open would otherwise make the
   * call wait for the daemon to exit.
   */
  discardOutput?: boolean;
}

/** Quote an argv for `/bin/sh -c`. */
export function shellLine(argv: readonly string[]): string {
  return argv.map(shQuote).join(' ');
}

/**
 * Run an argv and collect its result.
 *
 * Example: `await runTool(['service', 'ssh', 'status'])` -> `{ retcode: 0, stdout: '...', ... }`
 */
export async function runTool(argv: readonly string[], opts: ToolRunOptions = {}): Promise<CmdResult> {
  const line = shellLine(argv);
  return runCommand({
    cmd: opts.discardOutput ? `${line} </dev/null >/dev/null 2>&1` : line,
    shell: '/bin/sh',
    cwd: '/',
    timeout: opts.timeout,
  });
}
