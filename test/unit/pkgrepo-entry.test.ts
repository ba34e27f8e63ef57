/** apt source lines and OpenPGP key handling of the apt-sources backend. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  armor,
  combineComments,
  dearmor,
  findRepo,
  formatSourceLine,
  isArmored,
  keyFingerprints,
  keyIdMatches,
  KeyFormatError,
  keyserverAddress,
  listEntries,
  parseSourceLine,
  removeRepo,
  sourceFiles,
  stripUri,
  type AptPaths,
} from '../../minion/backends/apt-sources';
import { pyStr } from '../../common/python/repr';
import { FIXTURE_FINGERPRINTS, FIXTURE_KEY_ASC, FIXTURE_KEYID } from './pkgrepo-fixture-key';
import { tempDir, writeTree } from './helpers/state-context';

describe('apt-sources: source lines', () => {
  it('parses an entry with options, components and a comment', () => {
    const e = parseSourceLine('deb [arch=amd64,arm64 signed-by=/etc/apt/keyrings/x.asc] https://repo.example/debian/ bookworm main contrib #managed');
    assert.equal(e.invalid, false);
    assert.equal(e.disabled, false);
    assert.equal(e.type, 'deb');
    assert.deepEqual(e.options, [['arch', 'amd64,arm64'], ['signed-by', '/etc/apt/keyrings/x.asc']]);
    assert.deepEqual(e.architectures, ['amd64', 'arm64']);
    assert.equal(e.signedby, '/etc/apt/keyrings/x.asc');
    assert.equal(e.uri, 'https://repo.example/debian/');
    assert.equal(e.dist, 'bookworm');
    assert.deepEqual(e.comps, ['main', 'contrib']);
    assert.equal(e.comment, 'managed');
  });

  it('reads a leading # as a disabled entry and plain comments as invalid', () => {
    const d = parseSourceLine('#  deb-src http://x/debian bookworm main');
    assert.equal(d.invalid, false);
    assert.equal(d.disabled, true);
    assert.equal(d.type, 'deb-src');
    for (const line of ['', '# See sources.list(5)', 'deb http://x/debian', 'foo http://x bookworm main', 'deb [arch=amd64 http://x bookworm main', 'deb [arch] http://x b m']) {
      assert.equal(parseSourceLine(line).invalid, true, line);
    }
  });

  it('parses a flat repository (dist ./, no components)', () => {
    const e = parseSourceLine('deb [trusted=yes] file:/srv/repo ./');
    assert.deepEqual([e.invalid, e.uri, e.dist, e.comps, e.options], [false, 'file:/srv/repo', './', [], [['trusted', 'yes']]]);
  });

  it('formats entries as Salt writes them', () => {
    const e = parseSourceLine('deb   [arch=amd64]   http://x/debian  bookworm   main');
    assert.equal(formatSourceLine(e), 'deb [arch=amd64] http://x/debian bookworm main');
    assert.equal(formatSourceLine({ ...e, disabled: true, comment: 'old one', options: [] }), '# deb http://x/debian bookworm main #old one');
  });

  it('strips trailing slashes of http/ftp URIs and joins comments like Salt', () => {
    assert.equal(stripUri('deb  http://x/debian/ bookworm main'), 'deb http://x/debian bookworm main');
    assert.equal(stripUri('deb file:/srv/repo/ ./'), 'deb file:/srv/repo/ ./');
    assert.equal(combineComments(['managed', 'by', 2], pyStr), 'managed by 2');
    assert.equal(combineComments(' one ', pyStr), 'one');
  });
});

describe('apt-sources: lists on disk', () => {
  let dir: string;
  let cleanup: () => void;
  let paths: AptPaths;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('brine-apt-lists-'));
    paths = { sourceList: path.join(dir, 'sources.list'), sourceParts: path.join(dir, 'sources.list.d'), keyrings: path.join(dir, 'keyrings'), aptOptions: [] };
    writeTree(dir, {
      'sources.list': '# main list\ndeb http://x/debian bookworm main contrib\n',
      'sources.list.d/b.list': '# deb http://y/debian bookworm main\ndeb [arch=amd64] http://z/debian bookworm main\n',
      'sources.list.d/a.list': 'deb http://w/debian bookworm main\n',
      'sources.list.d/c.sources': 'Types: deb\nURIs: http://v/debian\nSuites: bookworm\nComponents: main\n',
      'sources.list.d/d.list.disabled': 'deb http://u/debian bookworm main\n',
    });
  });
  afterEach(() => cleanup());

  it('reads sources.list, then sources.list.d/*.list in name order, as apt does', () => {
    assert.deepEqual(sourceFiles(paths), [paths.sourceList, path.join(paths.sourceParts, 'a.list'), path.join(paths.sourceParts, 'b.list')]);
    const entries = listEntries(paths);
    assert.deepEqual(entries.map((e) => [path.basename(e.file), e.index, e.uri, e.disabled]), [
      ['sources.list', 1, 'http://x/debian', false],
      ['a.list', 0, 'http://w/debian', false],
      ['b.list', 0, 'http://y/debian', true],
      ['b.list', 1, 'http://z/debian', false],
    ]);
  });

  it('finds a repo by type, URI (trailing slash ignored), dist and a shared component', () => {
    const entries = listEntries(paths);
    assert.equal(findRepo(entries, parseSourceLine('deb http://x/debian/ bookworm contrib'))?.index, 1);
    assert.equal(findRepo(entries, parseSourceLine('deb http://x/debian bookworm non-free')), undefined);
    assert.equal(findRepo(entries, parseSourceLine('deb-src http://x/debian bookworm main')), undefined);
    assert.equal(findRepo(entries, parseSourceLine('deb http://y/debian bookworm main'))?.disabled, true);
  });

  it('removes components, then lines, then emptied sources.list.d files (Salt\'s del_repo)', () => {
    removeRepo(paths, parseSourceLine('deb http://x/debian bookworm contrib'), 'x');
    assert.equal(fs.readFileSync(paths.sourceList, 'utf8'), '# main list\ndeb http://x/debian bookworm main\n');
    removeRepo(paths, parseSourceLine('deb http://w/debian bookworm main'), 'w');
    assert.equal(fs.existsSync(path.join(paths.sourceParts, 'a.list')), false);
    const msg = removeRepo(paths, parseSourceLine('deb [arch=amd64] http://z/debian bookworm main'), 'z');
    assert.equal(msg, `Repo 'z' has been removed from ${path.join(paths.sourceParts, 'b.list')}.\n`);
    assert.equal(fs.readFileSync(path.join(paths.sourceParts, 'b.list'), 'utf8'), '# deb http://y/debian bookworm main\n');
    assert.throws(() => removeRepo(paths, parseSourceLine('deb http://z/debian bookworm main'), 'deb http://z/debian bookworm main'), {
      message: "Repo deb http://z/debian bookworm main doesn't exist in the sources.list(s)",
    });
  });
});

describe('apt-sources: OpenPGP keys', () => {
  const asc = Buffer.from(FIXTURE_KEY_ASC);

  it('dearmors to gpg --dearmor\'s bytes and finds the fingerprints gpg shows', function () {
    const bin = dearmor(asc);
    assert.deepEqual(keyFingerprints(bin), FIXTURE_FINGERPRINTS);
    const { dir, cleanup } = tempDir('brine-gpg-home-');
    try {
      const gpg = spawnSync('gpg', ['--homedir', dir, '--batch', '--dearmor'], { input: asc });
      if (gpg.error) this.skip();
      assert.equal(gpg.status, 0, String(gpg.stderr));
      assert.ok(bin.equals(gpg.stdout));
    } finally {
      cleanup();
    }
  });

  it('armors binary keys back (checksum included) and tells armored from binary data', () => {
    const bin = dearmor(asc);
    const again = Buffer.from(armor(bin));
    assert.equal(isArmored(again), true);
    assert.equal(isArmored(bin), false);
    assert.ok(dearmor(again).equals(bin));
    assert.match(armor(bin), /\n=9JA2\n-----END PGP PUBLIC KEY BLOCK-----\n$/);
  });

  it('refuses a damaged armor and data that is not a public key', () => {
    const damaged = FIXTURE_KEY_ASC.replace('mDMEawI', 'mDMEbwI');
    assert.throws(() => dearmor(Buffer.from(damaged)), KeyFormatError);
    assert.throws(() => keyFingerprints(Buffer.from('hello, not a key')), KeyFormatError);
    assert.throws(() => dearmor(Buffer.from('no armor here')), KeyFormatError);
  });

  it('matches short and long key ids and fingerprints, with spaces or 0x', () => {
    assert.equal(keyIdMatches(FIXTURE_KEYID, FIXTURE_FINGERPRINTS), true);
    assert.equal(keyIdMatches('0x90a2de06', FIXTURE_FINGERPRINTS), true);
    assert.equal(keyIdMatches('8662 B89F 54DE 1E80 A8A8  6DBA 60DF A8AA 90A2 DE06', FIXTURE_FINGERPRINTS), true);
    assert.equal(keyIdMatches('DEADBEEF', FIXTURE_FINGERPRINTS), false);
    assert.equal(keyIdMatches('xyz', FIXTURE_FINGERPRINTS), false);
  });

  it('reads keyserver specs as gpg does', () => {
    assert.deepEqual(keyserverAddress('keyserver.ubuntu.com'), { host: 'keyserver.ubuntu.com', port: 11371 });
    assert.deepEqual(keyserverAddress('hkps://keys.example'), { host: 'keys.example', port: 443 });
    assert.deepEqual(keyserverAddress('hkp://127.0.0.1:1'), { host: '127.0.0.1', port: 1 });
    assert.deepEqual(keyserverAddress('hkp://[::1]:11371'), { host: '::1', port: 11371 });
  });
});
