/**
 * YAML loading as Salt 3006 loads SLS and pillar files: PyYAML's YAML 1.1 SafeLoader with
 * Salt's SaltYamlSafeLoader changes (salt/utils/yamlloader.py):
 *
 * - scalars resolve as PyYAML resolves them: `yes`/`on`/`True` -> true, `no`/`off` -> false
 *   (but `y`/`n` stay strings), `~`/`null`/empty -> null, `0x1f`, `0b101`, `1_000`,
 *   `12:30` (sexagesimal, 750), `1.5`, `1.`, `.5`, `.inf`, `.nan`; `1e3` stays the string
 *   "1e3" (a PyYAML float needs a dot, and a signed exponent);
 * - an int written with leading zeros is decimal, not octal: `0400` -> 400 (Salt strips the
 *   zeros; `-0400` and `+0400` keep PyYAML's octal reading, as in Salt);
 * - timestamps stay strings (Salt constructs them as plain scalars);
 * - merge keys `<<` work as Salt's flatten_mapping: merged pairs come first, keys written in the
 *   mapping itself win, and the same key arriving from two merged mappings is a conflict;
 * - a key appearing twice in one mapping is an error: "found conflicting ID 'x'".
 *
 * Parsing is js-yaml's (its event parser); construction is done here so that these rules,
 * key order and error lines are exactly under control.
 *
 * Mappings become plain objects in declaration order. JavaScript objects always list
 * integer-like keys ("0", "10") first in ascending order; Brine accepts that (such keys are
 * rare as state IDs or pillar keys). Non-string keys become strings as Python's `str()` writes
 * them: 1 -> "1", 1.5 -> "1.5", true -> "True", null -> "None". Two keys that differ only in
 * type (1 and "1") therefore collide, and are reported as a conflict.
 */
import { EVENT_ID, SCALAR_STYLE, YAMLException, getScalarValue, parseEvents } from 'js-yaml';
import type { AliasEvent, Event, MappingEvent, ScalarEvent, SequenceEvent } from 'js-yaml';
import { YamlError } from '../errors';
import { pyFloatRepr, pyIntRepr } from '../python/number';

const CORE = 'tag:yaml.org,2002:';
const T = {
  str: `${CORE}str`,
  int: `${CORE}int`,
  float: `${CORE}float`,
  bool: `${CORE}bool`,
  null: `${CORE}null`,
  timestamp: `${CORE}timestamp`,
  merge: `${CORE}merge`,
  value: `${CORE}value`,
  binary: `${CORE}binary`,
  seq: `${CORE}seq`,
  map: `${CORE}map`,
  omap: `${CORE}omap`,
  pairs: `${CORE}pairs`,
  set: `${CORE}set`,
  unicode: `${CORE}python/unicode`,
};

// PyYAML's implicit resolvers (yaml/resolver.py), in the order PyYAML tries them.
const BOOL_TRUE = new Set(['yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const BOOL_FALSE = new Set(['no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const FLOAT_RE =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT_RE = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const TIMESTAMP_RE =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;

interface Built {
  value: unknown;
  tag: string;
}

/**
 * Load one YAML document as Salt does. `source` (a salt:// URL or a path) names the text in
 * errors. An empty document loads as null. Throws YamlError with the source and line.
 */
export function loadSaltYaml(text: string, source: string): unknown {
  let events: Event[];
  try {
    events = parseEvents(text, { filename: source });
  } catch (e) {
    throw parseFailure(e, source);
  }
  return new SaltConstructor(text, source, events).load();
}

function parseFailure(e: unknown, source: string): YamlError {
  if (e instanceof YAMLException) {
    const reason = /tab character/.test(e.reason) ? 'Illegal tab character' : e.reason;
    return new YamlError(reason, { file: source, line: e.mark ? e.mark.line + 1 : undefined });
  }
  return new YamlError(e instanceof Error ? e.message : String(e), { file: source });
}

/** Builds JavaScript values from js-yaml parser events with PyYAML + Salt semantics. */
class SaltConstructor {
  private index = 0;
  private anchors = new Map<string, Built>();
  private handles: Record<string, string> = {};
  private lineStarts: number[] | undefined;

  constructor(
    private readonly text: string,
    private readonly source: string,
    private readonly events: Event[],
  ) {}

  load(): unknown {
    let result: unknown = null;
    let documents = 0;
    while (this.index < this.events.length) {
      const ev = this.events[this.index++];
      if (ev.type !== EVENT_ID.DOCUMENT) continue;
      documents++;
      if (documents > 1) this.fail('expected a single document in the stream, but found another document', this.nextPosition());
      this.anchors = new Map();
      this.handles = {};
      for (const d of ev.directives) if (d.kind === 'tag') this.handles[d.handle] = d.prefix;
      if (this.events[this.index]?.type === EVENT_ID.POP) {
        this.index++;
        result = null;
        continue;
      }
      result = this.node().value;
      this.index++; // the document's POP
    }
    return result;
  }

  private nextPosition(): number {
    for (let i = this.index; i < this.events.length; i++) {
      const p = position(this.events[i]);
      if (p >= 0) return p;
    }
    return this.text.length;
  }

  private line(offset: number): number {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = 0; i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  private fail(message: string, offset: number): never {
    throw new YamlError(message, { file: this.source, line: this.line(Math.max(0, offset)) });
  }

  private node(): Built {
    const ev = this.events[this.index++];
    switch (ev.type) {
      case EVENT_ID.SCALAR:
        return this.anchor(ev, this.scalar(ev));
      case EVENT_ID.ALIAS:
        return this.alias(ev);
      case EVENT_ID.SEQUENCE:
        return this.sequence(ev);
      case EVENT_ID.MAPPING:
        return this.mapping(ev);
      default:
        return this.fail('unexpected YAML event', this.nextPosition());
    }
  }

  private anchor(ev: ScalarEvent | SequenceEvent | MappingEvent, built: Built): Built {
    if (ev.anchorStart >= 0) this.anchors.set(this.text.slice(ev.anchorStart, ev.anchorEnd), built);
    return built;
  }

  private alias(ev: AliasEvent): Built {
    const name = this.text.slice(ev.anchorStart, ev.anchorEnd);
    const found = this.anchors.get(name);
    if (!found) this.fail(`found undefined alias '${name}'`, ev.anchorStart);
    return found;
  }

  private tagOf(ev: ScalarEvent | SequenceEvent | MappingEvent): string | undefined {
    if (ev.tagStart < 0) return undefined;
    const raw = this.text.slice(ev.tagStart, ev.tagEnd);
    if (raw === '!') return '!';
    if (raw.startsWith('!<') && raw.endsWith('>')) return raw.slice(2, -1);
    const m = /^(![A-Za-z0-9-]*!|!)(.*)$/.exec(raw);
    if (!m) return raw;
    const prefix = this.handles[m[1]] ?? (m[1] === '!!' ? CORE : m[1]);
    return prefix + decodeURIComponent(m[2]);
  }

  private scalar(ev: ScalarEvent): Built {
    const text = getScalarValue(this.text, ev);
    const tag = this.tagOf(ev);
    const at = ev.tagStart >= 0 ? ev.tagStart : ev.valueStart;
    if (tag === undefined) {
      if (ev.style !== SCALAR_STYLE.PLAIN) return { value: text, tag: T.str };
      return resolvePlain(text);
    }
    switch (tag) {
      case '!':
      case T.str:
      case T.unicode:
        return { value: text, tag: T.str };
      case T.int:
        if (!INT_RE.test(text) && !/^[-+]?[0-9_]+$/.test(text)) this.fail(`invalid literal for int(): '${text}'`, at);
        return { value: constructInt(text), tag: T.int };
      case T.float:
        if (!FLOAT_RE.test(text) && !INT_RE.test(text) && !/^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?$/.test(text)) {
          this.fail(`could not convert string to float: '${text}'`, at);
        }
        return { value: constructFloat(text), tag: T.float };
      case T.bool: {
        const lower = text.toLowerCase();
        if (['yes', 'true', 'on'].includes(lower)) return { value: true, tag: T.bool };
        if (['no', 'false', 'off'].includes(lower)) return { value: false, tag: T.bool };
        return this.fail(`invalid boolean value '${text}'`, at);
      }
      case T.null:
        return { value: null, tag: T.null };
      case T.timestamp:
        return { value: text, tag: T.timestamp };
      case T.binary:
        return { value: Buffer.from(text.replace(/\s/g, ''), 'base64'), tag: T.binary };
      case T.merge:
        return { value: '<<', tag: T.merge };
      default:
        return this.fail(`could not determine a constructor for the tag '${tag}'`, at);
    }
  }

  private sequence(ev: SequenceEvent): Built {
    const tag = this.tagOf(ev);
    if (tag !== undefined && tag !== '!' && tag !== T.seq && tag !== T.omap && tag !== T.pairs) {
      this.fail(`could not determine a constructor for the tag '${tag}'`, ev.tagStart);
    }
    if (tag === T.omap) return this.omap(ev);
    const list: unknown[] = [];
    const built = this.anchor(ev, { value: list, tag: T.seq });
    while (this.events[this.index].type !== EVENT_ID.POP) {
      const at = position(this.events[this.index]);
      const built = this.node();
      if (built.tag === T.value || built.tag === T.merge) this.fail(`could not determine a constructor for the tag '${built.tag}'`, at);
      const item = built.value;
      if (tag === T.pairs) {
        const entries = isPlainObject(item) ? Object.entries(item) : [];
        if (entries.length !== 1) this.fail('expected a single mapping item for !!pairs', ev.start);
        list.push(entries[0]);
      } else list.push(item);
    }
    this.index++;
    return built;
  }

  /** `!!omap` loads as an ordered mapping (Salt's OrderedDict loader). */
  private omap(ev: SequenceEvent): Built {
    const obj: Record<string, unknown> = {};
    const built = this.anchor(ev, { value: obj, tag: T.map });
    const seen = new Set<string>();
    while (this.events[this.index].type !== EVENT_ID.POP) {
      const item = this.node().value;
      if (!isPlainObject(item) || Object.keys(item).length !== 1) this.fail('expected a single mapping item for !!omap', ev.start);
      const [k, v] = Object.entries(item)[0];
      if (seen.has(k)) this.fail(`found conflicting ID '${k}'`, ev.start);
      seen.add(k);
      setKey(obj, k, v);
    }
    this.index++;
    return built;
  }

  private mapping(ev: MappingEvent): Built {
    const tag = this.tagOf(ev);
    if (tag !== undefined && tag !== '!' && tag !== T.map && tag !== T.set && tag !== T.omap) {
      this.fail(`could not determine a constructor for the tag '${tag}'`, ev.tagStart);
    }
    const obj: Record<string, unknown> = {};
    const built = this.anchor(ev, { value: tag === T.set ? [] : obj, tag: tag === T.set ? T.seq : T.map });
    const own: { key: string; pyKey: string; value: unknown; at: number }[] = [];
    const merged: { key: string; value: unknown; at: number }[] = [];
    while (this.events[this.index].type !== EVENT_ID.POP) {
      const keyEvent = this.events[this.index];
      const at = position(keyEvent);
      const key = this.node();
      const value = this.node();
      if (key.tag === T.merge) {
        merged.push(...this.mergeSource(value, at));
        continue;
      }
      if (value.tag === T.value || value.tag === T.merge) this.fail(`could not determine a constructor for the tag '${value.tag}'`, at);
      if (Array.isArray(key.value) || isPlainObject(key.value)) {
        this.fail(`found unacceptable key (unhashable type: '${Array.isArray(key.value) ? 'list' : 'dict'}'); possible double curly-brace`, at);
      }
      own.push({ key: jsKey(key), pyKey: pyKey(key), value: value.value, at });
    }
    this.index++;
    if (tag === T.set) {
      (built.value as unknown[]).push(...own.map((p) => p.key));
      return built;
    }
    const ownKeys = new Set(own.map((p) => p.key));
    const pairs = [
      ...merged.filter((m) => !ownKeys.has(m.key)).map((m) => ({ key: m.key, pyKey: `s:${m.key}`, value: m.value, at: m.at })),
      ...own,
    ];
    const seen = new Map<string, number>();
    const seenJs = new Set<string>();
    for (const p of pairs) {
      const first = seen.get(p.pyKey);
      if (first !== undefined || seenJs.has(p.key)) {
        const where = first !== undefined ? ` (first defined on line ${this.line(first)})` : '';
        this.fail(`found conflicting ID '${p.key}'${where}`, p.at);
      }
      seen.set(p.pyKey, p.at);
      seenJs.add(p.key);
      setKey(obj, p.key, p.value);
    }
    return built;
  }

  /** The pairs a `<<` value contributes, as Salt's flatten_mapping orders them. */
  private mergeSource(value: Built, at: number): { key: string; value: unknown; at: number }[] {
    if (isPlainObject(value.value) && value.tag === T.map) {
      return Object.keys(value.value).map((k) => ({ key: k, value: (value.value as Record<string, unknown>)[k], at }));
    }
    if (Array.isArray(value.value) && value.tag === T.seq) {
      const out: { key: string; value: unknown; at: number }[] = [];
      for (const sub of [...value.value].reverse()) {
        if (!isPlainObject(sub)) this.fail(`expected a mapping for merging, but found ${Array.isArray(sub) ? 'sequence' : 'scalar'}`, at);
        for (const k of Object.keys(sub)) out.push({ key: k, value: sub[k], at });
      }
      return out;
    }
    return this.fail(`expected a mapping or list of mappings for merging, but found ${Array.isArray(value.value) ? 'sequence' : 'scalar'}`, at);
  }
}

function position(ev: Event | undefined): number {
  if (!ev) return -1;
  switch (ev.type) {
    case EVENT_ID.SCALAR:
      return ev.tagStart >= 0 ? Math.min(ev.tagStart, ev.anchorStart >= 0 ? ev.anchorStart : Infinity) : ev.anchorStart >= 0 ? ev.anchorStart : ev.valueStart;
    case EVENT_ID.SEQUENCE:
    case EVENT_ID.MAPPING:
      return ev.anchorStart >= 0 ? ev.anchorStart : ev.tagStart >= 0 ? ev.tagStart : ev.start;
    case EVENT_ID.ALIAS:
      return ev.anchorStart - 1;
    default:
      return -1;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** Set a key as an own, enumerable property (also `__proto__`, which `=` would not create). */
function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** A plain (untagged, unquoted) scalar, resolved by PyYAML's implicit resolvers. */
function resolvePlain(text: string): Built {
  if (NULLS.has(text)) return { value: null, tag: T.null };
  const c = text[0];
  if (BOOL_TRUE.has(text)) return { value: true, tag: T.bool };
  if (BOOL_FALSE.has(text)) return { value: false, tag: T.bool };
  if ('-+0123456789.'.includes(c) && FLOAT_RE.test(text)) return { value: constructFloat(text), tag: T.float };
  if ('-+0123456789'.includes(c) && INT_RE.test(text)) return { value: constructInt(text), tag: T.int };
  if (text === '<<') return { value: '<<', tag: T.merge };
  if (c >= '0' && c <= '9' && TIMESTAMP_RE.test(text)) return { value: text, tag: T.timestamp };
  if (text === '=') return { value: '=', tag: T.value };
  return { value: text, tag: T.str };
}

/** PyYAML's construct_yaml_int after Salt's leading-zero stripping (decimal, not octal). */
function constructInt(text: string): number {
  let v = text;
  if (v !== '0' && v.startsWith('0') && !v.startsWith('0b') && !v.startsWith('0x')) {
    v = v.replace(/^0+/, '');
    if (v === '') v = '0';
  }
  v = v.replace(/_/g, '');
  let sign = 1;
  if (v[0] === '-') sign = -1;
  if (v[0] === '-' || v[0] === '+') v = v.slice(1);
  if (v === '0' || v === '') return 0;
  if (v.startsWith('0b')) return sign * parseInt(v.slice(2), 2);
  if (v.startsWith('0x')) return sign * parseInt(v.slice(2), 16);
  if (v[0] === '0') return sign * parseInt(v, 8);
  if (v.includes(':')) {
    let result = 0;
    for (const part of v.split(':')) result = result * 60 + parseInt(part, 10);
    return sign * result;
  }
  return sign * parseInt(v, 10);
}

/** PyYAML's construct_yaml_float. */
function constructFloat(text: string): number {
  let v = text.replace(/_/g, '').toLowerCase();
  const sign = v[0] === '-' ? -1 : 1;
  if (v[0] === '-' || v[0] === '+') v = v.slice(1);
  if (v === '.inf') return sign * Infinity;
  if (v === '.nan') return NaN;
  if (v.includes(':')) {
    let result = 0;
    for (const part of v.split(':')) result = result * 60 + parseFloat(part);
    return sign * result;
  }
  return sign * parseFloat(v);
}

/** The JavaScript key of a mapping key: Python's str() of the value. */
function jsKey(key: Built): string {
  const v = key.value;
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return key.tag === T.float ? pyFloatRepr(v) : pyIntRepr(v);
  if (Buffer.isBuffer(v)) return v.toString('latin1');
  return String(v);
}

/** A key's identity under Python's equality (1 == 1.0 == True). */
function pyKey(key: Built): string {
  const v = key.value;
  if (typeof v === 'string') return `s:${v}`;
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'boolean') return `n:${v ? 1 : 0}`;
  if (typeof v === 'number') return `n:${v}`;
  return `o:${jsKey(key)}`;
}
