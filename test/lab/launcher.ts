/**
 * The command line that starts a controller. On the host, a tiny sh moves itself into the
 * controller's cgroup and becomes `nsenter --net=<its netns> unshare --mount --uts --ipc --pid
 * --cgroup --fork`; the forked child (PID 1 of the new PID namespace) runs LAUNCH_SCRIPT, which
 * mounts the controller's world in its private mount namespace and then execs init, chrooted.
 *
 * Every mount lives in the controller's own mount namespace: when its PID 1 ends they all go
 * with it, and the host's mount table never changes. The scripts are constants; every value
 * reaches them as a positional parameter, never inside the script text.
 */
import type { ControllerPaths } from './layout';
import { netnsFile } from './netns';
import type { InitMode } from './rootfs';
import { NODE_IN_CONTROLLER, SYSVINIT_INIT } from './rootfs';

/**
 * Capabilities taken out of every controller's bounding set: changing the host's clock or
 * kernel (modules, raw I/O, syslog, accounting), making device nodes, or reading the host's
 * files by handle. The controllers' root is still root: this guards against accidents (a
 * package's postinst, a sysctl), it is not a security boundary.
 */
export const DROPPED_CAPS: readonly string[] = [
  'sys_module',
  'sys_rawio',
  'sys_time',
  'wake_alarm',
  'syslog',
  'sys_pacct',
  'mknod',
  'dac_read_search',
  'mac_admin',
  'mac_override',
  'block_suspend',
  'audit_control',
  'audit_read',
  'bpf',
  'perfmon',
  'sys_boot',
];

/** setpriv's --bounding-set value that drops DROPPED_CAPS. */
export function boundingSet(): string {
  return DROPPED_CAPS.map((c) => `-${c}`).join(',');
}

/** Host side: join the cgroup given as $1 (none when empty), then exec the rest. */
const HOST_WRAPPER = '{ [ -z "$1" ] || echo $$ > "$1/cgroup.procs"; } && shift && exec "$@"';

/**
 * In the new namespaces (running as their PID 1, on the host's file system still).
 * $1 name  $2 lower  $3 upper  $4 work  $5 root  $6 console file  $7 apt archives
 * $8 init: systemd|sysvinit  $9 node binary  $10 setpriv --bounding-set value
 * then: read-only directories bound at the same path in the root.
 */
export const LAUNCH_SCRIPT = `set -eu
name=$1 lower=$2 upper=$3 work=$4 root=$5 console=$6 archives=$7 init=$8 node=$9
shift 9
caps=$1
shift
hostname "$name"
mount -t overlay overlay -o "lowerdir=$lower,upperdir=$upper,workdir=$work" "$root"

# /proc of this PID namespace; /proc/sys read-only except /proc/sys/net (this netns's own)
mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
mount --bind "$root/proc/sys" "$root/proc/sys"
mount --bind "$root/proc/sys/net" "$root/proc/sys/net"
mount -o remount,bind,ro,nosuid,nodev,noexec "$root/proc/sys"
if [ -e "$root/proc/sysrq-trigger" ]; then
  mount --bind "$root/proc/sysrq-trigger" "$root/proc/sysrq-trigger"
  mount -o remount,bind,ro "$root/proc/sysrq-trigger"
fi
for f in kcore keys timer_list; do
  if [ -e "$root/proc/$f" ]; then mount --bind /dev/null "$root/proc/$f"; fi
done

# /sys read-only; /sys/fs/cgroup: a read-only tmpfs with this controller's name=systemd subtree
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$root/sys"
mount -t tmpfs -o nosuid,nodev,noexec,mode=755 tmpfs "$root/sys/fs/cgroup"
if [ "$init" = systemd ]; then
  mkdir "$root/sys/fs/cgroup/systemd"
  mount -t cgroup -o nosuid,nodev,noexec,none,name=systemd cgroup "$root/sys/fs/cgroup/systemd"
fi
mount -o remount,ro,nosuid,nodev,noexec,mode=755 "$root/sys/fs/cgroup"

# a minimal /dev
mount -t tmpfs -o nosuid,noexec,mode=755,size=4m tmpfs "$root/dev"
for d in null zero full random urandom tty; do
  : > "$root/dev/$d"
  mount --bind "/dev/$d" "$root/dev/$d"
done
: > "$root/dev/console"
mount --bind "$console" "$root/dev/console"
mkdir -m 755 "$root/dev/pts"
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5,nosuid,noexec devpts "$root/dev/pts"
ln -s pts/ptmx "$root/dev/ptmx"
mkdir -m 1777 "$root/dev/shm"
mount -t tmpfs -o nosuid,nodev,mode=1777 tmpfs "$root/dev/shm"
mkdir -m 755 "$root/dev/mqueue"
mount -t mqueue -o nosuid,nodev,noexec mqueue "$root/dev/mqueue"
ln -s /proc/self/fd "$root/dev/fd"
ln -s /proc/self/fd/0 "$root/dev/stdin"
ln -s /proc/self/fd/1 "$root/dev/stdout"
ln -s /proc/self/fd/2 "$root/dev/stderr"

mount -t tmpfs -o nosuid,nodev,mode=755 tmpfs "$root/run"
mount -t tmpfs -o nosuid,nodev,mode=1777 tmpfs "$root/tmp"

# the shared apt archives; node and the project, read-only
mount --bind "$archives" "$root/var/cache/apt/archives"
mount --bind "$node" "$root${NODE_IN_CONTROLLER}"
mount -o remount,bind,ro "$root${NODE_IN_CONTROLLER}"
for d in "$@"; do
  mount --bind "$d" "$root$d"
  mount -o remount,bind,ro "$root$d"
done

if [ "$init" = systemd ]; then
  exec setpriv --bounding-set "$caps" -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin container=brine-lab TERM=dumb chroot "$root" /lib/systemd/systemd
else
  exec setpriv --bounding-set "$caps" -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin TERM=dumb chroot "$root" /bin/bash ${SYSVINIT_INIT}
fi
`;

/** What a controller is started from. */
export interface LaunchInputs {
  name: string;
  netns: string;
  /** The controller's cgroup directory ('' to stay in the caller's cgroups). */
  cgroup: string;
  lower: string;
  paths: ControllerPaths;
  archives: string;
  init: InitMode;
  nodeBinary: string;
  readOnlyBinds: string[];
}

/** The argv that starts a controller (its pid is unshare's; PID 1 is unshare's only child). */
export function launchArgv(i: LaunchInputs): string[] {
  const caps = boundingSet();
  return [
    'sh',
    '-c',
    HOST_WRAPPER,
    'brine-lab-cgroup',
    i.cgroup,
    'nsenter',
    `--net=${netnsFile(i.netns)}`,
    '--',
    'unshare',
    '--mount',
    '--uts',
    '--ipc',
    '--pid',
    '--cgroup',
    '--fork',
    '--propagation',
    'private',
    '--',
    'sh',
    '-c',
    LAUNCH_SCRIPT,
    `brine-lab-${i.name}`,
    i.name,
    i.lower,
    i.paths.upper,
    i.paths.work,
    i.paths.root,
    i.paths.console,
    i.archives,
    i.init,
    i.nodeBinary,
    caps,
    ...i.readOnlyBinds,
  ];
}
