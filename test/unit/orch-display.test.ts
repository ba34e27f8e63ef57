/**
 * The orchestration display (cli/orch-display): a scripted run — a step that changes, one that
 * is ok, one that fails (a failed cmd.run on ctrl-2.lab, no response from ctrl-3.lab), two
 * skipped dependents and a master-side step — fed to the plain display (exact lines, injected
 * clock, no \r or ESC) and to the live display over a fake terminal whose screen is replayed.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { MinionProgress, OrchEvent, OrchStepStatus } from '../../common/protocol/orch';
import { createOrchDisplay, type OrchDisplayStream } from '../../cli/orch-display/index';
import { formatDuration } from '../../cli/orch-display/text';
import { failedMinionsInComment, statusOfReturn } from '../../cli/orch-display/salt-return';

const T0 = Date.UTC(2026, 10, 22, 3, 50, 0, 0);
const at = (seconds: number): number => T0 + Math.round(seconds * 1000);
const JID = '20261122035000000000';
const C1 = 'ctrl-1.lab';
const C2 = 'ctrl-2.lab';
const C3 = 'ctrl-3.lab';

const tag = (id: string, fun = 'state'): string => `salt_|-${id}_|-${id}_|-${fun}`;
const DEPLOY = tag('rabbitmq deploy');
const SETUP = tag('rabbitmq setup');
const JOIN = tag('rabbitmq join');
const USERS = tag('rabbitmq users');
const POLICIES = tag('rabbitmq policies');
const ANNOUNCE = tag('announce done', 'succeed_without_changes');

const p = (done: number, total: number, state: MinionProgress['state']): MinionProgress => ({ done, total, state });

const JOIN_CMD = 'rabbitmqctl join_cluster rabbit@ctrl-1';
const JOIN_STDOUT = 'Clustering node rabbit@ctrl-2 with rabbit@ctrl-1';
const JOIN_STDERR = 'Error: unable to perform an operation on node rabbit@ctrl-1\nnodedown';

/** What Salt 3006's saltmod.state returns for the failed step: failures under changes.ret. */
function joinReturn(): Record<string, unknown> {
  return {
    name: 'rabbitmq join',
    result: false,
    comment: `Run failed on minions: ${C2}, ${C3}`,
    changes: {
      out: 'highstate',
      ret: {
        [C2]: {
          'service_|-rabbitmq-server_|-rabbitmq-server_|-running': {
            name: 'rabbitmq-server',
            result: true,
            comment: 'The service rabbitmq-server is already running',
            changes: {},
            __id__: 'rabbitmq-server',
            __run_num__: 0,
          },
          [`cmd_|-rabbitmq join cluster_|-${JOIN_CMD}_|-run`]: {
            name: JOIN_CMD,
            result: false,
            comment: `Command "${JOIN_CMD}" run`,
            changes: { pid: 4242, retcode: 69, stdout: JOIN_STDOUT, stderr: JOIN_STDERR },
            __id__: 'rabbitmq join cluster',
            __sls__: 'rabbitmq-server.join',
            __run_num__: 1,
            start_time: '03:50:05.100000',
            duration: 2100.5,
          },
          'cmd_|-rabbitmq start app_|-rabbitmqctl start_app_|-run': {
            name: 'rabbitmqctl start_app',
            result: false,
            comment: 'One or more requisite failed: rabbitmq-server.join.rabbitmq join cluster',
            changes: {},
            __id__: 'rabbitmq start app',
            __run_num__: 2,
          },
        },
        [C3]: 'Minion did not return. [No response]',
      },
    },
    duration: 34000,
    start_time: '03:50:05.000000',
    __run_num__: 2,
    __id__: 'rabbitmq join',
    __sls__: 'prereqos',
  };
}

function skippedReturn(id: string, requisite: string, runNum: number): Record<string, unknown> {
  return { name: id, result: false, comment: `One or more requisite failed: prereqos.${requisite}`, changes: {}, __run_num__: runNum, __id__: id, __sls__: 'prereqos', duration: 0.01 };
}

/** The events of the scripted run, in order. */
function scriptedEvents(): OrchEvent[] {
  const steps = [
    { id: 'rabbitmq deploy', tag: DEPLOY, fun: 'salt.state' },
    { id: 'rabbitmq setup', tag: SETUP, fun: 'salt.state' },
    { id: 'rabbitmq join', tag: JOIN, fun: 'salt.state' },
    { id: 'rabbitmq users', tag: USERS, fun: 'salt.state' },
    { id: 'rabbitmq policies', tag: POLICIES, fun: 'salt.state' },
    { id: 'announce done', tag: ANNOUNCE, fun: 'test.succeed_without_changes' },
  ];
  const step = (t: string, status: OrchStepStatus, s: number, extra: Record<string, unknown> = {}): OrchEvent =>
    ({ type: 'orch-step', jid: JID, tag: t, status, at: at(s), ...extra }) as OrchEvent;
  const deployJid = '20261122035000100000';
  const joinJid = '20261122035005000000';
  return [
    { type: 'orch-start', jid: JID, name: 'prereqos', test: false, steps, resumed: false, finished: [], at: at(0) },
    step(DEPLOY, 'running', 0.1, { stepJid: deployJid, startedAt: at(0.1), minions: { [C1]: p(0, 4, 'running'), [C2]: p(0, 4, 'running'), [C3]: p(0, 4, 'running') } }),
    step(DEPLOY, 'running', 1.5, { stepJid: deployJid, startedAt: at(0.1), minions: { [C1]: p(2, 4, 'running'), [C2]: p(1, 4, 'running'), [C3]: p(3, 4, 'running') } }),
    step(DEPLOY, 'running', 2.2, { stepJid: deployJid, startedAt: at(0.1), minions: { [C1]: p(4, 4, 'ok'), [C2]: p(3, 4, 'running'), [C3]: p(4, 4, 'running') } }),
    step(DEPLOY, 'running', 3.0, { stepJid: deployJid, startedAt: at(0.1), minions: { [C1]: p(4, 4, 'ok'), [C2]: p(4, 4, 'ok'), [C3]: p(4, 4, 'ok') } }),
    step(DEPLOY, 'changed', 3.1, { result: true, comment: `States ran successfully. Updating ${C1}, ${C2}, ${C3}.`, startedAt: at(0.1), minions: { [C1]: p(4, 4, 'ok'), [C2]: p(4, 4, 'ok'), [C3]: p(4, 4, 'ok') } }),
    step(SETUP, 'running', 3.2, { stepJid: '20261122035003200000', startedAt: at(3.2), minions: { [C1]: p(0, 2, 'running') } }),
    step(SETUP, 'running', 4.9, { stepJid: '20261122035003200000', startedAt: at(3.2), minions: { [C1]: p(2, 2, 'ok') } }),
    step(SETUP, 'ok', 4.95, { result: true, comment: `States ran successfully. No changes made to ${C1}.`, startedAt: at(3.2), minions: { [C1]: p(2, 2, 'ok') } }),
    step(JOIN, 'running', 5.0, { startedAt: at(5.0) }),
    step(JOIN, 'running', 5.1, { stepJid: joinJid, startedAt: at(5.0), minions: { [C2]: p(0, 3, 'running'), [C3]: p(0, 3, 'waiting') } }),
    step(JOIN, 'running', 7.3, { stepJid: joinJid, startedAt: at(5.0), minions: { [C2]: p(3, 3, 'failed'), [C3]: p(0, 3, 'waiting') } }),
    step(JOIN, 'running', 39.0, { stepJid: joinJid, startedAt: at(5.0), minions: { [C2]: p(3, 3, 'failed'), [C3]: p(0, 3, 'no-response') } }),
    step(JOIN, 'failed', 39.0, { result: false, comment: `Run failed on minions: ${C2}, ${C3}`, startedAt: at(5.0), minions: { [C2]: p(3, 3, 'failed'), [C3]: p(0, 3, 'no-response') } }),
    step(USERS, 'skipped', 39.1, { result: false, comment: 'One or more requisite failed: prereqos.rabbitmq join' }),
    step(POLICIES, 'skipped', 39.1, { result: false, comment: 'One or more requisite failed: prereqos.rabbitmq users' }),
    step(ANNOUNCE, 'running', 39.2, { startedAt: at(39.2) }),
    step(ANNOUNCE, 'ok', 39.25, { result: true, comment: 'Success!', startedAt: at(39.2) }),
    {
      type: 'orch-done',
      jid: JID,
      retcode: 1,
      at: at(62.4),
      data: {
        master_master: {
          [DEPLOY]: { name: 'rabbitmq deploy', result: true, comment: `States ran successfully. Updating ${C1}, ${C2}, ${C3}.`, changes: { out: 'highstate', ret: {} }, duration: 3000, __run_num__: 0, __id__: 'rabbitmq deploy' },
          [SETUP]: { name: 'rabbitmq setup', result: true, comment: `States ran successfully. No changes made to ${C1}.`, changes: {}, duration: 1750, __run_num__: 1, __id__: 'rabbitmq setup' },
          [JOIN]: joinReturn(),
          [USERS]: skippedReturn('rabbitmq users', 'rabbitmq join', 3),
          [POLICIES]: skippedReturn('rabbitmq policies', 'rabbitmq users', 4),
          [ANNOUNCE]: { name: 'announce done', result: true, comment: 'Success!', changes: {}, duration: 0.4, __run_num__: 5, __id__: 'announce done' },
        },
      },
    },
  ];
}

/** A stream that keeps what is written; a terminal when `tty`. */
function fakeStream(tty: boolean, columns?: number): { stream: OrchDisplayStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  }) as Writable & OrchDisplayStream;
  // Writable.write is asynchronous through _write; keep it synchronous so the test reads it at once.
  stream.write = ((chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return true;
  }) as typeof stream.write;
  if (tty) {
    stream.isTTY = true;
    stream.columns = columns ?? 120;
  }
  return { stream, text: () => chunks.join('') };
}

/** A clock that only moves when the test says so. */
function manualClock(start: number): { now: () => number; set: (ms: number) => void } {
  let t = start;
  return { now: () => t, set: (ms) => (t = ms) };
}

/**
 * A tiny terminal: replays what was written (text, `\n` as a terminal with ONLCR shows it, `\r`,
 * and the CSI sequences readline writes: cursor up/down/left/right, column, clear line/below;
 * colours and private modes ignored) and returns the screen's lines.
 */
function screenOf(output: string, columns: number): string[] {
  const rows: string[][] = [[]];
  let row = 0;
  let col = 0;
  const line = (): string[] => (rows[row] ??= []);
  for (let i = 0; i < output.length; i++) {
    const ch = output[i] as string;
    if (ch === '\u001b') {
      const m = /^\u001b\[([?0-9;]*)([A-Za-z])/.exec(output.slice(i)) ?? /^\u001b[78]/.exec(output.slice(i));
      if (!m) throw new Error(`unknown escape at ${i}: ${JSON.stringify(output.slice(i, i + 8))}`);
      i += m[0].length - 1;
      const n = Number((m[1] ?? '').replace('?', '').split(';')[0] || '0');
      switch (m[2]) {
        case 'A': row = Math.max(0, row - (n || 1)); break;
        case 'B': row += n || 1; break;
        case 'C': col += n || 1; break;
        case 'D': col = Math.max(0, col - (n || 1)); break;
        case 'G': col = Math.max(0, (n || 1) - 1); break;
        case 'K':
          if (n === 0) line().length = Math.min(line().length, col);
          else if (n === 2) rows[row] = [];
          else for (let c = 0; c <= col; c++) line()[c] = ' ';
          break;
        case 'J':
          line().length = Math.min(line().length, col);
          rows.length = row + 1;
          break;
        default: break; // m (colours), h/l (private modes)
      }
      continue;
    }
    if (ch === '\n') {
      row++;
      col = 0;
      line();
      continue;
    }
    if (ch === '\r') {
      col = 0;
      continue;
    }
    assert.ok(col < columns, `line ${row} runs past column ${columns}`);
    const l = line();
    while (l.length < col) l.push(' ');
    l[col++] = ch;
  }
  return rows.map((r) => r.map((c) => c ?? ' ').join('').trimEnd());
}

/** Let the live display's redraw timer run. */
const tick = (ms = 120): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Feed `events` to a display, moving the clock to each event's time. */
function feed(display: { handle: (e: OrchEvent) => void }, clock: { set: (ms: number) => void }, events: OrchEvent[]): void {
  for (const e of events) {
    clock.set(e.at);
    display.handle(e);
  }
}

const FAILURES = [
  'Failed steps',
  `rabbitmq join (salt.state, job 20261122035005000000): Run failed on minions: ${C2}, ${C3}`,
  `  ${C2}:`,
  '    ----------',
  '              ID: rabbitmq join cluster',
  '        Function: cmd.run',
  `            Name: ${JOIN_CMD}`,
  '          Result: False',
  `         Comment: Command "${JOIN_CMD}" run`,
  `          Stdout: ${JOIN_STDOUT}`,
  '          Stderr: Error: unable to perform an operation on node rabbit@ctrl-1',
  '                  nodedown',
  '         Retcode: 69',
  '    Not run, a requisite failed: rabbitmq start app',
  `  ${C3}:`,
  '    Minion did not return. [No response]',
];

const SUMMARY = [
  'Step               Status   Minions  Duration',
  'rabbitmq deploy    changed  3/3      3.0 s',
  'rabbitmq setup     ok       1/1      1.7 s',
  'rabbitmq join      failed   0/2      34.0 s',
  'rabbitmq users     skipped  -        -',
  'rabbitmq policies  skipped  -        -',
  'announce done      ok       -        50 ms',
  '6 steps: 3 ok (1 changed), 1 failed, 2 skipped in 1m 02s',
];

describe('orch display: plain lines (logs, CI)', () => {
  it('prints one timestamped line per event, minion ends, the failed states and the summary', () => {
    const clock = manualClock(at(0));
    const out = fakeStream(false);
    const display = createOrchDisplay({ stream: out.stream, tty: false, color: false, now: clock.now });
    assert.equal(display.mode, 'plain');
    feed(display, clock, scriptedEvents());
    display.finish();
    assert.deepEqual(out.text().split('\n'), [
      '2026-11-22T03:50:00.000Z orchestration prereqos: started, 6 steps (jid 20261122035000000000)',
      `2026-11-22T03:50:00.100Z rabbitmq deploy: running on ${C1}, ${C2}, ${C3} (job 20261122035000100000)`,
      `2026-11-22T03:50:02.200Z rabbitmq deploy: ${C1} ok, 4/4 states (1/3 minions done)`,
      `2026-11-22T03:50:03.000Z rabbitmq deploy: ${C2} ok, 4/4 states (2/3 minions done)`,
      `2026-11-22T03:50:03.000Z rabbitmq deploy: ${C3} ok, 4/4 states (3/3 minions done)`,
      '2026-11-22T03:50:03.100Z rabbitmq deploy: changed (3 minions, 3.0 s)',
      `2026-11-22T03:50:03.200Z rabbitmq setup: running on ${C1} (job 20261122035003200000)`,
      `2026-11-22T03:50:04.900Z rabbitmq setup: ${C1} ok, 2/2 states (1/1 minions done)`,
      '2026-11-22T03:50:04.950Z rabbitmq setup: ok (1 minion, 1.7 s)',
      '2026-11-22T03:50:05.000Z rabbitmq join: running',
      `2026-11-22T03:50:05.100Z rabbitmq join: running on ${C2}, ${C3} (job 20261122035005000000)`,
      `2026-11-22T03:50:07.300Z rabbitmq join: ${C2} failed, 3/3 states (1/2 minions done)`,
      `2026-11-22T03:50:39.000Z rabbitmq join: ${C3} did not respond (2/2 minions done)`,
      `2026-11-22T03:50:39.000Z rabbitmq join: failed: ${C2} failed, ${C3} did not respond (2 minions, 34.0 s)`,
      '2026-11-22T03:50:39.100Z rabbitmq users: skipped: One or more requisite failed: prereqos.rabbitmq join',
      '2026-11-22T03:50:39.100Z rabbitmq policies: skipped: One or more requisite failed: prereqos.rabbitmq users',
      '2026-11-22T03:50:39.200Z announce done: running',
      '2026-11-22T03:50:39.250Z announce done: ok: Success! (50 ms)',
      '2026-11-22T03:51:02.400Z orchestration prereqos: finished, retcode 1',
      '',
      ...FAILURES,
      '',
      ...SUMMARY,
      '',
    ]);
  });

  it('never rewrites a line: no \\r, no escape sequence, even from command output', () => {
    const events = scriptedEvents();
    const done = events[events.length - 1] as Extract<OrchEvent, { type: 'orch-done' }>;
    const join = (done.data.master_master as Record<string, Record<string, unknown>>)[JOIN] as { changes: { ret: Record<string, Record<string, { changes: Record<string, unknown> }>> } };
    const cmd = join.changes.ret[C2]?.[`cmd_|-rabbitmq join cluster_|-${JOIN_CMD}_|-run`];
    assert.ok(cmd);
    cmd.changes.stdout = 'step 1\r\nstep 2\rstep 3 \u001b[31mred\u001b[0m';
    const clock = manualClock(at(0));
    const out = fakeStream(false);
    const display = createOrchDisplay({ stream: out.stream, tty: false, color: false, now: clock.now });
    feed(display, clock, events);
    display.finish();
    const text = out.text();
    assert.equal(text.includes('\r'), false);
    assert.equal(text.includes('\u001b'), false);
    assert.ok(text.includes('          Stdout: step 1\n                  step 2\n                  step 3 ?[31mred?[0m\n'), text);
    for (const line of text.split('\n').slice(0, 19)) assert.match(line, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z /);
  });

  it('colours status words only when asked', () => {
    const clock = manualClock(at(0));
    const out = fakeStream(false);
    const display = createOrchDisplay({ stream: out.stream, tty: false, color: true, now: clock.now });
    feed(display, clock, scriptedEvents());
    display.finish();
    const text = out.text();
    assert.ok(text.includes(`rabbitmq join: \u001b[0;31mfailed\u001b[0;0m: ${C2} failed`), text);
    assert.ok(text.includes('rabbitmq setup: \u001b[0;32mok\u001b[0;0m (1 minion, 1.7 s)'), text);
  });

  it('falls back to plain lines when the stream is not a terminal', () => {
    const out = fakeStream(false);
    const display = createOrchDisplay({ stream: out.stream, tty: true, color: false, now: () => T0 });
    assert.equal(display.mode, 'plain');
    display.log('connected to the master');
    display.finish();
    assert.equal(out.text().split('\n')[0], '2026-11-22T03:50:00.000Z connected to the master');
  });

  it('reports an unfinished run when orch-done never comes', () => {
    const clock = manualClock(at(0));
    const out = fakeStream(false);
    const display = createOrchDisplay({ stream: out.stream, tty: false, color: false, now: clock.now });
    feed(display, clock, scriptedEvents().slice(0, 11));
    clock.set(at(20));
    display.finish();
    display.finish();
    const lines = out.text().split('\n');
    assert.deepEqual(lines.slice(-12), [
      '2026-11-22T03:50:20.000Z orchestration prereqos: no final result received',
      '',
      'Step               Status   Minions  Duration',
      'rabbitmq deploy    changed  3/3      3.0 s',
      'rabbitmq setup     ok       1/1      1.7 s',
      'rabbitmq join      running  0/2      -',
      'rabbitmq users     waiting  -        -',
      'rabbitmq policies  waiting  -        -',
      'announce done      waiting  -        -',
      '6 steps: 2 ok (1 changed), 0 failed, 0 skipped, 4 not finished in 20.0 s',
      'No final result from the master: the orchestration may still be running (brine jobs show 20261122035000000000).',
      '',
    ]);
  });

  it('shows failures that older saltmod versions put in the comment, and orchestration errors', () => {
    const clock = manualClock(at(0));
    const out = fakeStream(false);
    const display = createOrchDisplay({ stream: out.stream, tty: false, color: false, now: clock.now });
    const comment = `Run failed on minions: ${C3}\nFailures:\n    ${C3}:\n        Minion did not respond\n`;
    feed(display, clock, [
      { type: 'orch-step', jid: JID, tag: JOIN, status: 'failed', comment, result: false, startedAt: at(1), at: at(31) },
      { type: 'orch-done', jid: JID, retcode: 1, at: at(32), data: { master_master: { [JOIN]: { name: 'rabbitmq join', result: false, comment, changes: {}, duration: 30000 } } } },
    ]);
    const lines = out.text().split('\n');
    assert.deepEqual(lines.slice(0, 8), [
      `2026-11-22T03:50:31.000Z rabbitmq join: failed: Run failed on minions: ${C3} (30.0 s)`,
      `2026-11-22T03:50:32.000Z orchestration ${JID}: finished, retcode 1`,
      '',
      'Failed steps',
      `rabbitmq join (salt.state): Run failed on minions: ${C3}`,
      `  ${C3}:`,
      '      Minion did not respond',
      '',
    ]);

    const errOut = fakeStream(false);
    const errDisplay = createOrchDisplay({ stream: errOut.stream, tty: false, color: false, now: () => at(1) });
    errDisplay.handle({ type: 'orch-done', jid: JID, retcode: 1, at: at(1), data: { master_master: ['Rendering SLS \'base:prereqos\' failed: mapping values are not allowed here; line 4'] } as unknown as Record<string, Record<string, unknown>> });
    assert.ok(errOut.text().includes("Orchestration errors\n  Rendering SLS 'base:prereqos' failed: mapping values are not allowed here; line 4\n"), errOut.text());
    assert.ok(errOut.text().includes('0 steps: 0 ok, 0 failed, 0 skipped'), errOut.text());
  });

  it('derives the status of steps the events did not finish from the orchestration return', () => {
    const clock = manualClock(at(0));
    const out = fakeStream(false);
    const display = createOrchDisplay({ stream: out.stream, tty: false, color: false, now: clock.now });
    const all = scriptedEvents();
    const start = all[0] as Extract<OrchEvent, { type: 'orch-start' }>;
    feed(display, clock, [{ ...start, resumed: true, finished: [DEPLOY, SETUP] }, all[all.length - 1] as OrchEvent]);
    const lines = out.text().split('\n');
    assert.deepEqual(lines.slice(0, 8), [
      '2026-11-22T03:50:00.000Z orchestration prereqos: resumed, 6 steps, 2 finished earlier (jid 20261122035000000000)',
      `2026-11-22T03:51:02.400Z rabbitmq deploy: changed: States ran successfully. Updating ${C1}, ${C2}, ${C3}. (3.0 s)`,
      `2026-11-22T03:51:02.400Z rabbitmq setup: ok: States ran successfully. No changes made to ${C1}. (1.7 s)`,
      `2026-11-22T03:51:02.400Z rabbitmq join: failed: Run failed on minions: ${C2}, ${C3} (34.0 s)`,
      '2026-11-22T03:51:02.400Z rabbitmq users: skipped: One or more requisite failed: prereqos.rabbitmq join',
      '2026-11-22T03:51:02.400Z rabbitmq policies: skipped: One or more requisite failed: prereqos.rabbitmq users',
      '2026-11-22T03:51:02.400Z announce done: ok: Success! (0 ms)',
      '2026-11-22T03:51:02.400Z orchestration prereqos: finished, retcode 1',
    ]);
    assert.ok(lines.includes('rabbitmq deploy    changed  3/3      3.0 s'), lines.join('\n'));
    assert.ok(lines.includes('rabbitmq join      failed   0/2      34.0 s'), lines.join('\n'));
  });
});

describe('orch display: live terminal', () => {
  it('updates one line per step in place, ticks elapsed time, and ends with the final frame and the summary', async () => {
    const clock = manualClock(at(0));
    const out = fakeStream(true, 130);
    const display = createOrchDisplay({ stream: out.stream, tty: true, color: false, now: clock.now, fps: 50 });
    assert.equal(display.mode, 'live');
    const events = scriptedEvents();
    try {
      feed(display, clock, events.slice(0, 12));
      clock.set(at(12.3));
      await tick();
      const running = screenOf(out.text(), 130);
      assert.equal(running[3]?.replace(/^\S/, '*'), `* running  rabbitmq join         7.3 s  ████████░░░░░░░░  3/6 states on 2 minions; failed: ${C2}; working: ${C3}`);
      assert.deepEqual(running.slice(4), ['· waiting  rabbitmq users', '· waiting  rabbitmq policies', '· waiting  announce done']);
      clock.set(at(20));
      await tick();
      assert.match(screenOf(out.text(), 130)[3] ?? '', / rabbitmq join {8}15\.0 s {2}█/);
      feed(display, clock, events.slice(12));
    } finally {
      display.finish();
    }
    const text = out.text();
    assert.ok(text.includes('\u001b['), 'the live region moves the cursor');
    assert.deepEqual(screenOf(text, 130), [
      'Orchestration prereqos (jid 20261122035000000000)',
      '✔ changed  rabbitmq deploy       3.0 s  ████████████████  12/12 states on 3 minions',
      '✔ ok       rabbitmq setup        1.7 s  ████████████████  2/2 states on 1 minion',
      `✖ failed   rabbitmq join        34.0 s  ████████░░░░░░░░  ${C2} failed, ${C3} did not respond; 3/6 states on 2 minions`,
      '↷ skipped  rabbitmq users               One or more requisite failed: prereqos.rabbitmq join',
      '↷ skipped  rabbitmq policies            One or more requisite failed: prereqos.rabbitmq users',
      '✔ ok       announce done         50 ms  Success!',
      '',
      ...FAILURES,
      '',
      ...SUMMARY,
      '',
    ]);
    assert.ok(text.includes(`Stdout: ${JOIN_STDOUT}`) && text.includes('Stderr: Error: unable to perform an operation on node rabbit@ctrl-1'));
  });

  it('keeps every line within a narrow terminal and only as many step lines as it has rows', async () => {
    const clock = manualClock(at(0));
    const out = fakeStream(true, 50);
    out.stream.rows = 5;
    const display = createOrchDisplay({ stream: out.stream, tty: true, color: true, now: clock.now, fps: 50 });
    const events = scriptedEvents();
    try {
      feed(display, clock, events.slice(0, 12));
      await tick();
      const plain = (l: string): string => l.replace(/\u001b\[[0-9;]*m/g, '');
      const screen = screenOf(out.text(), 50).map(plain);
      assert.equal(screen.length, 4, screen.join('\n'));
      assert.match(screen[1] ?? '', /^✔ ok {7}rabbitmq setup/);
      // 49 columns visible: the colour codes take none.
      assert.match(screen[2] ?? '', /^\S running  rabbitmq join {9}2\.3 s  ████████…$/);
      assert.equal(screen[2]?.length, 49);
      assert.ok(out.text().includes('\u001b[0;1;34m'), 'running is coloured');
      assert.match(screen[3] ?? '', /^· waiting  rabbitmq users$/);
    } finally {
      display.finish();
    }
  });
});

describe('orch display: helpers', () => {
  it('formats durations', () => {
    assert.deepEqual([450, 12_345, 59_999, 62_400, 3_723_000].map(formatDuration), ['450 ms', '12.3 s', '59.9 s', '1m 02s', '1h 02m 03s']);
  });

  it('reads saltmod comments and returns', () => {
    assert.deepEqual(failedMinionsInComment(`Run failed on minions: ${C2}, ${C3}\nFailures:\n`), [C2, C3]);
    assert.deepEqual(failedMinionsInComment(`Running function cmd.run failed on minions: ${C1}`), [C1]);
    assert.deepEqual(failedMinionsInComment(`States ran successfully. Updating ${C1}.`), []);
    assert.equal(statusOfReturn({ result: null, changes: { ret: {} } }), 'changed');
    assert.equal(statusOfReturn({ result: true, changes: {} }), 'ok');
    assert.equal(statusOfReturn({ result: false, comment: 'One or more requisite failed: prereqos.x', changes: {} }), 'skipped');
    assert.equal(statusOfReturn({ result: false, comment: 'No minions returned', changes: {} }), 'failed');
  });
});
