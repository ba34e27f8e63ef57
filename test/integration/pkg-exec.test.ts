/** The pkg.* execution functions against the host's real apt/dpkg, with Salt's return shapes. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { candidates } from '../../minion/backends/apt/facts';
import type { Dict } from '../../common/types';
import { pkgFunctions } from '../../minion/exec/pkg';
import type { MinionRuntime } from '../../minion/runtime';
import { TempTree } from '../helpers/tree';
import {
  dpkgStatus,
  MISSING_PKG,
  PKG_A,
  PKG_B,
  prepareAptSuite,
  purgeTestPackages,
  releaseSuiteLock,
} from './pkg-support';

describe('pkg execution functions (real apt)', function () {
  this.timeout(600000);
  let keepDep = false;
  let cand: Record<string, string> = {};
  let tree: TempTree;
  let rt: MinionRuntime;

  const call = async (fun: string, args: unknown[] = [], kwargs: Dict = {}): Promise<unknown> => {
    const r = await pkgFunctions[fun](args, kwargs, rt);
    assert.equal(r.retcode, 0);
    assert.equal(r.outputter, 'nested');
    return r.data;
  };

  before(async function () {
    keepDep = await prepareAptSuite(this);
    cand = await candidates([PKG_A, PKG_B]);
    tree = new TempTree();
    rt = tree.runtime();
  });
  afterEach(() => purgeTestPackages(keepDep));
  after(() => {
    tree?.cleanup();
    releaseSuiteLock();
  });

  it('pkg.list_pkgs: {name: version} (lists with versions_as_list)', async () => {
    const dpkgVersion = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'dpkg'], { encoding: 'utf8' }).stdout;
    const pkgs = (await call('pkg.list_pkgs')) as Record<string, string>;
    assert.equal(pkgs.dpkg, dpkgVersion);
    assert.equal(PKG_A in pkgs, false);
    const lists = (await call('pkg.list_pkgs', [], { versions_as_list: true })) as Record<string, string[]>;
    assert.deepEqual(lists.dpkg, [dpkgVersion]);
  });

  it('pkg.install / pkg.version / pkg.remove with Salt\'s shapes', async () => {
    assert.equal(await call('pkg.version', [PKG_A]), '');
    assert.deepEqual(await call('pkg.install', [PKG_A]), { [PKG_A]: { old: '', new: cand[PKG_A] } });
    assert.deepEqual(await call('pkg.install', [PKG_A]), {});
    assert.equal(await call('pkg.version', [PKG_A]), cand[PKG_A]);
    assert.deepEqual(await call('pkg.version', [PKG_A, PKG_B]), { [PKG_A]: cand[PKG_A], [PKG_B]: '' });
    assert.deepEqual(await call('pkg.version', [`${PKG_A.slice(0, 1)}*`]).then((v) => (v as Dict)[PKG_A]), cand[PKG_A]);
    assert.deepEqual(await call('pkg.remove', [PKG_A]), { [PKG_A]: { old: cand[PKG_A], new: '' } });
    assert.deepEqual(await call('pkg.remove', [PKG_A]), {});
    assert.equal(dpkgStatus(PKG_A), '');
  });

  it('pkg.install pkgs=[...] with a pin, then pkg.purge pkgs=[...]', async () => {
    const changes = await call('pkg.install', [], { pkgs: [PKG_A, { [PKG_B]: cand[PKG_B] }] });
    assert.deepEqual(changes, { [PKG_B]: { old: '', new: cand[PKG_B] }, [PKG_A]: { old: '', new: cand[PKG_A] } });
    const purged = await call('pkg.purge', [], { pkgs: [PKG_A, PKG_B] });
    assert.deepEqual(purged, {
      installed: { [PKG_B]: { old: cand[PKG_B], new: '' }, [PKG_A]: { old: cand[PKG_A], new: '' } },
      removed: {},
    });
  });

  it('pkg.install of a package that does not exist raises Salt\'s error text', async () => {
    await assert.rejects(
      pkgFunctions['pkg.install']([MISSING_PKG], {}, rt) as Promise<unknown>,
      (e: Error) => {
        assert.equal(
          e.message,
          `Problem encountered installing package(s). Additional info follows:\n\nchanges:\n    ----------\nerrors:\n    - E: Unable to locate package ${MISSING_PKG}`,
        );
        return true;
      },
    );
  });

  it('pkg.latest_version: the candidate when missing, \'\' when up to date, a dict for several', async () => {
    assert.equal(await call('pkg.latest_version', [PKG_A], { refresh: false }), cand[PKG_A]);
    await call('pkg.install', [PKG_A]);
    assert.equal(await call('pkg.latest_version', [PKG_A], { refresh: false }), '');
    assert.deepEqual(await call('pkg.latest_version', [PKG_A, PKG_B, MISSING_PKG], { refresh: false }), {
      [PKG_A]: '',
      [PKG_B]: cand[PKG_B],
      [MISSING_PKG]: '',
    });
    assert.equal(await call('pkg.latest_version', [PKG_A], { refresh: false, show_installed: true }), cand[PKG_A]);
  });

  it('pkg.hold / pkg.unhold: per-package results, test=True only predicts', async () => {
    await call('pkg.install', [PKG_A]);
    assert.deepEqual(await call('pkg.hold', [PKG_A], { test: true }), {
      [PKG_A]: { name: PKG_A, changes: {}, result: null, comment: `Package ${PKG_A} is set to be held.` },
    });
    assert.equal(dpkgStatus(PKG_A), 'install ok installed');
    assert.deepEqual(await call('pkg.hold', [], { pkgs: [PKG_A] }), {
      [PKG_A]: { name: PKG_A, changes: { new: 'hold', old: 'install' }, result: true, comment: `Package ${PKG_A} is now being held.` },
    });
    assert.equal(dpkgStatus(PKG_A), 'hold ok installed');
    assert.deepEqual(await call('pkg.hold', [PKG_A]), {
      [PKG_A]: { name: PKG_A, changes: {}, result: true, comment: `Package ${PKG_A} is already set to be held.` },
    });
    assert.deepEqual(await call('pkg.unhold', [PKG_A]), {
      [PKG_A]: { name: PKG_A, changes: { new: 'install', old: 'hold' }, result: true, comment: `Package ${PKG_A} is no longer being held.` },
    });
    assert.deepEqual(await call('pkg.unhold', [MISSING_PKG]), {
      [MISSING_PKG]: { name: MISSING_PKG, changes: {}, result: false, comment: `Package ${MISSING_PKG} does not have a state.` },
    });
    await assert.rejects(pkgFunctions['pkg.hold']([], {}, rt) as Promise<unknown>, /One of name, pkgs, or sources must be specified\./);
  });

  it('pkg.refresh_db: apt-get update reported per repository line; cache_valid_time skips it', async () => {
    assert.deepEqual(await call('pkg.refresh_db', [], { cache_valid_time: 10 ** 9 }), {});
    const r = (await call('pkg.refresh_db')) as Record<string, unknown>;
    assert.ok(Object.keys(r).length > 0);
    for (const v of Object.values(r)) assert.ok(v === true || v === null || v === false, String(v));
  });

  it('pkg.version_cmp: -1, 0, 1 like dpkg --compare-versions', async () => {
    assert.equal(await call('pkg.version_cmp', ['1.0~rc1-1', '1.0-1']), -1);
    assert.equal(await call('pkg.version_cmp', ['1:1.0', '1.0'], { ignore_epoch: true }), 0);
    assert.equal(await call('pkg.version_cmp', ['2.0', '10.0']), -1);
    assert.equal(await call('pkg.version_cmp', ['1.10', '1.9']), 1);
  });
});
