/**
 * OS grains from /etc/os-release and /etc/lsb-release, as Salt 3006 (onedir, where the
 * lsb_release Python module is absent) derives them: os, os_family, osfullname, osrelease,
 * osrelease_info, osmajorrelease, oscodename, osfinger and lsb_distrib_*.
 */
import type { Dict } from '../../common/types';
import { readText } from './read';

/**
 * Parse os-release text as Python's platform.freedesktop_os_release does (quotes removed,
 * shell escapes undone, NAME/ID/PRETTY_NAME defaulting to Linux).
 * Example: parseOsRelease('ID=debian\nVERSION_ID="12"\n') -> {NAME: 'Linux', ID: 'debian', PRETTY_NAME: 'Linux', VERSION_ID: '12'}
 */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = { NAME: 'Linux', ID: 'linux', PRETTY_NAME: 'Linux' };
  for (const raw of text.split('\n')) {
    const m = /^([A-Za-z0-9_]+)=(["']?)(.*)\2$/.exec(raw.trim());
    if (m) out[m[1]] = m[3].replace(/\\([\\$"'`])/g, '$1');
  }
  return out;
}

/**
 * Parse /etc/lsb-release into Salt's lsb_distrib_* grains.
 * Example: parseLsbRelease('DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\n') -> {lsb_distrib_id: 'Ubuntu', lsb_distrib_release: '22.04'}
 */
export function parseLsbRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^(DISTRIB_(?:ID|RELEASE|CODENAME|DESCRIPTION))=(?:'|")?([\w\s.-]+)(?:'|")?/.exec(line);
    if (m) out[`lsb_${m[1].toLowerCase()}`] = m[2].trimEnd();
  }
  return out;
}

/** The first ten letters of a distribution name (no spaces, lower case) -> Salt's `os` grain. */
const OS_NAME_MAP: Record<string, string> = {
  redhatente: 'RedHat', gentoobase: 'Gentoo', archarm: 'Arch ARM', arch: 'Arch', debian: 'Debian',
  raspbian: 'Raspbian', fedoraremi: 'Fedora', chapeau: 'Chapeau', korora: 'Korora', amazonami: 'Amazon',
  alt: 'ALT', enterprise: 'OEL', oracleserv: 'OEL', cloudserve: 'CloudLinux', cloudlinux: 'CloudLinux',
  almalinux: 'AlmaLinux', pidora: 'Fedora', scientific: 'ScientificLinux', synology: 'Synology',
  nilrt: 'NILinuxRT', poky: 'Poky', manjaro: 'Manjaro', manjarolin: 'Manjaro', univention: 'Univention',
  antergos: 'Antergos', sles: 'SUSE', void: 'Void', slesexpand: 'RES', linuxmint: 'Mint', neon: 'KDE neon',
  pop: 'Pop', rocky: 'Rocky', alibabaclo: 'Alinux', mendel: 'Mendel',
};

/** (os-release ID, NAME) pairs with a historic `os` grain. */
const ID_AND_NAME_MAP: Record<string, string> = {
  'astra\u0000Astra Linux (Orel)': 'AstraLinuxCE',
  'astra\u0000Astra Linux (Smolensk)': 'AstraLinuxSE',
  'pop\u0000Pop!_OS': 'Pop',
};

/** Salt's `os` -> `os_family` map (unlisted names are their own family). */
const OS_FAMILY_MAP: Record<string, string> = {
  Ubuntu: 'Debian', Fedora: 'RedHat', Chapeau: 'RedHat', Korora: 'RedHat', FedBerry: 'RedHat', CentOS: 'RedHat',
  'CentOS Stream': 'RedHat', GoOSe: 'RedHat', Scientific: 'RedHat', Amazon: 'RedHat', CloudLinux: 'RedHat',
  AlmaLinux: 'RedHat', OVS: 'RedHat', OEL: 'RedHat', XCP: 'RedHat', 'XCP-ng': 'RedHat', XenServer: 'RedHat',
  RES: 'RedHat', Sangoma: 'RedHat', 'VMware Photon OS': 'RedHat', Mandrake: 'Mandriva', Mint: 'Debian',
  VMwareESX: 'VMware', Bluewhite64: 'Bluewhite', Slamd64: 'Slackware', SLES: 'Suse', 'SUSE Enterprise Server': 'Suse',
  SLED: 'Suse', openSUSE: 'Suse', SUSE: 'Suse', 'openSUSE Leap': 'Suse', 'openSUSE Tumbleweed': 'Suse',
  SLES_SAP: 'Suse', 'Arch ARM': 'Arch', Manjaro: 'Arch', 'Manjaro ARM': 'Arch', Antergos: 'Arch', EndeavourOS: 'Arch',
  ALT: 'RedHat', Trisquel: 'Debian', GCEL: 'Debian', Linaro: 'Debian', 'elementary OS': 'Debian', elementary: 'Debian',
  Univention: 'Debian', ScientificLinux: 'RedHat', Raspbian: 'Debian', Devuan: 'Debian', antiX: 'Debian', Kali: 'Debian',
  'Parrot OS': 'Debian', neon: 'Debian', Cumulus: 'Debian', Deepin: 'Debian', NILinuxRT: 'NILinuxRT', 'KDE neon': 'Debian',
  Void: 'Void', IDMS: 'Debian', Funtoo: 'Gentoo', TurnKey: 'Debian', Pop: 'Debian', Rocky: 'RedHat',
  AstraLinuxCE: 'Debian', AstraLinuxSE: 'Debian', Alinux: 'RedHat', Mendel: 'Debian', OSMC: 'Debian',
};

/**
 * Salt's `os` grain from a distribution's full name (and os-release ID).
 * Example: deriveOs('Debian GNU/Linux', 'debian') -> 'Debian'
 */
export function deriveOs(fullname: string, id?: string): string {
  const pair = ID_AND_NAME_MAP[`${id}\u0000${fullname}`];
  if (pair) return pair;
  const distro = fullname.replace(/\W(?:gnu\/)?linux/gi, '').trim();
  const short = distro.replace(/ /g, '').toLowerCase().slice(0, 10);
  return OS_NAME_MAP[short] ?? distro;
}

/** The codename in parentheses of "9.2 (Plow)" or "Rocky Linux 9.2 (Blue Onyx)". */
function parenthesised(text: string | undefined): string | undefined {
  return text ? /\(([^)]+)\)/.exec(text)?.[1] : undefined;
}

/** Salt's _osrelease_data: osrelease_info, osmajorrelease and osfinger from osrelease. */
export function releaseData(os: string, osfullname: string, osrelease: string): Dict {
  const info: Array<number | string> = osrelease.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const out: Dict = { osrelease_info: info };
  if (typeof info[0] === 'number') out.osmajorrelease = info[0];
  const name = ['Debian', 'FreeBSD', 'OpenBSD', 'NetBSD', 'Mac', 'Raspbian'].includes(os) ? os : osfullname;
  out.osfinger = `${name}-${['Ubuntu', 'Pop'].includes(os) ? osrelease : String(info[0])}`;
  return out;
}

/**
 * The OS grains from os-release and lsb-release data.
 * Example: osGrainsFrom(parseOsRelease(debian12), {}) ->
 *   {os: 'Debian', os_family: 'Debian', osfullname: 'Debian GNU/Linux', osrelease: '12',
 *    osrelease_info: [12], osmajorrelease: 12, osfinger: 'Debian-12', oscodename: 'bookworm', ...}
 */
export function osGrainsFrom(rel: Record<string, string>, lsbFile: Record<string, string>): Dict {
  const lsb: Record<string, string> = { ...lsbFile };
  if (!('lsb_distrib_id' in lsb)) {
    if (rel.NAME !== undefined) lsb.lsb_distrib_id = rel.NAME.trim();
    if (rel.VERSION_ID !== undefined) lsb.lsb_distrib_release = rel.VERSION_ID;
    if (rel.VERSION_CODENAME !== undefined) lsb.lsb_distrib_codename = rel.VERSION_CODENAME;
    else if (rel.PRETTY_NAME !== undefined) lsb.lsb_distrib_codename = rel.PRETTY_NAME;
  }
  const os = deriveOs(rel.NAME, rel.ID);
  const distroCodename = rel.VERSION_CODENAME || parenthesised(rel.VERSION) || parenthesised(rel.PRETTY_NAME) || '';
  let codename = lsb.lsb_distrib_codename ?? '';
  if (codename && ['Rocky', 'AlmaLinux'].includes(os)) codename = parenthesised(codename) ?? codename;
  codename = codename.trim() || distroCodename;
  if (codename.includes('Red Hat')) codename = distroCodename;
  const osrelease = (lsb.lsb_distrib_release ?? rel.VERSION_ID ?? '').trim();
  const out: Dict = {
    ...lsb,
    os,
    os_family: OS_FAMILY_MAP[os] ?? os,
    osfullname: rel.NAME.trim(),
    osrelease,
    oscodename: codename,
  };
  if (osrelease) Object.assign(out, releaseData(os, out.osfullname as string, osrelease));
  return out;
}

/** The OS grains of this host. */
export function osGrains(): Dict {
  const text = readText('/etc/os-release') ?? readText('/usr/lib/os-release') ?? '';
  return osGrainsFrom(parseOsRelease(text), parseLsbRelease(readText('/etc/lsb-release') ?? ''));
}
