/** Minion config loading: Salt's option names, defaults, relative paths, clear errors. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMinionConfig } from '../../common/config';
import { ConfigError } from '../../common/errors';
import { loadMasterConfig } from '../../master/config/index';

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

describe('bus settings: several servers, stream replicas, reconnect pacing', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-cfg-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const master = (text: string) => {
    fs.writeFileSync(path.join(dir, 'master'), text);
    return loadMasterConfig(dir);
  };
  const refusedNamingFile = (pattern: RegExp) => (e: unknown) => e instanceof ConfigError && pattern.test(e.message) && e.site.file === path.join(dir, 'master');

  it('the master takes a cluster in nats.servers with nats.replicas 1 to 5 (default 1)', () => {
    const cfg = master('nats: {servers: [nats-1.lab, "nats-2.lab:4333", "tls://nats-3.lab:4222"], replicas: 3}\n');
    assert.deepEqual(cfg.nats.servers, ['nats://nats-1.lab:4222', 'nats://nats-2.lab:4333', 'tls://nats-3.lab:4222']);
    assert.equal(cfg.nats.replicas, 3);
    assert.equal(master('nats: {servers: [a, b, c, d, e], replicas: 5}\n').nats.replicas, 5);
    assert.equal(master('nats: {servers: [a]}\n').nats.replicas, 1);
    assert.equal(master('nats: {port: 0}\n').nats.replicas, 1);
    assert.equal(master('nats: {port: 0, replicas: 1}\n').nats.replicas, 1);
  });

  it('refuses a bad nats.replicas, naming the master config file', () => {
    for (const bad of ['0', '6', '-1', '2.5', 'three', '[3]', 'True']) {
      assert.throws(() => master(`nats: {servers: [a, b, c], replicas: ${bad}}\n`), refusedNamingFile(/^nats\.replicas must be a whole number from 1 to 5 /), bad);
    }
  });

  it('refuses more than one replica on the embedded single server', () => {
    assert.throws(() => master('nats: {port: 0, replicas: 3}\n'), refusedNamingFile(/nats\.replicas is 3, but the master runs its own single nats-server.*nats\.servers/));
  });

  it('a minion takes a list of servers, shuffled unless random_master is False, and Salt\'s recon_* options', () => {
    fs.writeFileSync(path.join(dir, 'minion'), 'id: m1\nmaster: [nats-1.lab, nats-2.lab, nats-3.lab]\n');
    let cfg = loadMinionConfig(dir);
    assert.deepEqual(cfg.master, ['nats://nats-1.lab:4222', 'nats://nats-2.lab:4222', 'nats://nats-3.lab:4222']);
    assert.equal(cfg.random_master, true);
    assert.deepEqual([cfg.recon_default, cfg.recon_max, cfg.recon_randomize], [1000, 10_000, true]);
    fs.writeFileSync(path.join(dir, 'minion'), 'id: m1\nmaster: nats-1.lab\nrandom_master: False\nrecon_default: 5000\nrecon_max: 60000\nrecon_randomize: False\n');
    cfg = loadMinionConfig(dir);
    assert.deepEqual([cfg.random_master, cfg.recon_default, cfg.recon_max, cfg.recon_randomize], [false, 5000, 60_000, false]);
    fs.writeFileSync(path.join(dir, 'minion'), 'id: m1\nrecon_default: 20000\n');
    assert.equal(loadMinionConfig(dir).recon_max, 20_000, 'recon_max defaults to at least recon_default');
  });

  it('refuses bad recon_* values, naming the minion config file', () => {
    const file = path.join(dir, 'minion');
    for (const [text, pattern] of [
      ['recon_default: -1', /^recon_default must be a number of milliseconds/],
      ['recon_max: soon', /^recon_max must be a number of milliseconds/],
      ['recon_default: 5000\nrecon_max: 1000', /^recon_max \(1000\) must not be below recon_default \(5000\)/],
    ] as const) {
      fs.writeFileSync(file, `id: m1\n${text}\n`);
      assert.throws(() => loadMinionConfig(dir), (e: unknown) => e instanceof ConfigError && pattern.test(e.message) && e.site.file === file, text);
    }
  });

  it("a minion takes Salt's auth_timeout (5 s) and acceptance_wait_time_max (0: the wait never grows)", () => {
    const file = path.join(dir, 'minion');
    fs.writeFileSync(file, 'id: m1\n');
    let cfg = loadMinionConfig(dir);
    assert.deepEqual([cfg.auth_timeout, cfg.acceptance_wait_time, cfg.acceptance_wait_time_max], [5, 10, 0]);
    fs.writeFileSync(file, 'id: m1\nauth_timeout: 15\nacceptance_wait_time: 2\nacceptance_wait_time_max: 60\n');
    cfg = loadMinionConfig(dir);
    assert.deepEqual([cfg.auth_timeout, cfg.acceptance_wait_time, cfg.acceptance_wait_time_max], [15, 2, 60]);
    for (const text of ['auth_timeout: 0', 'auth_timeout: soon', 'acceptance_wait_time_max: -3']) {
      fs.writeFileSync(file, `id: m1\n${text}\n`);
      assert.throws(() => loadMinionConfig(dir), (e: unknown) => e instanceof ConfigError && /must be a positive number/.test(e.message) && e.site.file === file, text);
    }
  });
});
