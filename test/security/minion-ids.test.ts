/**
 * Attack suite, minion ids (CVE-2017-12791): a minion config, or `brine call --id`, naming an
 * id with `..`, `/`, wildcards, blanks, control characters, too many characters or none is
 * refused before any key, cache file or connection is made.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMinionConfig } from '../../common/config';
import { ConfigError } from '../../common/errors';
import { BRINE, freePort } from '../helpers/fleet';
import { HOSTILE_IDS } from '../helpers/hostile-ids';

/** One id of each kind, for the tests that start a process per id (the in-process test covers them all). */
const PROCESS_IDS: readonly string[] = ['../evil', 'a/b', 'ctrl-*', 'a.>', 'has space', 'ctl\u0007', 'x'.repeat(300), ''];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run `brine ARGS` (asynchronously, so that many run at once), killed after 30 s. */
function brine(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BRINE, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('security: hostile minion ids in the minion configuration', function () {
  this.timeout(60_000);
  let dir: string;
  let url: string;

  /** A config directory whose minion file names `id` (YAML double-quoted, so every character survives). */
  function configFor(n: number, id: string): string {
    const d = path.join(dir, `m${n}`);
    fs.mkdirSync(path.join(d, 'etc'), { recursive: true });
    fs.writeFileSync(
      path.join(d, 'etc', 'minion'),
      [`id: ${JSON.stringify(id)}`, `master: ${url}`, `root_dir: ${path.join(d, 'root')}`, `pki_dir: ${path.join(d, 'pki')}`, `cachedir: ${path.join(d, 'cache')}`, `file_roots: {base: [${path.join(d, 'states')}]}`].join('\n') + '\n',
    );
    return path.join(d, 'etc');
  }

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-sec-ids-'));
    url = `nats://127.0.0.1:${await freePort()}`;
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('loadMinionConfig refuses each with a ConfigError naming the id exactly and the file', () => {
    HOSTILE_IDS.forEach((id, n) => {
      const etc = configFor(1000 + n, id);
      let thrown: unknown;
      try {
        loadMinionConfig(etc);
      } catch (e) {
        thrown = e;
      }
      assert.ok(thrown instanceof ConfigError, `${JSON.stringify(id)} was accepted`);
      assert.equal(thrown.message, `invalid minion id: ${JSON.stringify(id)}`);
      assert.equal(thrown.site.file, path.join(etc, 'minion'));
    });
  });

  it('brine minion exits 1 for each kind, before creating keys or caches or connecting', async () => {
    const runs = await Promise.all(PROCESS_IDS.map((id, n) => brine(['minion', '-c', configFor(2000 + n, id), '-l', 'debug']).then((r) => ({ id, n, r }))));
    for (const { id, n, r } of runs) {
      const what = `${JSON.stringify(id)}: ${r.stdout}${r.stderr}`;
      assert.equal(r.status, 1, what);
      assert.ok(r.stderr.includes(`invalid minion id: ${JSON.stringify(id)}`), what);
      assert.doesNotMatch(r.stdout + r.stderr, /Connecting to the master/, what);
      assert.deepEqual(fs.readdirSync(path.join(dir, `m${2000 + n}`)), ['etc'], what);
    }
  });

  it('brine call --local --id refuses each kind', async () => {
    const etc = configFor(3000, 'good-id');
    const ids = PROCESS_IDS.filter((id) => id !== '');
    const runs = await Promise.all(ids.map((id) => brine(['call', '--local', '-c', etc, '--id', id, 'test.ping']).then((r) => ({ id, r }))));
    for (const { id, r } of runs) {
      const what = `${JSON.stringify(id)}: ${r.stdout}${r.stderr}`;
      assert.equal(r.status, 1, what);
      assert.ok(r.stderr.includes(`invalid minion id: ${JSON.stringify(id)}`), what);
      assert.equal(r.stdout, '', what);
    }
    assert.deepEqual(fs.readdirSync(path.join(dir, 'm3000')), ['etc']);
  });
});
