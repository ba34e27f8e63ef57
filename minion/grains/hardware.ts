/**
 * Hardware grains read from /proc and /sys, as Salt's _linux_cpudata, _linux_memdata and
 * _hw_data do on Linux: num_cpus, cpu_model, cpu_flags, mem_total, swap_total (MiB) and the
 * firmware/DMI grains (productname, manufacturer, uuid, ...).
 */
import * as path from 'node:path';
import type { Dict } from '../../common/types';
import { isDirectory, readText } from './read';

/**
 * CPU grains from /proc/cpuinfo text (x86 "model name"/"flags", ARM "Processor"/"Features",
 * POWER "cpu", s390 "# processors").
 * Example: cpuGrainsFrom('processor : 0\nmodel name : Xeon\nflags : fpu sse\n')
 *   -> {num_cpus: 1, cpu_model: 'Xeon', cpu_flags: ['fpu', 'sse']}
 */
export function cpuGrainsFrom(cpuinfo: string | undefined): Dict {
  const g: { num_cpus?: number; cpu_model?: string; cpu_flags?: string[] } = {};
  if (cpuinfo !== undefined) {
    g.num_cpus = 0;
    for (const line of cpuinfo.split('\n')) {
      const comps = line.split(':');
      if (comps.length < 2) continue;
      const key = comps[0].trim();
      const val = comps[1].trim();
      if (key === 'processor') g.num_cpus += 1;
      else if (key === '# processors') g.num_cpus = Number.parseInt(val, 10);
      else if (key === 'vendor_id' || key === 'model name' || key === 'cpu') g.cpu_model = val;
      else if (key === 'flags' || key === 'Features') g.cpu_flags = val.split(/\s+/).filter(Boolean);
      else if (key === 'Processor') {
        g.cpu_model = val.split('-')[0];
        g.num_cpus = 1;
      }
    }
  }
  return { num_cpus: g.num_cpus ?? 0, cpu_model: g.cpu_model ?? 'Unknown', cpu_flags: g.cpu_flags ?? [] };
}

/**
 * Memory grains (MiB, rounded down) from /proc/meminfo text.
 * Example: memGrainsFrom('MemTotal: 2048000 kB\nSwapTotal: 0 kB\n') -> {mem_total: 2000, swap_total: 0}
 */
export function memGrainsFrom(meminfo: string | undefined): Dict {
  const g = { mem_total: 0, swap_total: 0 };
  for (const line of (meminfo ?? '').split('\n')) {
    const comps = line.split(':');
    if (comps.length < 2) continue;
    const kib = Number.parseInt(comps[1].trim().split(/\s+/)[0], 10);
    if (!Number.isFinite(kib)) continue;
    if (comps[0].trim() === 'MemTotal') g.mem_total = Math.floor(kib / 1024);
    if (comps[0].trim() === 'SwapTotal') g.swap_total = Math.floor(kib / 1024);
  }
  return g;
}

const DMI_FILES: Record<string, string> = {
  biosversion: 'bios_version',
  biosvendor: 'bios_vendor',
  boardname: 'board_name',
  productname: 'product_name',
  manufacturer: 'sys_vendor',
  biosreleasedate: 'bios_date',
  uuid: 'product_uuid',
  serialnumber: 'product_serial',
};

/** Firmware grains from /sys/class/dmi/id (files the minion may not read are left out). */
export function dmiGrains(dir = '/sys/class/dmi/id'): Dict {
  const g: Dict = {};
  if (!isDirectory(dir)) return g;
  for (const [grain, file] of Object.entries(DMI_FILES)) {
    const text = readText(path.join(dir, file));
    if (text === undefined) continue;
    g[grain] = grain === 'uuid' ? text.trim().toLowerCase() : text.trim();
  }
  return g;
}

/** The CPU, memory and firmware grains of this host. */
export function hardwareGrains(): Dict {
  return { ...cpuGrainsFrom(readText('/proc/cpuinfo')), ...memGrainsFrom(readText('/proc/meminfo')), ...dmiGrains() };
}
