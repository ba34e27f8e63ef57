/**
 * The pure parts of the pkg module: reading dpkg-query and apt lock errors, Salt's argument
 * shapes (pkgs lists, is_true), error texts, change diffs, hold predictions and comments.
 */
import assert from 'node:assert/strict';
import { AptCommandError } from '../../minion/backends/apt/errors';
import { listPkgs, parsePackageDb, stringifyVersions, upgradeCandidates } from '../../minion/backends/apt/facts';
import { busyLock, lockHolderLine } from '../../minion/backends/apt/lock';
import { compareDicts, matchWildcard, predictHolds } from '../../minion/backends/apt/operations';
import { shellQuote } from '../../minion/backends/apt/runner';
import { desiredPkgText, isTrue, normalizeName, rawPkgNames, repackPkgs, versionArg } from '../../minion/states/pkg/args';
import { foldHoldsIntoSatisfied, mergeHoldChanges } from '../../minion/states/pkg/hold';

const DPKG_QUERY = [
  'install ok installed\tbash\t5.2.15-2+b2\tamd64',
  'hold ok installed\tsl\t5.02-1+b1\tamd64',
  'install ok installed\tlibc6\t2.36-9\ti386',
  'install ok installed\ttzdata\t2024a-0+deb12u1\tall',
  'deinstall ok config-files\tscreen\t4.9.0-4\tamd64',
  'purge ok installed\told-lib\t1.0-1\tamd64',
  'deinstall ok installed\thalf-gone\t2.0\tamd64',
  'unknown ok not-installed\tnano\t\t',
  'hold ok not-installed\twanted\t\t',
  '',
].join('\n');

describe('pkg: parsing and shapes', () => {
  describe('dpkg database', () => {
    const db = parsePackageDb(DPKG_QUERY, 'amd64');

    it("sorts packages into Salt's installed / removed / purge_desired lists", () => {
      assert.deepEqual(db.installed, {
        bash: ['5.2.15-2+b2'],
        sl: ['5.02-1+b1'],
        'libc6:i386': ['2.36-9'],
        tzdata: ['2024a-0+deb12u1'],
        'half-gone': ['2.0'],
      });
      assert.deepEqual(db.removed, { screen: ['4.9.0-4'] });
      assert.deepEqual(db.purgeDesired, { 'old-lib': ['1.0-1'] });
    });

    it('keeps every selection, including packages that are not installed', () => {
      assert.equal(db.selections.sl, 'hold');
      assert.equal(db.selections.wanted, 'hold');
      assert.equal(db.selections.nano, 'unknown');
      assert.equal(db.selections.screen, 'deinstall');
    });

    it('list_pkgs: installed plus purge-desired by default; removed or purge-desired alone on request', () => {
      const all = stringifyVersions(listPkgs(db));
      assert.equal(all['old-lib'], '1.0-1');
      assert.equal(all.bash, '5.2.15-2+b2');
      assert.equal('screen' in all, false);
      assert.deepEqual(listPkgs(db, { removed: true }), { screen: ['4.9.0-4'] });
      assert.deepEqual(listPkgs(db, { purgeDesired: true }), { 'old-lib': ['1.0-1'] });
    });

    it('joins several versions with commas', () => {
      const two = parsePackageDb('install ok installed\tfoo\t2.0\tamd64\ninstall ok installed\tfoo\t1.0\tall\n', 'amd64');
      assert.deepEqual(stringifyVersions(listPkgs(two)), { foo: '1.0,2.0' });
    });
  });

  describe('lock errors', () => {
    it('names the lock apt-get could not get', () => {
      assert.equal(busyLock('E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 7 (apt-get)\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?'), '/var/lib/dpkg/lock-frontend');
      assert.equal(busyLock('E: Could not get lock /var/lib/dpkg/lock. It is held by process 9 (dpkg)'), '/var/lib/dpkg/lock');
      assert.equal(busyLock('E: Could not get lock /var/lib/apt/lists/lock. It is held by process 3 (apt-get)\nE: Unable to lock directory /var/lib/apt/lists/'), '/var/lib/apt/lists/lock');
    });

    it("reads dpkg's own wording", () => {
      assert.equal(busyLock('dpkg: error: dpkg frontend lock was locked by another process with pid 12'), '/var/lib/dpkg/lock-frontend');
      assert.equal(busyLock('dpkg: error: dpkg database lock was locked by another process with pid 12'), '/var/lib/dpkg/lock');
      assert.equal(busyLock('dpkg: error: dpkg status database is locked by another process'), '/var/lib/dpkg/lock');
    });

    it('other failures are not lock waits', () => {
      assert.equal(busyLock('E: Unable to locate package nope'), undefined);
      assert.equal(busyLock('E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)'), undefined);
    });

    it('picks the line naming the holder', () => {
      assert.equal(lockHolderLine('dpkg: error: dpkg frontend lock was locked by another process with pid 12\nNote: removing the lock file is always wrong'), 'dpkg: error: dpkg frontend lock was locked by another process with pid 12');
    });
  });

  describe('error text (Salt CommandExecutionError)', () => {
    it('adds the info dict in nested layout; the state comment leaves the changes out', () => {
      const e = new AptCommandError('Problem encountered installing package(s)', { errors: ['E: one\nE: two'], changes: { sl: { old: '', new: '1' } } });
      assert.equal(
        e.message,
        'Problem encountered installing package(s). Additional info follows:\n\nchanges:\n    ----------\n    sl:\n        ----------\n        new:\n            1\n        old:\nerrors:\n    - E: one\n      E: two',
      );
      assert.equal(e.withoutChanges, 'Problem encountered installing package(s). Additional info follows:\n\nerrors:\n    - E: one\n      E: two');
      assert.deepEqual(e.changes, { sl: { old: '', new: '1' } });
    });

    it('without info it is just the message', () => {
      const e = new AptCommandError('boom');
      assert.equal(e.message, 'boom');
      assert.equal(e.withoutChanges, 'boom');
      assert.deepEqual(e.changes, {});
    });
  });

  describe('arguments', () => {
    it("repacks pkgs like Salt's _repack_pkgs (order kept, versions as strings, native arch dropped)", async () => {
      const r = await repackPkgs(['vim', { sl: '5.02-1+b1' }, { hello: 2.1 }, 'bash:all']);
      assert.deepEqual([...r!], [['vim', null], ['sl', '5.02-1+b1'], ['hello', '2.1'], ['bash', null]]);
      assert.equal(await repackPkgs([{ a: 1, b: 2 }]), undefined);
      assert.equal(await repackPkgs([['nested']]), undefined);
      assert.equal(await repackPkgs('vim'), undefined);
    });

    it('normalizes names only for the native architecture, all and any', () => {
      assert.equal(normalizeName('zsh:amd64', 'amd64'), 'zsh');
      assert.equal(normalizeName('zsh:i386', 'amd64'), 'zsh:i386');
      assert.equal(normalizeName('zsh:any', 'amd64'), 'zsh');
      assert.equal(normalizeName('zsh', 'amd64'), 'zsh');
    });

    it("is_true as Salt reads it", () => {
      for (const v of [true, 1, '1', 'True', 'true', '2.5']) assert.equal(isTrue(v), true, String(v));
      for (const v of [false, 0, '0', 'False', 'yes', '', null, undefined, -1]) assert.equal(isTrue(v), false, String(v));
    });

    it('versions as Python strings; hold targets from name or pkgs', () => {
      assert.equal(versionArg(null), null);
      assert.equal(versionArg('1.2-3'), '1.2-3');
      assert.equal(versionArg(1.5), '1.5');
      assert.deepEqual(rawPkgNames('x', undefined), ['x']);
      assert.deepEqual(rawPkgNames('x', ['a', { b: '1' }]), ['a', 'b']);
    });

    it("formats desired packages as Salt's _get_desired_pkg", () => {
      const d = new Map<string, string | null>([['a', null], ['b', '1.0'], ['c', '>=2']]);
      assert.equal(desiredPkgText('a', d), 'a');
      assert.equal(desiredPkgText('b', d), 'b=1.0');
      assert.equal(desiredPkgText('c', d), 'c>=2');
    });

    it('quotes words for the shell', () => {
      assert.equal(shellQuote('apt-get'), 'apt-get');
      assert.equal(shellQuote('${Status}\n'), "'${Status}\n'");
      assert.equal(shellQuote("it's"), "'it'\\''s'");
      assert.equal(shellQuote('sl=5.02*'), "'sl=5.02*'");
    });
  });

  describe('changes and holds', () => {
    it("diffs package lists as Salt's compare_dicts, keys sorted", () => {
      assert.deepEqual(compareDicts({ a: '1', b: '1', c: '1' }, { a: '2', c: '1', d: '1' }), {
        a: { old: '1', new: '2' },
        b: { old: '1', new: '' },
        d: { old: '', new: '1' },
      });
      assert.deepEqual(Object.keys(compareDicts({}, { z: '1', a: '1' })), ['a', 'z']);
    });

    it('matches names and globs against installed packages', () => {
      assert.deepEqual(matchWildcard({ sl: '1', slang: '1', vim: '1' }, ['sl*', 'vim', 'nope']), ['sl', 'slang', 'vim']);
    });

    it('predicts hold/unhold per package from the selections', () => {
      const sel = { a: 'install', b: 'hold' };
      assert.deepEqual(predictHolds(['a', 'b'], true, sel), {
        a: { name: 'a', changes: {}, result: null, comment: 'Package a is set to be held.' },
        b: { name: 'b', changes: {}, result: true, comment: 'Package b is already set to be held.' },
      });
      assert.deepEqual(predictHolds(['a', 'b', 'c'], false, sel), {
        a: { name: 'a', changes: {}, result: true, comment: 'Package a is already set not to be held.' },
        b: { name: 'b', changes: {}, result: null, comment: 'Package b is set not to be held.' },
        c: { name: 'c', changes: {}, result: false, comment: 'Package c does not have a state.' },
      });
    });

    it('folds hold results into an "already installed" comment in Salt\'s order', () => {
      const folded = foldHoldsIntoSatisfied('All specified packages are already installed', {
        a: { name: 'a', changes: {}, result: true, comment: 'Package a is already set to be held.' },
        b: { name: 'b', changes: { new: 'hold', old: 'install' }, result: true, comment: 'Package b is now being held.' },
      });
      assert.deepEqual(folded, {
        // Salt appends ".\n<comment>" after each comment, so a second package gives "held..".
        comment: 'All specified packages are already installed.\nPackage b is now being held..\nPackage a is already set to be held.',
        result: true,
        changes: { b: { new: 'hold', old: 'install' } },
      });
    });

    it('merges a new hold into the install changes as Salt concatenates them', () => {
      const changes: Record<string, unknown> = { a: { old: '', new: '1.0' } };
      const comments = mergeHoldChanges(changes, [
        { name: 'a', changes: { new: 'hold', old: 'install' }, result: true, comment: 'Package a is now being held.' },
        { name: 'z', changes: { new: 'hold', old: 'install' }, result: true, comment: 'Package z is now being held.' },
      ]);
      assert.deepEqual(comments, ['Package a is now being held.', 'Package z is now being held.']);
      assert.deepEqual(changes, { a: { old: 'install', new: '1.0\nhold' }, z: { new: 'hold' } });
    });

    it("latest_version: a newer candidate, '' when up to date or unknown", () => {
      const installed = { a: ['1.0'], b: ['2.0'] };
      assert.deepEqual(upgradeCandidates(['a', 'b', 'c', 'd'], installed, { a: '1.1', b: '2.0', c: '3.0', d: '' }), { a: '1.1', b: '', c: '3.0', d: '' });
      assert.deepEqual(upgradeCandidates(['b'], installed, { b: '2.0' }, true), { b: '2.0' });
    });
  });
});
