/** The `cmd` state module: run, script, wait, wait_script (and watch, an alias of wait), with mod_watch. */
import type { StateModule } from '../contract';
import { cmdModWatch } from './mod-watch';
import { run } from './run';
import { script } from './script';
import { wait, waitScript } from './wait';

/** Salt's cmd states that Brine implements. */
export const cmdModule: StateModule = {
  name: 'cmd',
  functions: { run, script, wait, watch: wait, wait_script: waitScript },
  modWatch: cmdModWatch,
};
