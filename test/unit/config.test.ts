/** Minion config loading: Salt's option names, defaults, relative paths, clear errors. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMinionConfig } from '../../common/config';
import { ConfigError } from '../../common/errors';

describe('minion config', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-cfg-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads Salt option names and resolves relative paths against the config dir', () => {
    fs.writeFileSync(path.join(dir, 'minion'), 'id: ctrl-2\nfile_roots:\n  base:\n    - ../states\ngrains:\n  host: ctrl-2\nfailhard: True\n');
    const cfg = loadMinionConfig(dir);
    assert.equal(cfg.id, 'ctrl-2');
    assert.deepEqual(cfg.file_roots, { base: [path.resolve(dir, '../states')] });
    assert.deepEqual(cfg.pillar_roots, { base: ['/srv/pillar'] });
    assert.deepEqual(cfg.grains, { host: 'ctrl-2' });
    assert.equal(cfg.failhard, true);
    assert.equal(cfg.raw.id, 'ctrl-2');
  });

  it('a missing file means defaults', () => {
    const cfg = loadMinionConfig(dir, { id: 'x' });
    assert.deepEqual(cfg.file_roots, { base: ['/srv/salt'] });
    assert.equal(cfg.state_top, 'top.sls');
  });

  it('refuses hostile ids and broken YAML with the file named', () => {
    fs.writeFileSync(path.join(dir, 'minion'), 'id: "../etc"\n');
    assert.throws(() => loadMinionConfig(dir), (e: unknown) => e instanceof ConfigError && /invalid minion id/.test(e.message) && e.site.file === path.join(dir, 'minion'));
    fs.writeFileSync(path.join(dir, 'minion'), 'id: [\n');
    assert.throws(() => loadMinionConfig(dir), (e: unknown) => e instanceof ConfigError && e.site.file === path.join(dir, 'minion'));
    fs.writeFileSync(path.join(dir, 'minion'), 'id: "a*b"\n');
    assert.throws(() => loadMinionConfig(dir), /invalid minion id/);
  });
});
