/** Package facts kept while their files are unchanged: read again after any change, shared while in flight. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { filesStamp, StampedCache } from '../../minion/backends/apt/stamped-cache';

describe('stamped cache (package facts)', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-stamped-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads once while the files are unchanged, again after a change to a file or a directory entry', async () => {
    const status = path.join(dir, 'status');
    const lists = path.join(dir, 'lists');
    fs.writeFileSync(status, 'a');
    fs.mkdirSync(lists);
    fs.writeFileSync(path.join(lists, 'x_Packages'), '1');
    const cache = new StampedCache<number>();
    let reads = 0;
    const read = () => cache.get('k', [status, lists], async () => ++reads);
    const [a, b] = await Promise.all([read(), read()]);
    assert.deepEqual([a, b, reads], [1, 1, 1], 'concurrent askers share one read');
    assert.equal(await read(), 1);
    fs.writeFileSync(status, 'ab');
    assert.equal(await read(), 2, 'the status file changed');
    fs.writeFileSync(path.join(lists, 'x_Packages'), '22');
    assert.equal(await read(), 3, 'a file inside a watched directory changed in place');
    fs.writeFileSync(path.join(lists, 'y_Packages'), '1');
    assert.equal(await read(), 4, 'an entry appeared');
    fs.rmSync(status);
    assert.equal(await read(), 5, 'a file disappeared');
    assert.equal(await read(), 5);
  });

  it('does not keep a failed read', async () => {
    const cache = new StampedCache<string>();
    const file = path.join(dir, 'f');
    await assert.rejects(cache.get('k', [file], async () => { throw new Error('dpkg-query failed'); }), /dpkg-query failed/);
    await new Promise((r) => setImmediate(r));
    assert.equal(await cache.get('k', [file], async () => 'ok'), 'ok');
  });

  it('stamps a missing file as missing', () => {
    assert.equal(filesStamp([path.join(dir, 'none')]), '-');
  });
});
