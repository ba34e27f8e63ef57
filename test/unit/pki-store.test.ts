/** The master's minion key store: salt-key's layout and flows, on real directories. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ValidationError } from '../../common/errors';
import { KeyFileError } from '../../common/wire/errors';
import { fingerprint } from '../../common/wire/fingerprint';
import { generateIdentity, publicDocument, samePublicKeys, type NodeIdentity } from '../../common/wire/keys';
import { MinionKeyStore } from '../../master/pki/store';

const doc = (id: NodeIdentity): string => publicDocument(id.publicKeys);
const EMPTY = { minions: [], minions_pre: [], minions_rejected: [], minions_denied: [] };

describe('pki: minion key store', () => {
  let pki: string;
  let store: MinionKeyStore;
  const ctrl1 = generateIdentity();
  const ctrl2 = generateIdentity();
  const ctrl3 = generateIdentity();
  const impostor = generateIdentity();

  beforeEach(() => {
    pki = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'brine-pki-')), 'pki', 'master');
    store = new MinionKeyStore(pki);
  });
  afterEach(() => fs.rmSync(path.dirname(path.dirname(pki)), { recursive: true, force: true }));

  it('creates salt-key directories with mode 0700', () => {
    for (const dir of ['', 'minions', 'minions_pre', 'minions_rejected', 'minions_denied']) {
      assert.equal(fs.statSync(path.join(pki, dir)).mode & 0o777, 0o700, dir || 'pki dir');
    }
    assert.deepEqual(store.list(), EMPTY);
  });

  it('a new minion is pending, then accepted; its file moves and its keys become available', () => {
    assert.equal(store.register('ctrl-1.lab', doc(ctrl1)), 'pending');
    assert.deepEqual(store.list(), { ...EMPTY, minions_pre: ['ctrl-1.lab'] });
    assert.equal(fs.readFileSync(path.join(pki, 'minions_pre', 'ctrl-1.lab'), 'utf8'), doc(ctrl1));
    assert.equal(fs.statSync(path.join(pki, 'minions_pre', 'ctrl-1.lab')).mode & 0o777, 0o644);
    assert.equal(store.publicKeysOf('ctrl-1.lab'), undefined);
    assert.equal(store.register('ctrl-1.lab', doc(ctrl1)), 'pending');

    assert.deepEqual(store.accept('ctrl-1.lab'), ['ctrl-1.lab']);
    assert.deepEqual(store.list(), { ...EMPTY, minions: ['ctrl-1.lab'] });
    assert.equal(fs.existsSync(path.join(pki, 'minions_pre', 'ctrl-1.lab')), false);
    const keys = store.publicKeysOf('ctrl-1.lab');
    assert.ok(keys && samePublicKeys(keys, ctrl1.publicKeys));
    assert.equal(store.register('ctrl-1.lab', doc(ctrl1)), 'accepted');
  });

  it('treats a differently formatted copy of the same key as the same key', () => {
    store.register('ctrl-1.lab', doc(ctrl1));
    store.accept('*');
    assert.equal(store.register('ctrl-1.lab', `\n${doc(ctrl1).replace(/\n/g, '\r\n')}\n`), 'accepted');
    assert.equal(store.register('ctrl-1.lab', Buffer.from(doc(ctrl1))), 'accepted');
  });

  it('denies a different key for an accepted id, leaving the accepted key untouched', () => {
    store.register('ctrl-1.lab', doc(ctrl1));
    store.accept('ctrl-1.lab');
    assert.equal(store.register('ctrl-1.lab', doc(impostor)), 'denied');
    assert.deepEqual(store.list(), { ...EMPTY, minions: ['ctrl-1.lab'], minions_denied: ['ctrl-1.lab'] });
    assert.equal(fs.readFileSync(path.join(pki, 'minions', 'ctrl-1.lab'), 'utf8'), doc(ctrl1));
    assert.equal(fs.readFileSync(path.join(pki, 'minions_denied', 'ctrl-1.lab'), 'utf8'), doc(impostor));
    const keys = store.publicKeysOf('ctrl-1.lab');
    assert.ok(keys && samePublicKeys(keys, ctrl1.publicKeys));
    // The genuine minion still gets in.
    assert.equal(store.register('ctrl-1.lab', doc(ctrl1)), 'accepted');
  });

  it('denies a different key for a pending id (Salt 3006), keeping the pending one', () => {
    store.register('ctrl-1.lab', doc(ctrl1));
    assert.equal(store.register('ctrl-1.lab', doc(impostor)), 'denied');
    assert.deepEqual(store.list(), { ...EMPTY, minions_pre: ['ctrl-1.lab'], minions_denied: ['ctrl-1.lab'] });
    assert.equal(fs.readFileSync(path.join(pki, 'minions_pre', 'ctrl-1.lab'), 'utf8'), doc(ctrl1));
  });

  it('rejects: a rejected id stays rejected, whatever key it shows', () => {
    store.register('ctrl-1.lab', doc(ctrl1));
    store.register('ctrl-2.lab', doc(ctrl2));
    assert.deepEqual(store.reject('ctrl-1.lab'), ['ctrl-1.lab']);
    assert.deepEqual(store.list(), { ...EMPTY, minions_pre: ['ctrl-2.lab'], minions_rejected: ['ctrl-1.lab'] });
    assert.equal(store.register('ctrl-1.lab', doc(ctrl1)), 'rejected');
    assert.equal(store.register('ctrl-1.lab', doc(impostor)), 'rejected');
    assert.deepEqual(store.list().minions_denied, []);
    assert.equal(store.publicKeysOf('ctrl-1.lab'), undefined);
  });

  it('accept takes pending keys only, unless rejected/denied ones are included', () => {
    store.register('ctrl-1.lab', doc(ctrl1));
    store.reject('ctrl-1.lab');
    assert.deepEqual(store.accept('ctrl-1.lab'), []);
    assert.deepEqual(store.list().minions_rejected, ['ctrl-1.lab']);
    assert.deepEqual(store.accept('ctrl-1.lab', { includeRejected: true }), ['ctrl-1.lab']);
    assert.deepEqual(store.list(), { ...EMPTY, minions: ['ctrl-1.lab'] });

    // An operator may knowingly accept the new (denied) key of a re-installed minion.
    store.register('ctrl-1.lab', doc(impostor));
    assert.deepEqual(store.accept('ctrl-1.lab'), []);
    assert.deepEqual(store.accept('ctrl-1.lab', { includeDenied: true }), ['ctrl-1.lab']);
    assert.deepEqual(store.list(), { ...EMPTY, minions: ['ctrl-1.lab'] });
    const keys = store.publicKeysOf('ctrl-1.lab');
    assert.ok(keys && samePublicKeys(keys, impostor.publicKeys));
  });

  it('reject takes pending keys only, unless accepted/denied ones are included', () => {
    store.register('ctrl-1.lab', doc(ctrl1));
    store.accept('*');
    assert.deepEqual(store.reject('*'), []);
    assert.deepEqual(store.reject('*', { includeAccepted: true }), ['ctrl-1.lab']);
    assert.deepEqual(store.list(), { ...EMPTY, minions_rejected: ['ctrl-1.lab'] });
    assert.equal(store.publicKeysOf('ctrl-1.lab'), undefined);
  });

  it('delete removes an id from every directory', () => {
    store.register('ctrl-1.lab', doc(ctrl1));
    store.accept('*');
    store.register('ctrl-1.lab', doc(impostor));
    store.register('ctrl-2.lab', doc(ctrl2));
    assert.deepEqual(store.delete('ctrl-1.lab'), ['ctrl-1.lab']);
    assert.deepEqual(store.list(), { ...EMPTY, minions_pre: ['ctrl-2.lab'] });
    assert.equal(store.publicKeysOf('ctrl-1.lab'), undefined);
    // After deletion the id starts over as a new minion.
    assert.equal(store.register('ctrl-1.lab', doc(impostor)), 'pending');
    assert.deepEqual(store.delete('nothing-*'), []);
  });

  it('matches globs like salt-key: fnmatch, case-sensitive, commas for several', () => {
    for (const [id, key] of [['ctrl-1.lab', ctrl1], ['ctrl-2.lab', ctrl2], ['ctrl-3.lab', ctrl3], ['web-1.lab', impostor]] as const) {
      store.register(id, doc(key));
    }
    assert.deepEqual(store.match('ctrl-[12].lab').minions_pre, ['ctrl-1.lab', 'ctrl-2.lab']);
    assert.deepEqual(store.match('CTRL-*').minions_pre, []);
    assert.deepEqual(store.match('ctrl-3*,web-?.lab').minions_pre, ['ctrl-3.lab', 'web-1.lab']);
    assert.deepEqual(store.accept('ctrl-*'), ['ctrl-1.lab', 'ctrl-2.lab', 'ctrl-3.lab']);
    assert.deepEqual(store.list(), { ...EMPTY, minions: ['ctrl-1.lab', 'ctrl-2.lab', 'ctrl-3.lab'], minions_pre: ['web-1.lab'] });
    assert.deepEqual(store.delete('*'), ['ctrl-1.lab', 'ctrl-2.lab', 'ctrl-3.lab', 'web-1.lab']);
    assert.deepEqual(store.list(), EMPTY);
  });

  it('lists sorted case-insensitively, ignoring dot files and names that are not valid ids', () => {
    for (const id of ['b', 'A', 'a', 'C']) store.register(id, doc(ctrl1));
    fs.writeFileSync(path.join(pki, 'minions_pre', '.ctrl.tmp'), 'x');
    fs.writeFileSync(path.join(pki, 'minions_pre', 'bad name'), 'x');
    assert.deepEqual(store.list().minions_pre, ['A', 'a', 'b', 'C']);
    assert.deepEqual(store.accept('*'), ['A', 'a', 'b', 'C']);
    assert.equal(fs.existsSync(path.join(pki, 'minions_pre', 'bad name')), true);
  });

  it('refuses hostile ids before touching the filesystem', () => {
    const before = fs.readdirSync(path.dirname(pki), { recursive: true }).sort();
    for (const id of ['../x', 'a/b', '*', 'a b', '', '..', '.', 'a..b', 'ctrl->', 'x\ny', '\\evil', 'x'.repeat(256)]) {
      assert.throws(() => store.register(id, doc(ctrl1)), ValidationError, JSON.stringify(id));
      assert.throws(() => store.publicKeysOf(id), ValidationError, JSON.stringify(id));
      assert.throws(() => store.publicDocumentOf(id), ValidationError, JSON.stringify(id));
    }
    assert.deepEqual(fs.readdirSync(path.dirname(pki), { recursive: true }).sort(), before);
    assert.equal(fs.existsSync(path.join(path.dirname(pki), 'x')), false);
  });

  it('refuses a key document that is not one Ed25519 and one X25519 key, storing nothing', () => {
    assert.throws(() => store.register('ctrl-1.lab', 'hello'), ValidationError);
    assert.throws(() => store.register('ctrl-1.lab', doc(ctrl1).split('-----END PUBLIC KEY-----\n')[0] + '-----END PUBLIC KEY-----\n'), ValidationError);
    assert.deepEqual(store.list(), EMPTY);
  });

  it('never accepts a pending file that is not a valid key, and reports a corrupt accepted key by file', () => {
    fs.writeFileSync(path.join(pki, 'minions_pre', 'junk'), 'not a key');
    assert.deepEqual(store.accept('*'), []);
    assert.deepEqual(store.list().minions_pre, ['junk']);
    fs.writeFileSync(path.join(pki, 'minions', 'broken'), 'not a key');
    const file = path.join(pki, 'minions', 'broken');
    assert.throws(() => store.publicKeysOf('broken'), (err: unknown) => err instanceof KeyFileError && err.site.file === file);
  });

  it('sees key changes made by another process (e.g. brine key in a shell)', () => {
    store.register('ctrl-1.lab', doc(ctrl1));
    const cli = new MinionKeyStore(pki);
    cli.accept('ctrl-1.lab');
    assert.ok(store.publicKeysOf('ctrl-1.lab'));
    cli.delete('*');
    assert.equal(store.publicKeysOf('ctrl-1.lab'), undefined);
  });

  it('prints fingerprints per directory over the stored document', () => {
    store.register('ctrl-1.lab', doc(ctrl1));
    store.register('ctrl-2.lab', doc(ctrl2));
    store.accept('ctrl-2.lab');
    assert.deepEqual(store.fingerprints('*'), {
      minions: { 'ctrl-2.lab': fingerprint(doc(ctrl2)) },
      minions_pre: { 'ctrl-1.lab': fingerprint(doc(ctrl1)) },
      minions_rejected: {},
      minions_denied: {},
    });
  });

  it('leaves no temporary files behind', () => {
    store.register('ctrl-1.lab', doc(ctrl1));
    store.accept('*');
    store.register('ctrl-1.lab', doc(impostor));
    const all = fs.readdirSync(pki, { recursive: true }) as string[];
    assert.deepEqual(all.filter((f) => path.basename(f).startsWith('.')), []);
  });
});
