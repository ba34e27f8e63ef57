/**
 * The lab's record of what it started (state.json under the lab directory), written as soon
 * as each process exists so that `down` after an interrupted `up` knows every pid.
 */
import * as fs from 'node:fs';
import type { ControllerRecord } from './controller';
import type { ProcessRef } from './processes';
import type { InitMode } from './rootfs';

/** One half of a relay. */
export interface RelayRecord {
  host: string;
  port: number;
  address: string;
  side: 'host' | 'bridge';
  proc: ProcessRef;
}

/** Everything the lab started. */
export interface LabState {
  version: 1;
  init: InitMode;
  project: string;
  startedAt: string;
  netns: string[];
  controllers: Record<string, ControllerRecord>;
  relays: RelayRecord[];
  master?: ProcessRef;
  natsUrl?: string;
}

/** A new, empty record. */
export function newState(init: InitMode, project: string): LabState {
  return { version: 1, init, project, startedAt: new Date().toISOString(), netns: [], controllers: {}, relays: [] };
}

/** The record in `file`, or undefined when there is none (or it cannot be read). */
export function readState(file: string): LabState | undefined {
  try {
    const s = JSON.parse(fs.readFileSync(file, 'utf8')) as LabState;
    return s.version === 1 ? s : undefined;
  } catch {
    return undefined;
  }
}

/** Write the record (atomically: a temp file renamed over it). */
export function saveState(file: string, state: LabState): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(tmp, file);
}
