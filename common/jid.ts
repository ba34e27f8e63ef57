/**
 * Salt's job ids: the UTC start time as `YYYYMMDDhhmmssffffff` (20 digits, microseconds),
 * as `salt.utils.jid.gen_jid` writes them, made unique and increasing within one process the
 * way Salt's `unique_jid` does (a jid that would not be later than the last one is the last
 * one plus one microsecond).
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const JID_SHAPE = /^[0-9]{20}(?:_[0-9]+)?$/;

/** Microseconds since the epoch from the wall clock (sub-millisecond digits from the monotonic clock). */
export function wallClockMicros(): number {
  const subMillisecond = Math.floor((performance.now() % 1) * 1000);
  return Date.now() * 1000 + subMillisecond;
}

/** Hands out strictly increasing jids from a clock of microseconds since the epoch. */
export class JidGenerator {
  private last = -1;

  constructor(private readonly clock: () => number = wallClockMicros) {}

  /** The next jid: the clock's time, or one microsecond after the previous jid if the clock has not moved on. */
  next(): string {
    let micros = Math.floor(this.clock());
    if (micros <= this.last) micros = this.last + 1;
    this.last = micros;
    return formatJid(micros);
  }
}

const processJids = new JidGenerator();

/** A new jid, unique and later than every jid this process made before. */
export function newJid(): string {
  return processJids.next();
}

/** The jid of a time given in microseconds since the epoch (UTC). */
export function formatJid(micros: number): string {
  const date = new Date(Math.floor(micros / 1000));
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  return (
    pad(date.getUTCFullYear(), 4) +
    pad(date.getUTCMonth() + 1, 2) +
    pad(date.getUTCDate(), 2) +
    pad(date.getUTCHours(), 2) +
    pad(date.getUTCMinutes(), 2) +
    pad(date.getUTCSeconds(), 2) +
    pad(((micros % 1_000_000) + 1_000_000) % 1_000_000, 6)
  );
}

/** Whether a value is a jid as Salt's `is_jid` accepts it (20 digits, optionally `_<pid>`). */
export function isJid(value: unknown): value is string {
  return typeof value === 'string' && JID_SHAPE.test(value);
}

/** Salt's `jid_to_time`: `2024, Jan 05 12:34:56.123456`, or '' for something that is not a jid. */
export function jidToTime(jid: string): string {
  if (!isJid(jid)) return '';
  const month = MONTHS[Number(jid.slice(4, 6)) - 1];
  if (month === undefined) return '';
  return `${jid.slice(0, 4)}, ${month} ${jid.slice(6, 8)} ${jid.slice(8, 10)}:${jid.slice(10, 12)}:${jid.slice(12, 14)}.${jid.slice(14, 20)}`;
}
