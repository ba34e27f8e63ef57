/**
 * The local time zone's abbreviation now ("UTC", "CET", "CEST", "EDT"), as Salt's
 * locale_info.timezone reports it (dateutil's tzlocal().tzname()): read from the TZif file
 * of the zone (transitions, then the POSIX rule at the end for times past the last one).
 */
import { readBytes } from './read';

/** The abbreviation TZif `data` gives for the instant `now`, or undefined when it cannot tell. */
export function tzifAbbreviation(data: Buffer, now: Date, zone?: string): string | undefined {
  if (data.length < 44 || data.toString('latin1', 0, 4) !== 'TZif') return undefined;
  const counts = (at: number): number[] => [0, 1, 2, 3, 4, 5].map((i) => data.readUInt32BE(at + 20 + i * 4));
  let [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(0);
  let at = 44;
  let timeSize = 4;
  if (data[4] >= 0x32) {
    at += timecnt * 4 + timecnt + typecnt * 6 + charcnt + leap * 8 + isstd + isut;
    if (data.length < at + 44) return undefined;
    [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(at);
    at += 44;
    timeSize = 8;
  }
  const times = at;
  const idx = times + timecnt * timeSize;
  const types = idx + timecnt;
  const chars = types + typecnt * 6;
  const end = chars + charcnt + leap * (timeSize + 4) + isstd + isut;
  if (data.length < end || typecnt === 0) return undefined;
  const seconds = BigInt(Math.floor(now.getTime() / 1000));
  const timeAt = (i: number): bigint => (timeSize === 8 ? data.readBigInt64BE(times + i * 8) : BigInt(data.readInt32BE(times + i * 4)));
  const abbr = (type: number): string => {
    const start = chars + data[types + type * 6 + 5];
    const stop = data.indexOf(0, start);
    return data.toString('latin1', start, stop < 0 || stop > chars + charcnt ? chars + charcnt : stop);
  };
  const footer = timeSize === 8 ? data.toString('latin1', end).split('\n')[1] : undefined;
  if (timecnt > 0 && seconds >= timeAt(0) && (seconds < timeAt(timecnt - 1) || !footer)) {
    let i = timecnt - 1;
    while (i > 0 && timeAt(i) > seconds) i--;
    return abbr(data[idx + i]);
  }
  if (footer) return posixAbbreviation(footer, now, zone);
  let first = 0;
  while (first < typecnt && data[types + first * 6 + 4] === 1) first++;
  return abbr(first < typecnt ? first : 0);
}

/** Parse the start of a POSIX TZ string: a name (`CET` or `<+03>`) and the offset after it. */
function nameAndOffset(s: string): { name: string; offset?: number; rest: string } | undefined {
  const m = /^(?:<([^>]+)>|([A-Za-z]{3,}))([+-]?\d{1,2}(?::\d{2}(?::\d{2})?)?)?(.*)$/.exec(s);
  if (!m) return undefined;
  let offset: number | undefined;
  if (m[3]) {
    const sign = m[3].startsWith('-') ? -1 : 1;
    const [h, mi = '0', se = '0'] = m[3].replace(/^[+-]/, '').split(':');
    offset = -sign * (Number(h) * 3600 + Number(mi) * 60 + Number(se));
  }
  return { name: m[1] ?? m[2], offset, rest: m[4] };
}

/** The UTC offset (seconds) of `zone` at `now`, from the runtime's time zone data. */
function zoneOffset(now: Date, zone?: string): number | undefined {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
      .formatToParts(now)
      .find((p) => p.type === 'timeZoneName')?.value;
    if (!part) return undefined;
    if (part === 'GMT') return 0;
    const m = /^GMT([+-])(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(part);
    if (!m) return undefined;
    return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0));
  } catch {
    return zone === undefined ? -now.getTimezoneOffset() * 60 : undefined;
  }
}

/**
 * The abbreviation of a POSIX TZ rule at `now` (standard or daylight time, told apart by
 * the zone's actual offset).
 * Example: posixAbbreviation('CET-1CEST,M3.5.0,M10.5.0/3', new Date('2024-07-01'), 'Europe/Paris') -> 'CEST'
 */
export function posixAbbreviation(rule: string, now: Date, zone?: string): string | undefined {
  const std = nameAndOffset(rule.trim());
  if (!std) return undefined;
  const dst = std.rest ? nameAndOffset(std.rest) : undefined;
  if (!dst) return std.name;
  const offset = zoneOffset(now, zone);
  return offset !== undefined && std.offset !== undefined && offset !== std.offset ? dst.name : std.name;
}

/**
 * The local zone's abbreviation now: TZ (a zone name, a path, or a POSIX rule) or
 * /etc/localtime; "unknown" when neither can be read.
 */
export function localZoneAbbreviation(now: Date = new Date(), env: NodeJS.ProcessEnv = process.env): string {
  const tz = env.TZ?.replace(/^:/, '');
  let zone: string | undefined;
  let data: Buffer | undefined;
  if (tz) {
    data = readBytes(tz.startsWith('/') ? tz : `/usr/share/zoneinfo/${tz}`);
    zone = tz.startsWith('/') ? undefined : tz;
    if (!data) return posixAbbreviation(tz, now, undefined) ?? 'unknown';
  } else {
    data = readBytes('/etc/localtime');
    if (!data) return 'UTC';
  }
  try {
    zone ??= Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    zone = undefined;
  }
  return tzifAbbreviation(data, now, zone) ?? 'unknown';
}
