/** Node identities on disk: generation, file modes, loading rules, the public key document, fingerprints. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ValidationError } from '../../common/errors';
import { KeyFileError } from '../../common/wire/errors';
import { fingerprint, fingerprintMatches, publicKeysFingerprint } from '../../common/wire/fingerprint';
import {
  canonicalPublicDocument,
  generateIdentity,
  loadIdentity,
  loadOrCreateIdentity,
  parsePublicDocument,
  publicDocument,
  publicKeysFromRaw,
  rawPublicKeys,
  samePublicKeys,
  saveIdentity,
} from '../../common/wire/keys';

const mode = (file: string): number => fs.statSync(file).mode & 0o777;

describe('wire: keys', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-keys-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('generates Ed25519 + X25519 key pairs', () => {
    const id = generateIdentity();
    assert.equal(id.publicKeys.sign.asymmetricKeyType, 'ed25519');
    assert.equal(id.publicKeys.encrypt.asymmetricKeyType, 'x25519');
    assert.equal(id.privateKeys.sign.asymmetricKeyType, 'ed25519');
    assert.equal(id.privateKeys.decrypt.asymmetricKeyType, 'x25519');
    assert.equal(id.privateKeys.sign.type, 'private');
  });

  it('saves minion.pem 0600 and minion.pub 0644 in new 0700 directories, whatever the umask', () => {
    const dir = path.join(tmp, 'etc', 'brine', 'pki', 'minion');
    const old = process.umask(0o000);
    let paths;
    try {
      paths = saveIdentity(dir, 'minion', generateIdentity());
    } finally {
      process.umask(old);
    }
    assert.equal(paths.privatePath, path.join(dir, 'minion.pem'));
    assert.equal(paths.publicPath, path.join(dir, 'minion.pub'));
    assert.equal(mode(paths.privatePath), 0o600);
    assert.equal(mode(paths.publicPath), 0o644);
    assert.equal(mode(dir), 0o700);
    assert.equal(mode(path.join(tmp, 'etc')), 0o700);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['minion.pem', 'minion.pub']);
  });

  it('loads back the same keys', () => {
    const id = generateIdentity();
    saveIdentity(tmp, 'master', id);
    const loaded = loadIdentity(tmp, 'master');
    assert.equal(samePublicKeys(loaded.publicKeys, id.publicKeys), true);
    assert.equal(publicDocument(loaded.publicKeys), fs.readFileSync(path.join(tmp, 'master.pub'), 'utf8'));
  });

  it('refuses to overwrite an existing private key unless asked', () => {
    saveIdentity(tmp, 'minion', generateIdentity());
    assert.throws(() => saveIdentity(tmp, 'minion', generateIdentity()), (err: unknown) => err instanceof KeyFileError && /refusing to replace/.test(err.message));
    const other = generateIdentity();
    saveIdentity(tmp, 'minion', other, { overwrite: true });
    assert.equal(samePublicKeys(loadIdentity(tmp, 'minion').publicKeys, other.publicKeys), true);
  });

  for (const bad of [0o640, 0o604, 0o644, 0o660]) {
    it(`refuses a private key with mode ${bad.toString(8)}, naming the file`, () => {
      const { privatePath } = saveIdentity(tmp, 'minion', generateIdentity());
      fs.chmodSync(privatePath, bad);
      assert.throws(
        () => loadIdentity(tmp, 'minion'),
        (err: unknown) =>
          err instanceof KeyFileError &&
          err.site.file === privatePath &&
          err.message === `private key ${privatePath} has mode 0${bad.toString(8)}: it must not be accessible by group or other (chmod 600 ${privatePath})`,
      );
    });
  }

  it('reports a missing or corrupt private key with its file name', () => {
    const file = path.join(tmp, 'minion.pem');
    assert.throws(() => loadIdentity(tmp, 'minion'), (err: unknown) => err instanceof KeyFileError && err.message === `cannot read private key ${file}: ENOENT`);
    fs.writeFileSync(file, 'garbage\n', { mode: 0o600 });
    assert.throws(() => loadIdentity(tmp, 'minion'), (err: unknown) => err instanceof KeyFileError && err.site.file === file && err.message.startsWith(`${file} is not a valid Brine private key file`));
  });

  it('loadOrCreateIdentity creates on first start, then loads the same identity', () => {
    const first = loadOrCreateIdentity(path.join(tmp, 'pki'), 'minion');
    assert.equal(first.created, true);
    const second = loadOrCreateIdentity(path.join(tmp, 'pki'), 'minion');
    assert.equal(second.created, false);
    assert.equal(samePublicKeys(first.identity.publicKeys, second.identity.publicKeys), true);
    fs.rmSync(second.paths.publicPath);
    loadOrCreateIdentity(path.join(tmp, 'pki'), 'minion');
    assert.equal(fs.readFileSync(second.paths.publicPath, 'utf8'), publicDocument(first.identity.publicKeys));
  });

  it('refuses key names that are not plain names', () => {
    assert.throws(() => saveIdentity(tmp, '../evil', generateIdentity()), ValidationError);
  });

  it('writes the public key document as an Ed25519 then an X25519 PEM block and parses it back', () => {
    const id = generateIdentity();
    const doc = publicDocument(id.publicKeys);
    const blocks = doc.match(/-----BEGIN PUBLIC KEY-----/g);
    assert.equal(blocks?.length, 2);
    assert.equal(doc.endsWith('-----END PUBLIC KEY-----\n'), true);
    const back = parsePublicDocument(doc);
    assert.equal(samePublicKeys(back, id.publicKeys), true);
    // Reordered blocks and CRLF line ends are the same keys, and canonicalise to the same bytes.
    const parts = doc.split(/(?<=-----END PUBLIC KEY-----\n)/);
    const messy = `\r\n${parts[1].replace(/\n/g, '\r\n')}${parts[0]}  \n`;
    assert.equal(canonicalPublicDocument(messy), doc);
  });

  it('refuses documents without exactly one key of each kind, or with extra text', () => {
    const a = generateIdentity();
    const doc = publicDocument(a.publicKeys);
    const [ed, x] = doc.split(/(?<=-----END PUBLIC KEY-----\n)/);
    const cases: Array<[string, RegExp]> = [
      ['', /expected one Ed25519 and one X25519 key, found none/],
      [ed, /found ed25519$/],
      [ed + ed, /found ed25519, ed25519$/],
      [x + x + ed, /found x25519, x25519, ed25519$/],
      [`hello\n${doc}`, /unexpected text outside PEM blocks/],
      [doc.replace(/PUBLIC KEY/g, 'PRIVATE KEY'), /unexpected PEM block 'PRIVATE KEY'/],
      [doc.replace(/MCowBQYDK2Vw/, 'AAAABQYDK2Vw'), /unreadable public key block/],
    ];
    for (const [text, message] of cases) {
      assert.throws(() => parsePublicDocument(text, 'peer'), (err: unknown) => err instanceof ValidationError && message.test(err.message) && err.message.startsWith('peer: '), text);
    }
  });

  it('exports and imports raw 32-byte public keys', () => {
    const id = generateIdentity();
    const raw = rawPublicKeys(id.publicKeys);
    assert.equal(raw.sign.length, 32);
    assert.equal(raw.encrypt.length, 32);
    assert.equal(samePublicKeys(publicKeysFromRaw(raw), id.publicKeys), true);
    assert.throws(() => publicKeysFromRaw({ sign: raw.sign.subarray(0, 31), encrypt: raw.encrypt }), /Ed25519 public key must be 32 bytes, got 31/);
  });

  it('fingerprints like Salt: sha256 hex pairs joined by colons, stable across loads', () => {
    assert.equal(fingerprint('abc'), 'ba:78:16:bf:8f:01:cf:ea:41:41:40:de:5d:ae:22:23:b0:03:61:a3:96:17:7a:9c:b4:10:ff:61:f2:00:15:ad');
    const id = generateIdentity();
    saveIdentity(tmp, 'master', id);
    const fromFile = fingerprint(fs.readFileSync(path.join(tmp, 'master.pub')));
    assert.match(fromFile, /^([0-9a-f]{2}:){31}[0-9a-f]{2}$/);
    assert.equal(publicKeysFingerprint(id.publicKeys), fromFile);
    assert.equal(publicKeysFingerprint(loadIdentity(tmp, 'master').publicKeys), fromFile);
    assert.notEqual(publicKeysFingerprint(generateIdentity().publicKeys), fromFile);
    assert.equal(fingerprintMatches(fromFile, ` ${fromFile.toUpperCase()}\n`), true);
    assert.equal(fingerprintMatches(fromFile, fingerprint('x')), false);
  });
});
