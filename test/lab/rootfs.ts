/**
 * What each controller finds in its root besides the base: files written into its overlay's
 * upper directory before it starts (host name, /etc/hosts naming the three controllers and
 * the mirror's relay, apt sources, a machine id of its own, the minion's config and how its
 * init starts the minion), and the mount points of what is bound from the host.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ControllerPaths } from './layout';
import type { ControllerPlan, LabPlan } from './plan';

/** How a controller's PID 1 is run. */
export type InitMode = 'systemd' | 'sysvinit';

/** Where the host's node binary appears in each controller. */
export const NODE_IN_CONTROLLER = '/usr/local/bin/node';
/** The minion's config directory in each controller. */
export const MINION_CONFIG_DIR = '/etc/brine';
/** The PID 1 script of the sysvinit mode. */
export const SYSVINIT_INIT = '/etc/brine-lab/init';
/** Written by the sysvinit PID 1 once the minion is started. */
export const SYSVINIT_READY = '/run/brine-lab-ready';
/** The minion's log in the sysvinit mode (under systemd it is in the journal). */
export const SYSVINIT_MINION_LOG = '/var/log/brine-minion.log';

/**
 * Units that make no sense in a controller, would run apt behind the lab's back, or would
 * mount a file system that is the host's own (FUSE control, huge pages, binfmt_misc, debugfs,
 * tracefs, configfs).
 */
export const MASKED_UNITS: readonly string[] = [
  'sys-fs-fuse-connections.mount',
  'dev-hugepages.mount',
  'sys-kernel-config.mount',
  'sys-kernel-debug.mount',
  'sys-kernel-tracing.mount',
  'proc-sys-fs-binfmt_misc.automount',
  'proc-sys-fs-binfmt_misc.mount',
  'systemd-binfmt.service',
  'console-getty.service',
  'getty@tty1.service',
  'apt-daily.timer',
  'apt-daily-upgrade.timer',
  'dpkg-db-backup.timer',
  'e2scrub_all.timer',
  'e2scrub_reap.service',
  'fstrim.timer',
  'systemd-journald-audit.socket',
];

/** What the files depend on. */
export interface RootInputs {
  plan: LabPlan;
  controller: ControllerPlan;
  init: InitMode;
  /** The project directory (bound read-only at the same path). */
  project: string;
  /** More host directories bound read-only at the same path (node_modules' real place). */
  extraBinds: string[];
  /** sources.list for the controller. */
  sources: string;
  /** Mirror host name → the relay address that stands for it. */
  mirrorHosts: { host: string; address: string }[];
}

function write(upper: string, file: string, text: string, mode = 0o644): void {
  const p = path.join(upper, file);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text, { mode });
  fs.chmodSync(p, mode);
}

function symlink(upper: string, file: string, target: string): void {
  const p = path.join(upper, file);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.rmSync(p, { force: true });
  fs.symlinkSync(target, p);
}

/** /etc/hosts of a controller: the three controllers (primary network) and the mirror's relay. */
export function hostsFile(plan: LabPlan, mirrorHosts: { host: string; address: string }[]): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', ''];
  for (const c of plan.controllers) lines.push(`${c.address}\t${c.id} ${c.name}`);
  lines.push(`${plan.primary.bridgeAddress}\tbrine-master`, '', '# Debian mirror, through the lab relay');
  for (const m of mirrorHosts) lines.push(`${m.address}\t${m.host}`);
  return `${lines.join('\n')}\n`;
}

/** The minion config (YAML; JSON is YAML). */
export function minionConfig(plan: LabPlan, c: ControllerPlan): string {
  return `${JSON.stringify({ id: c.id, master: plan.natsUrl, acceptance_wait_time: 1, grains: { host: c.name } }, null, 2)}\n`;
}

/** The minion's command line inside a controller. */
export function minionArgv(project: string): string[] {
  return [NODE_IN_CONTROLLER, path.join(project, 'bin', 'brine'), 'minion', '-c', MINION_CONFIG_DIR, '-l', 'info'];
}

/** The systemd unit that runs the minion. */
export function minionUnit(project: string): string {
  return [
    '[Unit]',
    'Description=Brine minion (brine lab)',
    'After=network.target',
    '',
    '[Service]',
    `ExecStart=${minionArgv(project).join(' ')}`,
    'Restart=on-failure',
    'RestartSec=2',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/**
 * PID 1 of the sysvinit mode (bash): starts the minion in the background, reaps orphans, and
 * on SIGTERM stops every process of the controller (SIGTERM, up to 15 s, then exits: the
 * kernel kills what is left of the PID namespace).
 */
export function sysvinitScript(project: string): string {
  return `#!/bin/bash
# PID 1 of a brine lab controller in sysvinit mode (written by the lab).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LANG=C.UTF-8
stopping=0
trap 'stopping=1' TERM INT
mkdir -p /run/lock /run/sendsigs.omit.d
chmod 1777 /run/lock
${minionArgv(project).join(' ')} >> ${SYSVINIT_MINION_LOG} 2>&1 < /dev/null &
: > ${SYSVINIT_READY}
while [ "$stopping" = 0 ]; do
  sleep 1 &
  wait $!
done
shopt -s nullglob
kill -TERM -1 2>/dev/null
for _ in $(seq 1 75); do
  left=(/proc/[0-9]*)
  [ "\${#left[@]}" -le 1 ] && break
  sleep 0.2 & wait $!
done
exit 0
`;
}

/**
 * Write a controller's files into its (fresh) upper directory and make the mount points of
 * what the launcher binds from the host.
 */
export function writeControllerFiles(paths: ControllerPaths, inputs: RootInputs): void {
  const { upper } = paths;
  const c = inputs.controller;
  write(upper, 'etc/hostname', `${c.name}\n`);
  write(upper, 'etc/hosts', hostsFile(inputs.plan, inputs.mirrorHosts));
  write(upper, 'etc/resolv.conf', '# brine lab: no DNS; every name the controllers use is in /etc/hosts\n');
  write(upper, 'etc/machine-id', `${crypto.randomBytes(16).toString('hex')}\n`, 0o444);
  write(upper, 'etc/apt/sources.list', inputs.sources);
  write(upper, 'etc/apt/apt.conf.d/90brine-lab', 'Acquire::Retries "3";\n');
  write(upper, path.join(MINION_CONFIG_DIR.slice(1), 'minion'), minionConfig(inputs.plan, c), 0o600);
  write(upper, 'etc/brine-lab/controller.json', `${JSON.stringify({ name: c.name, id: c.id, init: inputs.init, interfaces: c.interfaces }, null, 2)}\n`);
  if (inputs.init === 'systemd') {
    write(upper, 'etc/systemd/system/brine-minion.service', minionUnit(inputs.project));
    symlink(upper, 'etc/systemd/system/multi-user.target.wants/brine-minion.service', '/etc/systemd/system/brine-minion.service');
    for (const u of MASKED_UNITS) symlink(upper, path.join('etc/systemd/system', u), '/dev/null');
  } else {
    write(upper, SYSVINIT_INIT.slice(1), sysvinitScript(inputs.project), 0o755);
  }
  // mount points of the host's node binary and of the project (bound read-only by the launcher)
  write(upper, NODE_IN_CONTROLLER.slice(1), '', 0o755);
  for (const d of [inputs.project, ...inputs.extraBinds]) fs.mkdirSync(path.join(upper, d), { recursive: true });
}
