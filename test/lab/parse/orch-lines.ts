/**
 * Reading the orchestration's plain display (`brine orch run` when its output is not a
 * terminal: one timestamped line per event), to follow a run as it goes: its jid, when a step
 * starts on its minions, when a minion ends, when a step ends, when the run ends.
 */

/** What one line of the plain display says. */
export type OrchLine =
  | { kind: 'start'; name: string; jid: string; resumed: boolean }
  | { kind: 'running'; step: string; minions: string[]; job?: string }
  | { kind: 'minion-end'; step: string; minion: string; outcome: 'ok' | 'failed' | 'no-response' }
  | { kind: 'step-end'; step: string; status: 'ok' | 'changed' | 'failed' | 'skipped'; text: string }
  | { kind: 'finished'; name: string; retcode: number };

const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z (.*)$/;

/** The event of one plain display line, or undefined for anything else (summary, report). */
export function parseOrchLine(line: string): OrchLine | undefined {
  const stamped = STAMP.exec(line.trimEnd());
  if (!stamped) return undefined;
  const text = stamped[1]!;
  const start = /^orchestration (\S+): (started|resumed)(?: in test mode)?, \d+ steps?.*\(jid (\d+)\)$/.exec(text);
  if (start) return { kind: 'start', name: start[1]!, jid: start[3]!, resumed: start[2] === 'resumed' };
  const fin = /^orchestration (\S+): finished, retcode (\d+)$/.exec(text);
  if (fin) return { kind: 'finished', name: fin[1]!, retcode: Number(fin[2]) };
  const running = /^(.+?): running(?: on (.+?))?(?: \(job (\d+)\))?$/.exec(text);
  if (running) {
    const minions = running[2] ? running[2].split(', ').filter((m) => m !== '') : [];
    return { kind: 'running', step: running[1]!, minions, ...(running[3] ? { job: running[3] } : {}) };
  }
  const noResp = /^(.+?): (\S+) did not respond \(\d+\/\d+ minions done\)$/.exec(text);
  if (noResp) return { kind: 'minion-end', step: noResp[1]!, minion: noResp[2]!, outcome: 'no-response' };
  const ended = /^(.+?): (\S+) (ok|failed)(?:, \d+\/\d+ states)? \(\d+\/\d+ minions done\)$/.exec(text);
  if (ended) return { kind: 'minion-end', step: ended[1]!, minion: ended[2]!, outcome: ended[3] as 'ok' | 'failed' };
  const final = /^(.+?): (ok|changed|failed|skipped)\b(.*)$/.exec(text);
  if (final) return { kind: 'step-end', step: final[1]!, status: final[2] as 'ok' | 'changed' | 'failed' | 'skipped', text: final[3]!.replace(/^:\s*/, '').trim() };
  return undefined;
}
