/**
 * Test helper run as a child process (`node fuzz-child.js TARGET SEED COUNT`): feeds COUNT
 * deterministic pseudo-random inputs to one parser — the msgpack codec, the wire envelope
 * (peek and open), the YAML loader or the Jinja renderer — and reports over IPC: the index of
 * each input before it runs (so a hang or an abort names its input), every outcome that is not
 * one of the documented error classes, and a summary. A separate process, because an abort of
 * V8 cannot be caught, even in a worker thread.
 */
import { isDeepStrictEqual } from 'node:util';
import { BrineError } from '../../common/errors';
import { LocalFileSource } from '../../common/fileserver';
import { JinjaRenderer } from '../../common/render/jinja';
import { decode, encode } from '../../common/wire/codec';
import { createEnvelope, openEnvelope, peekEnvelope } from '../../common/wire/envelope';
import { WireError } from '../../common/wire/errors';
import { generateIdentity } from '../../common/wire/keys';
import { ReplayGuard } from '../../common/wire/replay';
import { loadSaltYaml } from '../../common/yaml/load';
import { SeededRandom } from './seeded-random';

/** The parsers that can be fuzzed. */
export type FuzzTarget = 'codec' | 'envelope' | 'yaml' | 'jinja';

/** Messages from the child. */
export type FuzzMessage =
  | { type: 'input'; index: number }
  | { type: 'unexpected'; index: number; input: string; error: string }
  | { type: 'done'; count: number; outcomes: Record<string, number> };

const MAP_KEYS = ['v', 'kind', 'from', 'to', 'jid', 'ts', 'exp', 'nonce', 'enc', 'body', 'sig', 'epk', 'iv', 'tag', '__proto__', 'constructor', 'prototype', 'a', ''];
const STRINGS = ['', 'master', 'm1', 'job', 'ret', 'auth', '../x', '*', '>', '\u0000', '\u2028', 'é', '😀', 'x'.repeat(300)];

function randomString(rng: SeededRandom): string {
  if (rng.chance(0.5)) return rng.pick(STRINGS);
  let s = '';
  const n = rng.int(12);
  for (let i = 0; i < n; i++) s += String.fromCodePoint(rng.chance(0.8) ? 32 + rng.int(95) : rng.int(0x2ffff));
  return s;
}

function randomValue(rng: SeededRandom, depth = 0): unknown {
  const k = rng.int(depth > 3 ? 7 : 10);
  switch (k) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick([0, 1, -1, 127, 128, 255, 256, 65535, 65536, 2 ** 31, 2 ** 32, 2 ** 53 - 1, -(2 ** 31), 1e21]);
    case 3:
      return rng.next() * 1e6 - 5e5;
    case 4:
    case 5:
      return randomString(rng);
    case 6:
      return rng.bytes(rng.pick([0, 1, 12, 16, 32, 64, 70]));
    case 7:
    case 8: {
      const out: Record<string, unknown> = {};
      const n = rng.int(5);
      for (let i = 0; i < n; i++) {
        const key = rng.chance(0.7) ? rng.pick(MAP_KEYS) : randomString(rng);
        Object.defineProperty(out, key, { value: randomValue(rng, depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    default:
      return Array.from({ length: rng.int(5) }, () => randomValue(rng, depth + 1));
  }
}

/** 1 to 3 random edits: bit flips, byte changes, truncation, insertion, deletion, duplication. */
function mutate(rng: SeededRandom, input: Uint8Array): Uint8Array {
  let b = Buffer.from(input);
  const edits = 1 + rng.int(3);
  for (let e = 0; e < edits; e++) {
    const at = b.length ? rng.int(b.length) : 0;
    switch (rng.int(6)) {
      case 0:
        if (b.length) b[at] ^= 1 << rng.int(8);
        break;
      case 1:
        if (b.length) b[at] = rng.int(256);
        break;
      case 2:
        b = b.subarray(0, at);
        break;
      case 3:
        b = Buffer.concat([b.subarray(0, at), rng.bytes(1 + rng.int(8)), b.subarray(at)]);
        break;
      case 4:
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + rng.int(16)))]);
        break;
      default:
        b = Buffer.concat([b, b.subarray(at, at + rng.int(32))]);
    }
  }
  return new Uint8Array(b);
}

const YAML_TOKENS = [
  'a', 'key', 'x y', ':', ': ', '- ', '-', '? ', '{', '}', '[', ']', ', ', '"', "'", '|', '>', '|-', '>+', '&a ', '*a', '!!str ', '!!int ',
  '!!float ', '!!binary ', '!!python/object ', '!tag ', '!!omap ', '!!set ', '%YAML 1.1\n', '---\n', '...\n', '#', ' ', '  ', '\n', '\n  ', '\t', '\\',
  '0400', '0x1f', '-0400', '1e3', '1.5', '.inf', '.nan', 'yes', 'no', 'on', '~', 'null', '<<', '__proto__', 'constructor', '12:30', '2024-01-01',
  'é', '😀', '\u0000', '\u2028', '\r\n', '@', '`', '%', '\ufeff',
];

const JINJA_TOKENS = [
  '{{ ', ' }}', '{% ', ' %}', '{# ', ' #}', '{%- ', ' -%}', ' ', 'x', 'y', 'pillar', 'grains', 'opts', 'salt', "salt['pillar.get']", "salt['grains.get']",
  'range', 'dict', 'namespace', 'loop', 'cycler', 'joiner', '(', ')', '[', ']', '{', '}', ',', '.', ':', '|', '~', '+', '-', '*', '/', '//', '%',
  '==', '!=', '<', '>', ' and ', ' or ', ' not ', ' in ', ' is ', 'if ', 'else', 'elif ', 'endif', 'for ', 'endfor', 'set ', 'endset', 'macro ',
  'endmacro', 'call ', 'endcall', 'raw', 'endraw', 'do ', 'import ', 'from ', 'include ', 'import_yaml ', 'load_yaml', 'as ', 'with ', 'context',
  'filter ', 'endfilter', 'block ', 'endblock', 'extends ', 'true', 'false', 'none', 'None', '0', '1', '7', '42', '-3', '2.5', '"s"', "'t'",
  "'a:b'", "'{{ 7*7 }}'", 'length', 'upper', 'join', 'yaml', 'json', 'default', 'first', 'list', 'sort', 'map', 'attr', 'format', 'items',
  'keys', 'get', 'update', 'append', 'constructor', '__proto__', '__class__', '=', '\n', 'text ', '\\', '"', "'",
];

/** A random text made of `tokens` (or, sometimes, of random code points). */
function randomText(rng: SeededRandom, tokens: readonly string[], maxTokens: number): string {
  if (rng.chance(0.1)) return randomString(rng).repeat(1 + rng.int(4));
  let s = '';
  const n = rng.int(maxTokens);
  for (let i = 0; i < n; i++) s += rng.pick(tokens);
  return s;
}

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.constructor.name}: ${e.message.split('\n')[0]}\n${(e.stack ?? '').split('\n').slice(1, 6).join('\n')}`;
  return `a thrown ${typeof e}: ${String(e)}`;
}

function main(): void {
  const [target, seedText, countText] = process.argv.slice(2) as [FuzzTarget, string, string];
  const rng = new SeededRandom(Number(seedText));
  const count = Number(countText);
  const send = (m: FuzzMessage) => process.send?.(m);
  const outcomes: Record<string, number> = {};
  const tally = (k: string) => (outcomes[k] = (outcomes[k] ?? 0) + 1);

  const master = generateIdentity();
  const minion = generateIdentity();
  const originals = Array.from({ length: 8 }, (_, i) => {
    const payload = { jid: `2024010100000000000${i}`, fun: 'cmd.run', args: ['touch /tmp/x'], kwargs: { v: randomValue(rng) }, progressIntervalMs: 5000 };
    const bytes = createEnvelope({ kind: 'job', from: 'master', to: 'm1', jid: payload.jid, ttlMs: 3_600_000, payload, signer: master.privateKeys, recipient: minion.publicKeys });
    return { payload, bytes };
  });
  const renderer = new JinjaRenderer(new LocalFileSource({ base: [] }), { pillar: { a: { b: [1, 2] }, s: 'str' }, grains: { id: 'm1', os: 'Debian' }, opts: { id: 'm1' }, saltenv: 'base' });

  for (let index = 0; index < count; index++) {
    send({ type: 'input', index });
    let shown = '';
    try {
      switch (target) {
        case 'codec': {
          const pick = rng.int(10);
          const bytes = pick < 3 ? rng.bytes(rng.int(64)) : pick < 8 ? mutate(rng, encode(randomValue(rng))) : mutate(rng, rng.pick(originals).bytes);
          shown = Buffer.from(bytes).toString('base64');
          try {
            decode(bytes);
            tally('decoded');
          } catch (e) {
            if (!(e instanceof Error)) throw e;
            tally('refused');
          }
          if (({} as Record<string, unknown>).polluted !== undefined || Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')) throw new Error('Object.prototype was polluted');
          break;
        }
        case 'envelope': {
          const original = rng.pick(originals);
          const bytes = rng.chance(0.85) ? mutate(rng, original.bytes) : encode(randomValue(rng));
          shown = Buffer.from(bytes).toString('base64');
          for (const op of ['peek', 'open'] as const) {
            try {
              if (op === 'peek') peekEnvelope(bytes);
              else {
                const opened = openEnvelope(bytes, { expectKind: 'job', expectTo: 'm1', senderKeys: (id) => (id === 'master' ? master.publicKeys : undefined), recipient: minion.privateKeys, replay: ReplayGuard.inMemory() });
                if (!isDeepStrictEqual(decode(encode(opened.payload)), decode(encode(original.payload)))) throw new Error('a changed envelope was accepted with a payload the master never signed');
              }
              tally(`${op}:accepted`);
            } catch (e) {
              if (!(e instanceof WireError)) throw e;
              tally(`${op}:${e.code}`);
            }
          }
          break;
        }
        case 'yaml': {
          const text = randomText(rng, YAML_TOKENS, 40);
          shown = text;
          try {
            loadSaltYaml(text, 'fuzz.sls');
            tally('loaded');
          } catch (e) {
            if (!(e instanceof BrineError) || e.name !== 'YamlError') throw e;
            tally('YamlError');
          }
          break;
        }
        case 'jinja': {
          const text = randomText(rng, JINJA_TOKENS, 30);
          shown = text;
          try {
            renderer.render(text, 'salt://fuzz.sls');
            tally('rendered');
          } catch (e) {
            if (!(e instanceof BrineError)) throw e;
            tally(e.name);
          }
          break;
        }
      }
    } catch (e) {
      send({ type: 'unexpected', index, input: shown, error: describeError(e) });
      tally('unexpected');
    }
  }
  send({ type: 'done', count, outcomes });
}

if (require.main === module) main();
