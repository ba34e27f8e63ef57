/** The wire codec: deterministic msgpack that keeps binary and refuses broken input. */
import * as assert from 'node:assert/strict';
import { decode, encode } from '../../common/wire/codec';

describe('wire: codec', () => {
  const sample = () => ({
    v: 1,
    kind: 'job',
    nonce: new Uint8Array([1, 2, 3, 4]),
    nested: { list: [1, 'two', null, true, -3, 1.5], bytes: Buffer.from('hi') },
    ts: 1_700_000_000_123,
  });

  it('encodes the same value to identical bytes, every time', () => {
    const first = Buffer.from(encode(sample()));
    for (let i = 0; i < 5; i++) assert.equal(Buffer.from(encode(sample())).toString('hex'), first.toString('hex'));
  });

  it('round-trips values, binary staying binary, and re-encodes decoded values to the same bytes', () => {
    const bytes = encode(sample());
    const back = decode(bytes) as ReturnType<typeof sample>;
    assert.equal(back.ts, 1_700_000_000_123);
    assert.ok(back.nonce instanceof Uint8Array);
    assert.deepEqual([...back.nonce], [1, 2, 3, 4]);
    assert.deepEqual([...back.nested.bytes], [...Buffer.from('hi')]);
    assert.deepEqual(back.nested.list, [1, 'two', null, true, -3, 1.5]);
    assert.equal(Buffer.from(encode(back)).toString('hex'), Buffer.from(bytes).toString('hex'));
  });

  it('decodes a plain Uint8Array (not only Buffer)', () => {
    const bytes = new Uint8Array(encode({ a: 'b' }));
    assert.deepEqual(decode(bytes), { a: 'b' });
  });

  it('refuses truncated input and trailing bytes', () => {
    const bytes = Buffer.from(encode({ a: 'bcd' }));
    assert.throws(() => decode(bytes.subarray(0, bytes.length - 1)));
    assert.throws(() => decode(Buffer.concat([bytes, Buffer.from([0x01])])));
  });

  it('never lets a __proto__ key change an object prototype', () => {
    // {"__proto__": {"x": 1}} written by hand
    const hostile = Buffer.from('81a95f5f70726f746f5f5f81a17801', 'hex');
    const value = decode(hostile) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.equal((value as { x?: unknown }).x, undefined);
  });
});
