/**
 * Kernel grains from uname (node:os) and /proc/cmdline: kernel, nodename, kernelrelease,
 * kernelversion, cpuarch, osarch (the package architecture, derived without running dpkg
 * or rpm) and kernelparams.
 */
import * as os from 'node:os';
import type { Dict } from '../../common/types';
import { readText } from './read';

/** uname machine -> Debian's package architecture (what `dpkg --print-architecture` prints). */
const DEBIAN_ARCH: Record<string, string> = {
  x86_64: 'amd64', aarch64: 'arm64', i386: 'i386', i486: 'i386', i586: 'i386', i686: 'i386',
  armv7l: 'armhf', armv6l: 'armel', ppc64le: 'ppc64el', ppc64: 'ppc64', s390x: 's390x',
  riscv64: 'riscv64', mips64: 'mips64el', loongarch64: 'loong64',
};

/**
 * Salt's osarch: the package architecture of the OS family, else the CPU architecture.
 * Example: osArch('Debian', 'x86_64') -> 'amd64'
 */
export function osArch(osFamily: string | undefined, cpuarch: string): string {
  if (osFamily === 'Debian') return DEBIAN_ARCH[cpuarch] ?? cpuarch;
  if ((osFamily === 'RedHat' || osFamily === 'Suse') && /^i[3-6]86$/.test(cpuarch)) return 'i686';
  return cpuarch;
}

/** Python's shlex.split (POSIX mode) of a command line. */
function shlexSplit(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length && '"\\$`'.includes(text[i + 1])) cur += text[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/**
 * Salt's kernelparams grain: [key, value] per boot parameter (value null without '=' or
 * with more than one '=').
 * Example: kernelParamsFrom('quiet root="/dev/sda1"\n') -> [['quiet', null], ['root', '/dev/sda1']]
 */
export function kernelParamsFrom(cmdline: string): Array<[string, string | null]> {
  return shlexSplit(cmdline).map((item) => {
    const data = item.split('=');
    return [data[0], data.length === 2 ? data[1].replace(/^"+|"+$/g, '') : null];
  });
}

/** The kernel grains of this host (osarch needs the OS family). */
export function kernelGrains(osFamily: string | undefined): Dict {
  const cpuarch = os.machine();
  const g: Dict = {
    kernel: os.type(),
    nodename: os.hostname(),
    kernelrelease: os.release(),
    kernelversion: os.version(),
    cpuarch,
    osarch: osArch(osFamily, cpuarch),
  };
  const cmdline = readText('/proc/cmdline');
  if (cmdline !== undefined) g.kernelparams = kernelParamsFrom(cmdline);
  return g;
}
