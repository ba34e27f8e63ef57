/**
 * Facts a minion or the master asks for over and over in one state run, kept while they stay
 * true: the list_pkgs view of a package database, where a tool was found on PATH, the parsed
 * YAML of a rendered SLS, and the grains a minion daemon hands to each job.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMinionConfig } from '../../common/config';
import { YamlError } from '../../common/errors';
import { loadSaltYamlCopy } from '../../common/yaml/load-memo';
import { listPkgs, parsePackageDb } from '../../minion/backends/apt/facts';
import { findTool } from '../../minion/backends/sysvinit/layout';
import { MinionRuntime } from '../../minion/runtime';
import { TempTree } from '../helpers/tree';

describe('facts kept across the states of a run', () => {
  it('list_pkgs: one frozen installed view per database read', () => {
    const db = parsePackageDb('install ok installed\tbash\t5.2\tamd64\npurge ok installed\told\t1.0\tamd64\n', 'amd64');
    const view = listPkgs(db);
    assert.deepEqual(view, { old: ['1.0'], bash: ['5.2'] });
    assert.equal(listPkgs(db), view, 'the same view for the same database');
    assert.ok(Object.isFrozen(view));
    const other = parsePackageDb('install ok installed\tbash\t5.3\tamd64\n', 'amd64');
    assert.deepEqual(listPkgs(other), { bash: ['5.3'] }, 'a new read has its own view');
  });

  it('findTool: keeps the place found, and searches again once it is gone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-tools-'));
    try {
      const [first, second] = [path.join(dir, 'a'), path.join(dir, 'b')];
      fs.mkdirSync(first);
      fs.mkdirSync(second);
      const tool = `brine-test-tool-${process.pid}`;
      fs.writeFileSync(path.join(second, tool), '#!/bin/sh\n', { mode: 0o755 });
      const envPath = `${first}:${second}`;
      assert.equal(findTool(tool, envPath), path.join(second, tool));
      fs.writeFileSync(path.join(first, tool), '#!/bin/sh\n', { mode: 0o755 });
      assert.equal(findTool(tool, envPath), path.join(second, tool), 'still there: kept');
      fs.rmSync(path.join(second, tool));
      assert.equal(findTool(tool, envPath), path.join(first, tool), 'gone: searched again');
      fs.rmSync(path.join(first, tool));
      assert.equal(findTool(tool, envPath), null);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('YAML of a rendered SLS: parsed once, each caller gets its own copy; errors every time', () => {
    const text = `pkgs:\n  - bash\n  - sl\nport: 0400\n`;
    const a = loadSaltYamlCopy(text, 'salt://memo-test.sls') as { pkgs: string[]; port: number };
    assert.deepEqual(a, { pkgs: ['bash', 'sl'], port: 400 });
    a.pkgs.push('changed');
    assert.deepEqual(loadSaltYamlCopy(text, 'salt://memo-test.sls'), { pkgs: ['bash', 'sl'], port: 400 });
    for (let i = 0; i < 2; i++) {
      assert.throws(
        () => loadSaltYamlCopy('a: 1\na: 2\n', 'salt://broken.sls'),
        (e: unknown) => e instanceof YamlError && e.site.file === 'salt://broken.sls' && e.site.line === 2,
      );
    }
  });

  it("a job's runtime uses the daemon's grains, copied so that the job cannot change them", () => {
    const tree = new TempTree();
    try {
      const grains = { id: 'testminion', roles: ['db'] };
      const rt = new MinionRuntime(loadMinionConfig(tree.configDir()), undefined, { pillar: {}, grains });
      assert.deepEqual(rt.grains, grains);
      (rt.grains.roles as string[]).push('changed');
      assert.deepEqual(grains, { id: 'testminion', roles: ['db'] });
    } finally {
      tree.cleanup();
    }
  });
});
