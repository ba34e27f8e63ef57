/**
 * Attack suite, fuzzing (fixed length, seeded, deterministic): random and mutated bytes into the
 * msgpack codec and the wire envelope, random YAML into the loader, random templates into the
 * renderer. Each run happens in a child process that names every input before it runs it: an
 * outcome other than the documented error classes, a hang (no new input for a long while) or an
 * abort of the process fails the test with the input that caused it.
 */
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import * as path from 'node:path';
import type { FuzzMessage, FuzzTarget } from '../helpers/fuzz-child';

const CHILD = path.resolve(__dirname, '..', 'helpers', 'fuzz-child.js');
/** An input still running after this long counts as a hang (far above any normal input). */
const HANG_MS = 15_000;

interface FuzzRun {
  count: number;
  outcomes: Record<string, number>;
  unexpected: Array<Extract<FuzzMessage, { type: 'unexpected' }>>;
}

/** Fuzz `target` with `count` inputs from `seed`; rejects on a hang or an abnormal exit. */
function fuzz(target: FuzzTarget, seed: number, count: number): Promise<FuzzRun> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [target, String(seed), String(count)], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const unexpected: FuzzRun['unexpected'] = [];
    let current = -1;
    let done: FuzzRun | undefined;
    let watchdog = setTimeout(() => hang(), HANG_MS);
    const hang = () => {
      child.kill('SIGKILL');
      reject(new Error(`${target} fuzz (seed ${seed}): input #${current} did not finish within ${HANG_MS} ms`));
    };
    child.on('message', (m: FuzzMessage) => {
      if (m.type === 'input') {
        current = m.index;
        clearTimeout(watchdog);
        watchdog = setTimeout(() => hang(), HANG_MS);
      } else if (m.type === 'unexpected') unexpected.push(m);
      else done = { count: m.count, outcomes: m.outcomes, unexpected };
    });
    child.once('exit', (code, signal) => {
      clearTimeout(watchdog);
      if (done && code === 0) resolve(done);
      else reject(new Error(`${target} fuzz (seed ${seed}) ended (exit ${code}, signal ${signal}) at input #${current}:\n${output.slice(-3000)}`));
    });
  });
}

function report(run: FuzzRun): string {
  return run.unexpected.map((u) => `#${u.index} ${JSON.stringify(u.input).slice(0, 300)}\n  ${u.error}`).join('\n');
}

describe('security: fuzzing the parsers (seeded, fixed length)', function () {
  this.timeout(120_000);

  it('the msgpack codec decodes or throws an Error for 5000 random and mutated inputs', async () => {
    const run = await fuzz('codec', 0x5eed0001, 5000);
    assert.deepEqual(run.unexpected, [], report(run));
    assert.equal(run.count, 5000);
    assert.ok(run.outcomes.decoded > 0 && run.outcomes.refused > 0, JSON.stringify(run.outcomes));
  });

  it('the wire envelope throws only WireError, and accepts no changed envelope, for 3000 inputs', async () => {
    const run = await fuzz('envelope', 0x5eed0002, 3000);
    assert.deepEqual(run.unexpected, [], report(run));
    const refused = Object.entries(run.outcomes).filter(([k]) => k.startsWith('open:') && k !== 'open:accepted');
    assert.ok(refused.length >= 3, JSON.stringify(run.outcomes));
  });

  it('the YAML loader loads or throws YamlError for 3000 random documents', async () => {
    const run = await fuzz('yaml', 0x5eed0003, 3000);
    assert.deepEqual(run.unexpected, [], report(run));
    assert.ok(run.outcomes.loaded > 0 && run.outcomes.YamlError > 0, JSON.stringify(run.outcomes));
  });

  it('the Jinja renderer renders or throws TemplateError/YamlError for 3000 random templates', async () => {
    const run = await fuzz('jinja', 0x5eed0004, 3000);
    assert.deepEqual(run.unexpected, [], report(run));
    assert.ok(run.outcomes.rendered > 0 && run.outcomes.TemplateError > 0, JSON.stringify(run.outcomes));
    for (const k of Object.keys(run.outcomes)) assert.ok(['rendered', 'TemplateError', 'YamlError'].includes(k), `outcome ${k}: ${JSON.stringify(run.outcomes)}`);
  });
});
