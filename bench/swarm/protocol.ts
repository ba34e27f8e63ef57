/**
 * What the swarm's parent and its worker processes say to each other over the fork IPC channel.
 */

/** Parent -> worker: run these minions. */
export interface SwarmStart {
  type: 'start';
  /** Minion ids this worker runs. */
  ids: string[];
  /** Where each minion's key pair is kept between runs (`<keysDir>/<id>`). */
  keysDir: string;
  /** Where each minion's cache and file root live for this run (`<runDir>/<id>`). */
  runDir: string;
  /** The master's bus. */
  servers: string[];
  /** The minions' log level (warning keeps thousands of minions quiet). */
  logLevel: string;
  /** The `host` grain of the i-th minion is hosts[i % hosts.length] (default: the id's first label). */
  hosts?: string[];
  /** Only make the key pairs, then report `keys` and wait (no connection). */
  keysOnly: boolean;
  /** Minions of this worker between their start and listening at one time (default: all). */
  maxStarting?: number;
}

/** Parent -> worker: stop every minion (they finish running jobs first). */
export interface SwarmStop {
  type: 'stop';
}

/** Worker -> parent. */
export type SwarmReport =
  | { type: 'keys'; made: number }
  /** `ready` minions (cumulative) are accepted and listening for jobs. */
  | { type: 'ready'; ready: number }
  | { type: 'fatal'; message: string }
  | { type: 'stopped' };

/** Parent -> worker messages. */
export type SwarmCommand = SwarmStart | SwarmStop;
