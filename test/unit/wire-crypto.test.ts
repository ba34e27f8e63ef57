/** Ed25519 signatures and sealed bodies (X25519 -> HKDF-SHA256 -> AES-256-GCM). */
import * as assert from 'node:assert/strict';
import { agreeAsRecipient, agreeAsSender } from '../../common/wire/key-agreement';
import { open, seal, sign, verify, type Sealed } from '../../common/wire/crypto';
import { WireError } from '../../common/wire/errors';
import { generateIdentity } from '../../common/wire/keys';

const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const flip = (b: Uint8Array, i: number): Uint8Array => {
  const copy = new Uint8Array(b);
  copy[i] ^= 0x01;
  return copy;
};
const isDecryptFailed = (err: unknown): boolean => err instanceof WireError && err.code === 'decrypt-failed';

describe('wire: crypto', () => {
  const alice = generateIdentity();
  const bob = generateIdentity();

  describe('sign / verify', () => {
    const data = bytes('state.apply ctrl-1');

    it('verifies a signature with the signer public key only', () => {
      const sig = sign(data, alice.privateKeys.sign);
      assert.equal(sig.length, 64);
      assert.equal(verify(data, sig, alice.publicKeys.sign), true);
      assert.equal(verify(data, sig, bob.publicKeys.sign), false);
    });

    it('rejects any single flipped byte of the data or of the signature', () => {
      const sig = sign(data, alice.privateKeys.sign);
      for (let i = 0; i < data.length; i++) assert.equal(verify(flip(data, i), sig, alice.publicKeys.sign), false, `data byte ${i}`);
      for (let i = 0; i < sig.length; i++) assert.equal(verify(data, flip(sig, i), alice.publicKeys.sign), false, `sig byte ${i}`);
    });

    it('rejects truncated or wrong-type signatures without throwing', () => {
      const sig = sign(data, alice.privateKeys.sign);
      assert.equal(verify(data, sig.subarray(0, 63), alice.publicKeys.sign), false);
      assert.equal(verify(data, new Uint8Array(0), alice.publicKeys.sign), false);
      assert.equal(verify(data, sig, alice.publicKeys.encrypt), false);
    });
  });

  describe('seal / open', () => {
    const plaintext = bytes('pillar: {mysql: {root: s3cret}}');
    const aad = bytes('job|master|ctrl-1|20240101|nonce');

    it('opens with the recipient key and the same context', () => {
      const sealed = seal(plaintext, bob.publicKeys.encrypt, aad);
      assert.equal(sealed.epk.length, 32);
      assert.equal(sealed.iv.length, 12);
      assert.equal(sealed.tag.length, 16);
      assert.equal(Buffer.from(sealed.ciphertext).includes(Buffer.from('s3cret')), false);
      assert.equal(Buffer.from(open(sealed, bob.privateKeys.decrypt, aad)).toString('utf8'), 'pillar: {mysql: {root: s3cret}}');
    });

    it('uses a fresh iv (and ciphertext) each time, and a new ephemeral key after its window', () => {
      const a = seal(plaintext, bob.publicKeys.encrypt, aad);
      const b = seal(plaintext, bob.publicKeys.encrypt, aad);
      assert.notDeepEqual([...a.iv], [...b.iv]);
      assert.notDeepEqual([...a.ciphertext], [...b.ciphertext]);
      const now = agreeAsSender(bob.publicKeys.encrypt);
      const later = agreeAsSender(bob.publicKeys.encrypt, Date.now() + 61_000);
      assert.notDeepEqual([...now.epk], [...later.epk]);
      assert.notDeepEqual([...now.secret], [...later.secret]);
      assert.deepEqual(agreeAsRecipient(later.epk, bob.privateKeys.decrypt), later.secret);
    });

    it('refuses the wrong private key', () => {
      const sealed = seal(plaintext, bob.publicKeys.encrypt, aad);
      assert.throws(() => open(sealed, alice.privateKeys.decrypt, aad), isDecryptFailed);
    });

    it('refuses a ciphertext moved to another context (different aad)', () => {
      const sealed = seal(plaintext, bob.publicKeys.encrypt, aad);
      assert.throws(() => open(sealed, bob.privateKeys.decrypt, bytes('job|master|ctrl-2|20240101|nonce')), isDecryptFailed);
      assert.throws(() => open(sealed, bob.privateKeys.decrypt, new Uint8Array(0)), isDecryptFailed);
    });

    it('refuses any flipped byte in epk, iv, tag or ciphertext', () => {
      const sealed = seal(plaintext, bob.publicKeys.encrypt, aad);
      for (const part of ['epk', 'iv', 'tag', 'ciphertext'] as const) {
        for (let i = 0; i < sealed[part].length; i++) {
          const bad: Sealed = { ...sealed, [part]: flip(sealed[part], i) };
          assert.throws(() => open(bad, bob.privateKeys.decrypt, aad), isDecryptFailed, `${part} byte ${i}`);
        }
      }
    });

    it('refuses wrong sizes and a low-order ephemeral key', () => {
      const sealed = seal(plaintext, bob.publicKeys.encrypt, aad);
      assert.throws(() => open({ ...sealed, iv: sealed.iv.subarray(1) }, bob.privateKeys.decrypt, aad), isDecryptFailed);
      assert.throws(() => open({ ...sealed, epk: new Uint8Array(32) }, bob.privateKeys.decrypt, aad), isDecryptFailed);
    });

    it('seals an empty body', () => {
      const sealed = seal(new Uint8Array(0), bob.publicKeys.encrypt, aad);
      assert.equal(open(sealed, bob.privateKeys.decrypt, aad).length, 0);
    });
  });
});
