/** What the service states depend on besides their arguments: the backend choice and a clock. */
import type { Dict } from '../../../common/types';
import { chooseServiceBackend, type ServiceBackend } from '../../backends/init-system';
import { realSleep, type Sleeper } from './outcome';

/** The backend picker (from the minion's options) and the sleeper used for init_delay. */
export interface ServiceEnv {
  pick(opts: Dict): ServiceBackend;
  sleep: Sleeper;
}

/** The host's: systemd or sysvinit as detected, real sleeps. */
export const hostServiceEnv: ServiceEnv = { pick: (opts) => chooseServiceBackend(opts), sleep: realSleep };
