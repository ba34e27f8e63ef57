/**
 * cmd.wait and cmd.wait_script: nothing happens unless a `watch` requisite fires, in which
 * case the module's mod_watch runs the command (see mod-watch.ts).
 *
 * Example:
 *
 *     /usr/local/bin/postinstall.sh:
 *       cmd.wait:
 *         - watch:
 *           - pkg: mycustompkg
 */
import { stateFunction, type CheckOutcome } from '../contract';

function idle(): CheckOutcome<never> {
  return { kind: 'in-state', comment: '', changes: {} };
}

/** cmd.wait (also `cmd.watch`): in state until watched. */
export const wait = stateFunction<never>({
  check: idle,
  apply: () => ({ result: true, changes: {}, comment: '' }),
});

/** cmd.wait_script: in state until watched. */
export const waitScript = wait;
