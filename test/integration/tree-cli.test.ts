/**
 * The example tree through the CLI, as an operator on ctrl-2 would run it:
 * `brine call --local -c test/fixtures/ctrl-2 state.show_sls <sls>` for every SLS, the
 * exact high data Salt prints for one of them, and a test=True apply of the scripts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BRINE = path.join(ROOT, 'bin', 'brine');
const CONFIG = path.join(ROOT, 'test', 'fixtures', 'ctrl-2');

function call(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BRINE, 'call', '--local', '-c', CONFIG, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function allSls(): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name), prefix ? `${prefix}.${e.name}` : e.name);
      else if (e.name.endsWith('.sls') && !(prefix === '' && e.name === 'top.sls')) {
        const base = e.name.slice(0, -4);
        out.push(base === 'init' ? prefix : prefix ? `${prefix}.${base}` : base);
      }
    }
  };
  walk(path.join(ROOT, 'states'), '');
  return out.sort();
}

describe('example tree through brine call (ctrl-2)', function () {
  this.timeout(60000);

  it('finds the SLS of seeds/004 and keepalived', () => {
    const sls = allSls();
    for (const name of ['rabbitmq-server.deploy', 'mariadb-galera.join', 'ha.setup', 'openstack.buildenv', 'keepalived']) {
      assert.ok(sls.includes(name), `${name} missing from ${sls.join(', ')}`);
    }
  });

  for (const sls of allSls()) {
    it(`state.show_sls ${sls} renders (exit 0, every ID from ${sls})`, () => {
      const r = call('state.show_sls', sls, '--out', 'json');
      assert.equal(r.status, 0, r.stdout + r.stderr);
      const high = JSON.parse(r.stdout).local as Record<string, { __sls__: string; __env__: string }>;
      assert.ok(Object.keys(high).length > 0);
      for (const [id, body] of Object.entries(high)) {
        assert.equal(body.__env__, 'base', id);
        assert.equal(typeof body.__sls__, 'string', id);
      }
      const low = call('state.show_low_sls', sls, '--out', 'json');
      assert.equal(low.status, 0, low.stdout + low.stderr);
      assert.ok(Array.isArray(JSON.parse(low.stdout).local));
    });
  }

  it('state.show_sls openstack.rc prints exactly what salt-call --out json prints', () => {
    const r = call('state.show_sls', 'openstack.rc', '--out', 'json');
    assert.equal(
      r.stdout,
      `{
    "local": {
        "/root/.openrc": {
            "file": [
                {
                    "source": "salt://openstack/files/openrc"
                },
                {
                    "template": "jinja"
                },
                "managed",
                {
                    "order": 10000
                }
            ],
            "__sls__": "openstack.rc",
            "__env__": "base"
        }
    }
}
`,
    );
  });

  it('state.show_top gives ctrl-2 the repeatable SLS', () => {
    const r = call('state.show_top', '--out', 'json');
    assert.equal(r.status, 0, r.stderr);
    const top = JSON.parse(r.stdout).local as Record<string, string[]>;
    assert.ok(top.base.includes('rabbitmq-server.deploy'), JSON.stringify(top));
  });

  it('state.apply of the setup scripts and openrc with test=True predicts and changes nothing', () => {
    const r = call('state.apply', 'rabbitmq-server.setup,mariadb-galera.setup,ha.setup,openstack.rc', 'test=True', '--out', 'json');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const res = JSON.parse(r.stdout).local as Record<string, { result: boolean | null; comment: string }>;
    assert.equal(Object.keys(res).length, 4);
    for (const v of Object.values(res)) assert.equal(v.result, null, v.comment);
  });

  it('cmd.run and cmd.run_all answer like salt-call', () => {
    assert.deepEqual(JSON.parse(call('cmd.run', 'echo hi', '--out', 'json').stdout), { local: 'hi' });
    const all = call('cmd.run_all', 'echo out; echo err >&2; exit 3', '--out', 'json');
    assert.equal(all.status, 1);
    const ret = JSON.parse(all.stdout).local as Record<string, unknown>;
    assert.deepEqual({ ...ret, pid: 0 }, { pid: 0, retcode: 3, stdout: 'out', stderr: 'err' });
  });
});
