/**
 * `brine key` as an operator runs it (a real process over a real pki dir): salt-key's texts,
 * the confirmation rules (refused without a terminal, asked on one), exit statuses, and the
 * master's fingerprint as minions pin it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateIdentity, publicDocument } from '../../common/wire/keys';
import { MinionKeyStore } from '../../master/pki/store';

const BRINE = path.resolve(__dirname, '..', '..', '..', 'bin', 'brine');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** sha256 of the bytes, as lowercase hex pairs joined by ':' (computed here, not with Brine's code). */
function sha256Pairs(bytes: Buffer | string): string {
  return crypto
    .createHash('sha256')
    .update(bytes)
    .digest('hex')
    .replace(/(..)(?!$)/g, '$1:');
}

describe('brine key (CLI)', function () {
  this.timeout(30000);
  let dir: string;
  let configDir: string;
  let pki: string;
  const docs: Record<string, string> = {};

  const brine = (...args: string[]): Run => {
    const r = spawnSync(process.execPath, [BRINE, 'key', '-c', configDir, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, input: '' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const keyFile = (sub: string, id: string): boolean => fs.existsSync(path.join(pki, sub, id));
  const present = (id: string): string[] => ['minions', 'minions_pre', 'minions_rejected', 'minions_denied'].filter((sub) => keyFile(sub, id));

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-cli-key-'));
    configDir = path.join(dir, 'etc');
    pki = path.join(dir, 'pki');
    fs.mkdirSync(configDir);
    fs.writeFileSync(path.join(configDir, 'master'), `pki_dir: ${pki}\ncachedir: ${path.join(dir, 'cache')}\n`);
    const store = new MinionKeyStore(pki);
    for (const id of ['web1', 'web2', 'db1', 'Ctrl-1', 'ctrl-2']) {
      docs[id] = publicDocument(generateIdentity().publicKeys);
      store.register(id, docs[id]);
    }
    store.accept('db1');
    docs['db1-denied'] = publicDocument(generateIdentity().publicKeys);
    assert.equal(store.register('db1', docs['db1-denied']), 'denied');
    store.reject('Ctrl-1');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const ALL_KEYS = ['Accepted Keys:', 'db1', 'Denied Keys:', 'db1', 'Unaccepted Keys:', 'ctrl-2', 'web1', 'web2', 'Rejected Keys:', 'Ctrl-1', ''].join('\n');

  it("lists every key with salt-key's outputter, with no action, `list` and -L alike", () => {
    for (const args of [[], ['list'], ['list', 'all'], ['-L'], ['-l', 'all']]) {
      const r = brine(...args);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, ALL_KEYS, `brine key ${args.join(' ')}`);
    }
  });

  it('lists one status, read by its start as salt-key reads it', () => {
    assert.equal(brine('list', 'pre').stdout, 'Unaccepted Keys:\nctrl-2\nweb1\nweb2\n');
    assert.equal(brine('list', 'unaccepted').stdout, 'Unaccepted Keys:\nctrl-2\nweb1\nweb2\n');
    assert.equal(brine('list', 'accepted').stdout, 'Accepted Keys:\ndb1\n');
    assert.equal(brine('-l', 'rej').stdout, 'Rejected Keys:\nCtrl-1\n');
    assert.equal(brine('list', 'denied').stdout, 'Denied Keys:\ndb1\n');
  });

  it('refuses an unknown list argument with exit 2', () => {
    const r = brine('list', 'bogus');
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^brine key: 'bogus' is not a valid argument to '--list'/);
  });

  it("--out json prints salt-key's structure", () => {
    const r = brine('list', '--out', 'json');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { minions: ['db1'], minions_pre: ['ctrl-2', 'web1', 'web2'], minions_rejected: ['Ctrl-1'], minions_denied: ['db1'] });
    assert.deepEqual(Object.keys(JSON.parse(r.stdout)), ['minions', 'minions_pre', 'minions_rejected', 'minions_denied']);
    const yaml = brine('-L', '--out', 'yaml');
    assert.equal(yaml.stdout, 'minions:\n- db1\nminions_denied:\n- db1\nminions_pre:\n- ctrl-2\n- web1\n- web2\nminions_rejected:\n- Ctrl-1\n');
  });

  it("colours like salt-key's outputter with --force-color", () => {
    const r = brine('list', 'acc', '--force-color');
    assert.equal(r.stdout, '\u001b[0;1;32mAccepted Keys:\u001b[0;0m\n\u001b[0;32mdb1\u001b[0;0m\n');
    assert.equal(brine('list', 'acc').stdout, 'Accepted Keys:\ndb1\n', 'no colour when stdout is not a terminal');
  });

  it('accept -y: shows the keys, accepts them, reports each as salt-key does', () => {
    const r = brine('accept', 'web*', '-y');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      r.stdout,
      ['The following keys are going to be accepted:', 'Unaccepted Keys:', 'web1', 'web2', 'Key for minion web1 accepted.', 'Key for minion web2 accepted.', ''].join('\n'),
    );
    assert.deepEqual(present('web1'), ['minions']);
    assert.deepEqual(present('web2'), ['minions']);
    assert.equal(fs.readFileSync(path.join(pki, 'minions', 'web1'), 'utf8'), docs.web1);
    assert.deepEqual(present('ctrl-2'), ['minions_pre']);
  });

  it('salt-key flags: -a GLOB -y, -A -y', () => {
    assert.equal(brine('-a', 'web1', '-y').stdout.split('\n').slice(-2)[0], 'Key for minion web1 accepted.');
    const all = brine('-A', '-y');
    assert.equal(all.status, 0, all.stderr);
    assert.equal(
      all.stdout,
      ['The following keys are going to be accepted:', 'Unaccepted Keys:', 'ctrl-2', 'web2', 'Key for minion ctrl-2 accepted.', 'Key for minion web2 accepted.', ''].join('\n'),
    );
    assert.equal(brine('-L', '--out', 'json').stdout.replace(/\s+/g, ''), '{"minions":["ctrl-2","db1","web1","web2"],"minions_pre":[],"minions_rejected":["Ctrl-1"],"minions_denied":["db1"]}');
  });

  it('without -y and without a terminal: shows what would change, refuses with exit 2, changes nothing', () => {
    for (const [args, verb] of [
      [['accept', 'web1'], 'accepting'],
      [['-r', 'web1'], 'rejecting'],
      [['delete', 'web1'], 'deleting'],
    ] as const) {
      const r = brine(...args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stdout, /^The following keys are going to be (accepted|rejected|deleted):\nUnaccepted Keys:\nweb1\n$/);
      assert.equal(r.stderr, `brine key: not ${verb} without confirmation: stdin is not a terminal (pass -y to answer yes)\n`);
      assert.deepEqual(present('web1'), ['minions_pre']);
    }
  });

  it("a glob matching nothing prints Salt's message and exits 1", () => {
    const acc = brine('accept', 'nothing*', '-y');
    assert.equal(acc.status, 1);
    assert.equal(acc.stdout, "The key glob 'nothing*' does not match any unaccepted keys.\n");
    const accepted = brine('accept', 'db1', '-y');
    assert.equal(accepted.stdout, "The key glob 'db1' does not match any unaccepted keys.\n", 'accepted keys are not accepted again');
    const rej = brine('reject', 'zz', '--include-accepted', '--include-denied', '-y');
    assert.equal(rej.stdout, "The key glob 'zz' does not match any unaccepted, accepted or denied keys.\n");
    const accAll = brine('accept', 'zz', '--include-rejected', '-y');
    assert.equal(accAll.stdout, "The key glob 'zz' does not match any unaccepted or rejected keys.\n");
    const del = brine('delete', 'zz', '-y');
    assert.equal(del.status, 1);
    assert.equal(del.stdout, "The key glob 'zz' does not match any keys.\n");
  });

  it('reject --include-accepted moves an accepted key to rejected; without it the accepted key is untouched', () => {
    assert.equal(brine('reject', 'db1', '-y').status, 1);
    assert.deepEqual(present('db1'), ['minions', 'minions_denied']);
    const r = brine('reject', 'db1', '--include-accepted', '-y');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, ['The following keys are going to be rejected:', 'Accepted Keys:', 'db1', 'Key for minion db1 rejected.', ''].join('\n'));
    assert.deepEqual(present('db1'), ['minions_rejected', 'minions_denied']);
  });

  it('delete -y removes the key from every status; -D -y removes all', () => {
    const r = brine('delete', 'db1', '-y');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, ['The following keys are going to be deleted:', 'Accepted Keys:', 'db1', 'Denied Keys:', 'db1', 'Key for minion db1 deleted.', ''].join('\n'));
    assert.deepEqual(present('db1'), []);
    const all = brine('-D', '-y');
    assert.equal(all.status, 0, all.stderr);
    assert.deepEqual(
      all.stdout.split('\n').filter((l) => l.startsWith('Key for')),
      ['Key for minion Ctrl-1 deleted.', 'Key for minion ctrl-2 deleted.', 'Key for minion web1 deleted.', 'Key for minion web2 deleted.'],
    );
    assert.equal(brine().stdout, 'Accepted Keys:\nDenied Keys:\nUnaccepted Keys:\nRejected Keys:\n');
  });

  it("finger: every key's fingerprint and the master's (what minions pin as master_finger)", () => {
    const r = brine('finger');
    assert.equal(r.status, 0, r.stderr);
    const masterFinger = sha256Pairs(fs.readFileSync(path.join(pki, 'master.pub')));
    assert.match(masterFinger, /^([0-9a-f]{2}:){31}[0-9a-f]{2}$/);
    assert.equal(
      r.stdout,
      [
        'Local Keys:',
        `master.pub:  ${masterFinger}`,
        'Accepted Keys:',
        `db1:  ${sha256Pairs(docs.db1)}`,
        'Denied Keys:',
        `db1:  ${sha256Pairs(docs['db1-denied'])}`,
        'Unaccepted Keys:',
        `ctrl-2:  ${sha256Pairs(docs['ctrl-2'])}`,
        `web1:  ${sha256Pairs(docs.web1)}`,
        `web2:  ${sha256Pairs(docs.web2)}`,
        'Rejected Keys:',
        `Ctrl-1:  ${sha256Pairs(docs['Ctrl-1'])}`,
        '',
      ].join('\n'),
    );
    assert.equal(brine('-F').stdout, r.stdout);
    assert.equal(brine('finger', 'master').stdout, `Local Keys:\nmaster.pub:  ${masterFinger}\n`);
    assert.equal(brine('-f', 'web1').stdout, `Local Keys:\nmaster.pub:  ${masterFinger}\nUnaccepted Keys:\nweb1:  ${sha256Pairs(docs.web1)}\n`);
    assert.equal(brine('finger').stdout, r.stdout, 'the master key is made once, then kept');
  });

  it('finger --out json: the sections keyed as salt-key keys them', () => {
    const r = brine('finger', 'web*', '--out', 'json');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      minions_pre: { web1: sha256Pairs(docs.web1), web2: sha256Pairs(docs.web2) },
      local: { 'master.pub': sha256Pairs(fs.readFileSync(path.join(pki, 'master.pub'))) },
    });
  });

  it('finger GLOB matching no key: the master fingerprint, a message, exit 1', () => {
    const r = brine('finger', 'nope');
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^Local Keys:\nmaster\.pub:  [0-9a-f:]{95}\n$/);
    assert.equal(r.stderr, "The key glob 'nope' does not match any keys.\n");
  });

  it('hostile globs and file names never reach a path outside the pki dir', () => {
    const outside = path.join(dir, 'victim');
    fs.writeFileSync(outside, 'keep');
    for (const glob of ['../victim', '../../*', '..\\victim', 'web1\u001b[2J']) {
      const r = brine('delete', glob, '-y');
      assert.equal(r.status, 1, glob);
      assert.match(r.stderr, /^brine key: invalid key glob .*: minion ids never contain '\/', '\\' or control characters\n$/);
    }
    fs.writeFileSync(path.join(pki, 'minions_pre', 'bad id'), docs.web1);
    fs.writeFileSync(path.join(pki, 'minions_pre', '.hidden'), docs.web1);
    const all = brine('accept', '*', '-y');
    assert.equal(all.status, 0, all.stderr);
    assert.deepEqual(all.stdout.split('\n').filter((l) => l.startsWith('Key for')), [
      'Key for minion ctrl-2 accepted.',
      'Key for minion web1 accepted.',
      'Key for minion web2 accepted.',
    ]);
    assert.equal(fs.readFileSync(outside, 'utf8'), 'keep');
    assert.ok(keyFile('minions_pre', 'bad id'), 'a file whose name is not a valid id is left alone');
  });

  it('an id with glob characters is acted on exactly, never as a pattern', () => {
    const store = new MinionKeyStore(pki);
    store.register('web[1]', publicDocument(generateIdentity().publicKeys));
    const r = brine('accept', 'web[[]1]', '-y');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').filter((l) => l.startsWith('Key for')), ['Key for minion web[1] accepted.']);
    assert.deepEqual(present('web1'), ['minions_pre']);
  });

  it('an invalid pending key is never accepted: "Unable to accept invalid key for X.", exit 1', () => {
    fs.writeFileSync(path.join(pki, 'minions_pre', 'broken'), 'not a key\n');
    const r = brine('accept', 'broken', '-y');
    assert.equal(r.status, 1);
    assert.equal(r.stdout, 'The following keys are going to be accepted:\nUnaccepted Keys:\nbroken\n');
    assert.equal(r.stderr, 'Unable to accept invalid key for broken.\n');
    assert.deepEqual(present('broken'), ['minions_pre']);
  });

  it("an id containing ',' is reported, never read as 'either' (the other ids are not taken along)", () => {
    new MinionKeyStore(pki).register('web9,ctrl-2', publicDocument(generateIdentity().publicKeys));
    const r = brine('accept', 'web9*', '-y');
    assert.equal(r.status, 1);
    assert.equal(r.stdout, 'The following keys are going to be accepted:\nUnaccepted Keys:\nweb9,ctrl-2\n');
    assert.equal(r.stderr, "Key for minion web9,ctrl-2 was not accepted: ids containing ',' cannot be matched on their own.\n");
    assert.deepEqual(present('ctrl-2'), ['minions_pre']);
  });

  it('usage errors exit 2: two actions, an unknown command, an unknown outputter', () => {
    const two = brine('-a', 'web1', '-d', 'web2', '-y');
    assert.equal(two.status, 2);
    assert.match(two.stderr, /give one action at a time/);
    assert.equal(brine('bogus').status, 2);
    const out = brine('list', '--out', 'fancy');
    assert.equal(out.status, 2);
    assert.match(out.stderr, /unknown outputter 'fancy'/);
    assert.deepEqual(present('web1'), ['minions_pre']);
  });

  it('a bad master config is reported with its file, exit 1', () => {
    fs.writeFileSync(path.join(configDir, 'master'), 'pki_dir: [unclosed\n');
    const r = brine('list');
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`^brine key: ${path.join(configDir, 'master').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  describe('on a terminal (through script(1))', () => {
    const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
    const onTerminal = (answer: string, ...args: string[]): string => {
      const quoted = [process.execPath, BRINE, 'key', '-c', configDir, '--no-color', ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
      const r = spawnSync('script', ['-qec', `${quoted}; echo "rc=$?"`, '/dev/null'], { encoding: 'utf8', input: answer, timeout: 20000 });
      return r.stdout.replace(/\r/g, '').replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
    };

    it('asks "Proceed? [n/Y]" and accepts on "y" or an empty answer', function () {
      if (!hasScript) this.skip();
      const out = onTerminal('y\n', 'accept', 'web1');
      assert.match(out, /The following keys are going to be accepted:\nUnaccepted Keys:\nweb1\nProceed\? \[n\/Y\] y?\n+Key for minion web1 accepted\.\nrc=0/);
      assert.deepEqual(present('web1'), ['minions']);
      assert.match(onTerminal('\n', 'reject', 'web2'), /Proceed\? \[n\/Y\] \n+Key for minion web2 rejected\.\nrc=0/);
      assert.deepEqual(present('web2'), ['minions_rejected']);
    });

    it('"n" changes nothing; delete defaults to no ("Proceed? [N/y]")', function () {
      if (!hasScript) this.skip();
      assert.match(onTerminal('n\n', 'accept', 'web1'), /Proceed\? \[n\/Y\] n?\n+rc=0/);
      assert.deepEqual(present('web1'), ['minions_pre']);
      assert.match(onTerminal('\n', 'delete', 'web1'), /Proceed\? \[N\/y\] \n+rc=0/);
      assert.deepEqual(present('web1'), ['minions_pre']);
    });
  });
});
