/**
 * The `locale_info` grain: defaultlanguage and defaultencoding as Python's
 * locale.getlocale() reports them for the minion's environment (LC_ALL, LC_CTYPE, LANG),
 * detectedencoding (Salt's system encoding) and the time zone abbreviation.
 */
import type { Dict } from '../../common/types';
import { localZoneAbbreviation } from './timezone';

/** Python's normalised spelling of common codesets. */
const CODESETS: Record<string, string> = {
  utf8: 'UTF-8',
  iso88591: 'ISO8859-1',
  iso885915: 'ISO8859-15',
  latin1: 'ISO8859-1',
  latin9: 'ISO8859-15',
  eucjp: 'eucJP',
  euckr: 'eucKR',
  gb2312: 'gb2312',
  gbk: 'GBK',
  gb18030: 'gb18030',
  big5: 'big5',
  koi8r: 'KOI8-R',
  cp1251: 'CP1251',
  ascii: 'ISO8859-1',
};

/**
 * [language, encoding] of a locale name as Python's getlocale() gives it: the C/POSIX
 * locales (which Python coerces to C.UTF-8) read as en_US/UTF-8, as Python's alias table
 * says; modifiers are dropped; a name without codeset is taken as ISO8859-1 (ISO8859-15
 * for @euro), Python's default for most such names. Whether the locale is installed is not
 * checked (Python would fall back to C.UTF-8).
 * Example: pythonLocale('de_DE.utf8') -> ['de_DE', 'UTF-8']
 */
export function pythonLocale(name: string | undefined): [string, string] {
  const n = (name ?? '').trim();
  if (!n || /^(C|POSIX)(\.(utf-?8|UTF-?8))?$/i.test(n)) return ['en_US', 'UTF-8'];
  const m = /^([^.@]+)(?:\.([^@]+))?(?:@(.+))?$/.exec(n);
  if (!m) return ['en_US', 'UTF-8'];
  const fallback = m[3] === 'euro' ? 'ISO8859-15' : 'ISO8859-1';
  const codeset = m[2] ? (CODESETS[m[2].toLowerCase().replace(/[-_]/g, '')] ?? m[2]) : fallback;
  return [m[1], codeset];
}

/**
 * Salt's detected system encoding (Python's stdin encoding, glibc's codeset name) for a
 * codeset as getlocale() spells it.
 * Example: detectedEncoding('ISO8859-15') -> 'ISO-8859-15'
 */
export function detectedEncoding(codeset: string): string {
  if (codeset === 'UTF-8') return 'utf-8';
  const iso = /^ISO8859-(\d+)$/.exec(codeset);
  return iso ? `ISO-8859-${iso[1]}` : codeset;
}

/**
 * The locale_info grain for an environment.
 * Example: localeInfo({LANG: 'en_GB.UTF-8'}) -> {defaultlanguage: 'en_GB', defaultencoding: 'UTF-8', detectedencoding: 'utf-8', timezone: 'UTC'}
 */
export function localeInfo(env: NodeJS.ProcessEnv = process.env, now: Date = new Date()): Dict {
  const name = env.LC_ALL || env.LC_CTYPE || env.LANG;
  const [language, encoding] = pythonLocale(name);
  return { defaultlanguage: language, defaultencoding: encoding, detectedencoding: detectedEncoding(encoding), timezone: localZoneAbbreviation(now, env) };
}
