/** The signed (and sealed) wire envelope: round trips and every way an envelope is refused. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { validateMinionId } from '../../common/paths';
import { decode, encode } from '../../common/wire/codec';
import { sign } from '../../common/wire/crypto';
import { createBoxEnvelope, createEnvelope, openEnvelope, peekEnvelope, type CreateBoxOptions, type CreateEnvelopeOptions, type OpenEnvelopeOptions } from '../../common/wire/envelope';
import { WireError, type WireErrorCode } from '../../common/wire/errors';
import { generateIdentity, type PublicKeys } from '../../common/wire/keys';
import { ReplayGuard } from '../../common/wire/replay';

const T0 = 1_700_000_000_000;
const master = generateIdentity();
const ctrl1 = generateIdentity();
const ctrl2 = generateIdentity();
const intruder = generateIdentity();
const registry = new Map<string, PublicKeys>([
  ['master', master.publicKeys],
  ['ctrl-1.lab', ctrl1.publicKeys],
  ['ctrl-2.lab', ctrl2.publicKeys],
]);

const PAYLOAD = { fun: 'state.apply', arg: ['haproxy'], pillar: { mysql: { root: 's3cret' } }, file: Buffer.from([0, 1, 2, 255]), n: null, list: [1, -2, 3.5, true] };

/** A job from the master for ctrl-1, sealed for it. */
function job(overrides: Partial<CreateEnvelopeOptions> = {}): Uint8Array {
  return createEnvelope({
    kind: 'job',
    from: 'master',
    to: 'ctrl-1.lab',
    jid: '20240101120000123456',
    ttlMs: 30_000,
    payload: PAYLOAD,
    signer: master.privateKeys,
    recipient: ctrl1.publicKeys,
    now: T0,
    ...overrides,
  });
}

/** How ctrl-1 opens jobs. */
function asMinion(replay: ReplayGuard, overrides: Partial<OpenEnvelopeOptions> = {}): OpenEnvelopeOptions {
  return {
    expectKind: 'job',
    expectTo: 'ctrl-1.lab',
    senderKeys: (id) => (id === 'master' ? master.publicKeys : undefined),
    recipient: ctrl1.privateKeys,
    replay,
    now: T0 + 1000,
    ...overrides,
  };
}

function refusedWith(code: WireErrorCode): (err: unknown) => boolean {
  return (err: unknown) => {
    if (!(err instanceof WireError)) throw err;
    assert.equal(err.code, code, err.message);
    return true;
  };
}

function codeOf(fn: () => unknown): WireErrorCode | 'accepted' {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    if (err instanceof WireError) return err.code;
    throw err;
  }
}

type Wire = Record<string, unknown>;
const unpack = (bytes: Uint8Array): Wire => decode(bytes) as Wire;

/** Re-sign a modified envelope map as the documented format says: domain tag + msgpack of the map without sig. */
function resign(map: Wire, signer: typeof master): Uint8Array {
  const { sig: _sig, ...unsigned } = map;
  const signed = Buffer.concat([Buffer.from('brine envelope v1\0', 'utf8'), encode(unsigned)]);
  return encode({ ...unsigned, sig: sign(signed, signer.privateKeys.sign) });
}

describe('wire: envelope', () => {
  let replay: ReplayGuard;
  beforeEach(() => {
    replay = ReplayGuard.inMemory();
  });

  describe('round trip', () => {
    it('opens a sealed job with its header and payload', () => {
      const opened = openEnvelope(job(), asMinion(replay));
      assert.deepEqual({ ...opened.header, nonce: opened.header.nonce.length }, {
        v: 1,
        kind: 'job',
        from: 'master',
        to: 'ctrl-1.lab',
        jid: '20240101120000123456',
        ts: T0,
        exp: T0 + 30_000,
        nonce: 16,
        sealed: true,
      });
      assert.deepEqual(opened.payload, PAYLOAD);
    });

    it('carries the documented fields only, the secret payload never in clear', () => {
      const bytes = job();
      const wire = unpack(bytes);
      assert.deepEqual(Object.keys(wire), ['v', 'kind', 'from', 'to', 'jid', 'ts', 'exp', 'nonce', 'enc', 'body', 'sig']);
      assert.deepEqual(Object.keys(wire.enc as object), ['epk', 'iv', 'tag']);
      assert.equal(Buffer.from(bytes).includes(Buffer.from('s3cret')), false);
      assert.equal((wire.sig as Uint8Array).length, 64);
    });

    it('opens a plain (unsealed) return from a minion; the body is plain msgpack', () => {
      const bytes = createEnvelope({ kind: 'ret', from: 'ctrl-2.lab', to: 'master', jid: '1', ttlMs: 5000, payload: { ret: true }, signer: ctrl2.privateKeys, now: T0 });
      const wire = unpack(bytes);
      assert.equal('enc' in wire, false);
      assert.deepEqual(decode(wire.body as Uint8Array), { ret: true });
      const opened = openEnvelope(bytes, { expectKind: ['ret', 'evt'], expectTo: 'master', senderKeys: (id) => registry.get(id), replay, now: T0 });
      assert.equal(opened.header.sealed, false);
      assert.equal(opened.header.jid, '1');
      assert.deepEqual(opened.payload, { ret: true });
    });

    it('leaves jid out when not given', () => {
      const bytes = createEnvelope({ kind: 'evt', from: 'ctrl-1.lab', to: 'master', ttlMs: 5000, payload: 'started', signer: ctrl1.privateKeys, recipient: master.publicKeys, now: T0 });
      assert.equal('jid' in unpack(bytes), false);
      const opened = openEnvelope(bytes, { expectKind: 'evt', expectTo: 'master', senderKeys: (id) => registry.get(id), recipient: master.privateKeys, replay, now: T0 });
      assert.equal(opened.header.jid, undefined);
      assert.equal(opened.payload, 'started');
    });

    it('re-encodes a decoded envelope to the identical bytes (what the signature relies on)', () => {
      const bytes = job();
      assert.equal(Buffer.from(encode(unpack(bytes))).toString('hex'), Buffer.from(bytes).toString('hex'));
    });

    it('uses a fresh nonce for each envelope', () => {
      const a = unpack(job()).nonce as Uint8Array;
      const b = unpack(job()).nonce as Uint8Array;
      assert.notEqual(Buffer.from(a).toString('hex'), Buffer.from(b).toString('hex'));
    });

    it('does 1000 create + open round trips', () => {
      const guard = ReplayGuard.inMemory();
      let opened = 0;
      for (let i = 0; i < 1000; i++) {
        const bytes = job({ jid: String(i), payload: { i } });
        const result = openEnvelope(bytes, asMinion(guard));
        assert.deepEqual(result.payload, { i });
        assert.equal(result.header.jid, String(i));
        opened++;
      }
      assert.equal(opened, 1000);
      assert.equal(guard.size, 1000);
    });
  });

  describe('refusals', () => {
    it('malformed: not msgpack, not a map, missing or unknown fields, bad field types', () => {
      const wire = unpack(job());
      const cases: Array<[string, Uint8Array]> = [
        ['garbage', new Uint8Array([0xc1, 0x00])],
        ['empty', new Uint8Array(0)],
        ['array', encode([1, 2, 3])],
        ['no v', encode(Object.fromEntries(Object.entries(wire).filter(([k]) => k !== 'v')))],
        ['no sig', encode(Object.fromEntries(Object.entries(wire).filter(([k]) => k !== 'sig')))],
        ['unknown field', encode({ ...wire, extra: 1 })],
        ['short nonce', encode({ ...wire, nonce: (wire.nonce as Uint8Array).subarray(1) })],
        ['string body', encode({ ...wire, body: 'x' })],
        ['bad kind', encode({ ...wire, kind: 'shell' })],
        ['hostile from', encode({ ...wire, from: '../master' })],
        ['wildcard to', encode({ ...wire, to: 'ctrl-*' })],
        ['exp before ts', encode({ ...wire, exp: T0 - 1 })],
        ['float ts', encode({ ...wire, ts: T0 + 0.5 })],
        ['enc extra key', encode({ ...wire, enc: { ...(wire.enc as object), more: 1 } })],
        ['short tag', encode({ ...wire, enc: { ...(wire.enc as Wire), tag: new Uint8Array(15) } })],
        ['jid with space', encode({ ...wire, jid: 'a b' })],
      ];
      for (const [name, bytes] of cases) assert.equal(codeOf(() => openEnvelope(bytes, asMinion(replay))), 'malformed', name);
    });

    it('version: any other version number', () => {
      const wire = unpack(job());
      for (const v of [0, 3, '1', null]) {
        assert.throws(() => openEnvelope(encode({ ...wire, v }), asMinion(replay)), refusedWith('version'));
      }
    });

    it('unknown-sender: a sender without a trusted key', () => {
      const bytes = createEnvelope({ kind: 'job', from: 'rogue', to: 'ctrl-1.lab', ttlMs: 1000, payload: 1, signer: intruder.privateKeys, recipient: ctrl1.publicKeys, now: T0 });
      assert.throws(() => openEnvelope(bytes, asMinion(replay)), refusedWith('unknown-sender'));
    });

    it('bad-signature: a forged job claiming to be the master', () => {
      const forged = job({ signer: intruder.privateKeys });
      assert.throws(() => openEnvelope(forged, asMinion(replay)), refusedWith('bad-signature'));
    });

    it('bad-signature: any header field or the body changed after signing', () => {
      const wire = unpack(job());
      const changes: Wire[] = [
        { jid: '20240101120000999999' },
        { ts: T0 + 1 },
        { exp: T0 + 3_600_000 },
        { to: 'ctrl-2.lab' },
        { kind: 'evt' },
        { nonce: new Uint8Array(16) },
        { body: new Uint8Array([...(wire.body as Uint8Array), 0]) },
        { enc: { ...(wire.enc as Wire), iv: new Uint8Array(12) } },
      ];
      for (const change of changes) {
        assert.equal(codeOf(() => openEnvelope(encode({ ...wire, ...change }), asMinion(replay))), 'bad-signature', Object.keys(change)[0]);
      }
      const { jid: _jid, ...withoutJid } = wire;
      assert.equal(codeOf(() => openEnvelope(encode(withoutJid), asMinion(replay))), 'bad-signature', 'jid removed');
    });

    it('flipping any single byte is refused, with the code the changed field calls for', () => {
      const bytes = job();
      const original = unpack(bytes);
      const seen = new Map<string, number>();
      for (let i = 0; i < bytes.length; i++) {
        const mutated = new Uint8Array(bytes);
        mutated[i] ^= 0x01;
        const expected = expectedCode(original, mutated);
        const actual = codeOf(() => openEnvelope(mutated, asMinion(ReplayGuard.inMemory())));
        assert.equal(actual, expected, `byte ${i}`);
        seen.set(actual, (seen.get(actual) ?? 0) + 1);
      }
      // The bulk of the bytes (nonce, body, signature, keys) are caught by the signature.
      assert.ok((seen.get('bad-signature') ?? 0) > bytes.length / 2, JSON.stringify([...seen]));
      assert.ok(seen.has('malformed') && seen.has('version') && seen.has('unknown-sender'), JSON.stringify([...seen]));
    });

    it('wrong-recipient: a job for another minion, even one it could read', () => {
      const forCtrl2 = job({ to: 'ctrl-2.lab', recipient: ctrl1.publicKeys });
      assert.throws(() => openEnvelope(forCtrl2, asMinion(replay)), refusedWith('wrong-recipient'));
    });

    it('wrong-kind: a return where jobs are expected', () => {
      const ret = job({ kind: 'ret' });
      assert.throws(() => openEnvelope(ret, asMinion(replay)), refusedWith('wrong-kind'));
      assert.equal(openEnvelope(job({ kind: 'ret' }), asMinion(replay, { expectKind: ['job', 'ret'] })).header.kind, 'ret');
    });

    it('expired: past exp by more than the tolerated skew (60 s by default)', () => {
      const exp = T0 + 30_000;
      assert.equal(codeOf(() => openEnvelope(job(), asMinion(replay, { now: exp + 60_000 }))), 'accepted');
      assert.throws(() => openEnvelope(job(), asMinion(replay, { now: exp + 60_001 })), refusedWith('expired'));
      assert.throws(() => openEnvelope(job(), asMinion(replay, { now: exp + 1, maxSkewMs: 0 })), refusedWith('expired'));
    });

    it('not-yet-valid: dated more than the tolerated skew in the future', () => {
      assert.equal(codeOf(() => openEnvelope(job(), asMinion(replay, { now: T0 - 60_000 }))), 'accepted');
      assert.throws(() => openEnvelope(job(), asMinion(replay, { now: T0 - 60_001 })), refusedWith('not-yet-valid'));
    });

    it('replayed: the same envelope twice, but tampered copies do not burn its nonce', () => {
      const bytes = job();
      const tampered = new Uint8Array(bytes);
      tampered[tampered.length - 1] ^= 0x80; // in the signature
      assert.throws(() => openEnvelope(tampered, asMinion(replay)), refusedWith('bad-signature'));
      assert.deepEqual(openEnvelope(bytes, asMinion(replay)).payload, PAYLOAD);
      assert.throws(() => openEnvelope(bytes, asMinion(replay)), refusedWith('replayed'));
      assert.throws(() => openEnvelope(bytes, asMinion(replay, { now: T0 + 20_000 })), refusedWith('replayed'));
    });

    it('replayed: still refused by a guard re-created from its directory (a restarted minion)', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-env-replay-'));
      try {
        const bytes = job();
        const first = ReplayGuard.open(dir, { now: () => T0 + 1000 });
        openEnvelope(bytes, asMinion(first));
        first.close();
        const restarted = ReplayGuard.open(dir, { now: () => T0 + 1000 });
        assert.throws(() => openEnvelope(bytes, asMinion(restarted)), refusedWith('replayed'));
        // A new job from the master still goes through.
        assert.deepEqual(openEnvelope(job(), asMinion(restarted)).payload, PAYLOAD);
        restarted.close();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('decrypt-failed: sealed for another key, sealed with no key to open it, or not sealed when required', () => {
      const sealedForCtrl2 = job({ recipient: ctrl2.publicKeys });
      assert.throws(() => openEnvelope(sealedForCtrl2, asMinion(replay)), refusedWith('decrypt-failed'));
      assert.throws(() => openEnvelope(job(), asMinion(replay, { recipient: undefined })), refusedWith('decrypt-failed'));
      const plain = job({ recipient: undefined });
      assert.throws(() => openEnvelope(plain, asMinion(replay)), refusedWith('decrypt-failed'));
      assert.deepEqual(openEnvelope(plain, asMinion(replay, { requireSealed: false })).payload, PAYLOAD);
    });

    it('decrypt-failed: a sealed body moved into another (validly signed) envelope', () => {
      const a = unpack(job({ jid: '1' }));
      const b = unpack(job({ jid: '2' }));
      const moved = resign({ ...b, enc: a.enc, body: a.body }, master);
      assert.throws(() => openEnvelope(moved, asMinion(replay)), refusedWith('decrypt-failed'));
      // The re-signing itself is sound: re-signing an untouched envelope opens.
      assert.deepEqual(openEnvelope(resign(a, master), asMinion(replay)).payload, PAYLOAD);
    });

    it('checks the signature before anything about the body', () => {
      // Forged by an intruder and sealed for nobody readable: the signature is what fails.
      const forged = job({ signer: intruder.privateKeys, recipient: ctrl2.publicKeys });
      assert.throws(() => openEnvelope(forged, asMinion(replay)), refusedWith('bad-signature'));
      // A validly signed, plain body that is not msgpack is only reported after verification.
      const wire = unpack(job({ recipient: undefined }));
      const junkBody = resign({ ...wire, body: new Uint8Array([0x92, 0x01]) }, master);
      assert.throws(() => openEnvelope(junkBody, asMinion(replay, { requireSealed: false })), refusedWith('malformed'));
      assert.throws(() => openEnvelope(resign({ ...wire, body: new Uint8Array([0x92, 0x01]) }, intruder), asMinion(replay, { requireSealed: false })), refusedWith('bad-signature'));
    });

    it('refuses to replay when the guard is full instead of forgetting', () => {
      const tiny = ReplayGuard.inMemory({ capacity: 2 });
      openEnvelope(job(), asMinion(tiny));
      openEnvelope(job(), asMinion(tiny));
      assert.throws(() => openEnvelope(job(), asMinion(tiny)), (err: unknown) => err instanceof WireError && err.code === 'replayed' && /guard is full/.test(err.message));
    });
  });

  describe('creating and peeking', () => {
    it('refuses bad arguments', () => {
      assert.throws(() => job({ ttlMs: 0 }), RangeError);
      assert.throws(() => job({ ttlMs: 1.5 }), RangeError);
      assert.throws(() => job({ from: 'a b' }), /invalid minion id/);
      assert.throws(() => job({ to: 'ctrl->' }), /invalid minion id/);
      assert.throws(() => job({ jid: 'x\ny' }), TypeError);
    });

    it('peeks at a header without verifying it', () => {
      const forged = job({ signer: intruder.privateKeys });
      const { header, body } = peekEnvelope(forged);
      assert.equal(header.from, 'master');
      assert.equal(header.sealed, true);
      assert.ok(body.length > 0);
      assert.throws(() => peekEnvelope(new Uint8Array([1])), refusedWith('malformed'));
    });
  });
});

/** What a receiver must answer for a mutated envelope, judged field by field against the original. */
function expectedCode(original: Wire, mutated: Uint8Array): WireErrorCode {
  let wire: unknown;
  try {
    wire = decode(mutated);
  } catch {
    return 'malformed';
  }
  if (typeof wire !== 'object' || wire === null || Array.isArray(wire) || wire instanceof Uint8Array) return 'malformed';
  const w = wire as Wire;
  if (!('v' in w)) return 'malformed';
  if (w.v === 2) return 'malformed';
  if (w.v !== 1) return 'version';
  if (Object.keys(w).join() !== Object.keys(original).join()) return 'malformed';
  const sameBytesShape = (a: unknown, b: unknown) => a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length;
  const validId = (s: unknown) => {
    try {
      return typeof s === 'string' && validateMinionId(s) === s;
    } catch {
      return false;
    }
  };
  if (!['job', 'ret', 'evt', 'auth', 'cmd'].includes(w.kind as string)) return 'malformed';
  if (!validId(w.from) || !validId(w.to)) return 'malformed';
  if (typeof w.jid !== 'string' || /[\s\u0000-\u001f\u007f*>]/.test(w.jid)) return 'malformed';
  if (!Number.isSafeInteger(w.ts) || !Number.isSafeInteger(w.exp) || (w.exp as number) <= (w.ts as number)) return 'malformed';
  for (const k of ['nonce', 'sig'] as const) if (!sameBytesShape(w[k], original[k])) return 'malformed';
  if (!(w.body instanceof Uint8Array)) return 'malformed';
  const enc = w.enc as Wire;
  const origEnc = original.enc as Wire;
  if (typeof enc !== 'object' || enc === null || Object.keys(enc).join() !== Object.keys(origEnc).join()) return 'malformed';
  for (const k of ['epk', 'iv', 'tag']) if (!sameBytesShape(enc[k], origEnc[k])) return 'malformed';
  if (w.from !== original.from) return 'unknown-sender';
  return 'bad-signature';
}

describe('wire: boxed envelope (v2)', () => {
  let dir: string;
  let replay: ReplayGuard;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-box-'));
    replay = ReplayGuard.open(dir);
  });
  afterEach(() => {
    replay.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A job from the master for ctrl-1, boxed under their pair key. */
  function boxedJob(overrides: Partial<CreateBoxOptions> = {}): Uint8Array {
    return createBoxEnvelope({ kind: 'job', from: 'master', to: 'ctrl-1.lab', jid: '20240101120000123456', ttlMs: 30_000, payload: PAYLOAD, sender: master.privateKeys, recipient: ctrl1.publicKeys, now: T0, ...overrides });
  }

  it('opens for its recipient with the payload intact, and carries no signature', () => {
    const bytes = boxedJob();
    const opened = openEnvelope(bytes, asMinion(replay));
    assert.deepEqual(opened.payload, PAYLOAD);
    assert.equal(opened.header.v, 2);
    assert.equal(opened.header.sealed, true);
    const wire = unpack(bytes);
    assert.equal('sig' in wire, false);
    assert.equal(Buffer.from(wire.body as Uint8Array).includes(Buffer.from('s3cret')), false, 'the pillar travels encrypted');
  });

  it('either side derives the same key: a return boxed by the minion opens on the master', () => {
    const ret = createBoxEnvelope({ kind: 'ret', from: 'ctrl-1.lab', to: 'master', jid: '1', ttlMs: 30_000, payload: { ok: true }, sender: ctrl1.privateKeys, recipient: master.publicKeys, now: T0 });
    const opened = openEnvelope(ret, { expectKind: 'ret', expectTo: 'master', senderKeys: (id) => registry.get(id), recipient: master.privateKeys, replay, now: T0 });
    assert.deepEqual(opened.payload, { ok: true });
  });

  it('bad-signature: a box made by anyone else than the claimed sender (an intruder, or ctrl-2 claiming to be the master)', () => {
    const byIntruder = boxedJob({ sender: intruder.privateKeys });
    assert.throws(() => openEnvelope(byIntruder, asMinion(replay)), refusedWith('bad-signature'));
    const byCtrl2 = boxedJob({ sender: ctrl2.privateKeys });
    assert.throws(() => openEnvelope(byCtrl2, asMinion(replay)), refusedWith('bad-signature'));
  });

  it('bad-signature: any header field, the iv, the tag or the body changed', () => {
    const wire = unpack(boxedJob());
    const changes: Array<[string, Wire]> = [
      ['kind', { ...wire, kind: 'ret' }],
      ['jid', { ...wire, jid: '20240101120000999999' }],
      ['ts', { ...wire, ts: (wire.ts as number) + 1 }],
      ['exp', { ...wire, exp: (wire.exp as number) + 1 }],
      ['nonce', { ...wire, nonce: new Uint8Array(16) }],
      ['iv', { ...wire, iv: new Uint8Array(12) }],
      ['tag', { ...wire, tag: new Uint8Array(16) }],
      ['body', { ...wire, body: Buffer.concat([Buffer.from(wire.body as Uint8Array), Buffer.from([0])]) }],
    ];
    for (const [field, changed] of changes) assert.equal(codeOf(() => openEnvelope(encode(changed), asMinion(replay, { expectKind: ['job', 'ret'] }))), 'bad-signature', field);
    assert.deepEqual(openEnvelope(encode(wire), asMinion(replay)).payload, PAYLOAD, 'the untouched box still opens: refused copies do not burn its nonce');
  });

  it('wrong-recipient before anything else: a box for ctrl-2 delivered to ctrl-1', () => {
    assert.throws(() => openEnvelope(boxedJob({ to: 'ctrl-2.lab', recipient: ctrl2.publicKeys }), asMinion(replay)), refusedWith('wrong-recipient'));
  });

  it('replayed, expired, wrong-kind, unknown-sender and malformed still apply', () => {
    const bytes = boxedJob();
    openEnvelope(bytes, asMinion(replay));
    assert.throws(() => openEnvelope(bytes, asMinion(replay)), refusedWith('replayed'));
    assert.throws(() => openEnvelope(boxedJob({ now: T0 - 600_000 }), asMinion(replay)), refusedWith('expired'));
    assert.throws(() => openEnvelope(boxedJob(), asMinion(replay, { expectKind: 'ret' })), refusedWith('wrong-kind'));
    assert.throws(() => openEnvelope(boxedJob(), asMinion(replay, { senderKeys: () => undefined })), refusedWith('unknown-sender'));
    assert.throws(() => openEnvelope(boxedJob(), asMinion(replay, { senderKeys: () => ({ sign: master.publicKeys.sign }) })), refusedWith('unknown-sender'));
    assert.throws(() => openEnvelope(encode({ ...unpack(boxedJob()), sig: new Uint8Array(64) }), asMinion(replay)), refusedWith('malformed'));
    assert.throws(() => openEnvelope(boxedJob(), asMinion(replay, { recipient: undefined })), refusedWith('decrypt-failed'));
  });
});
