/**
 * A real tiny daemon under an LSB init script in /etc/init.d, for the service integration
 * tests: a shell loop started by start-stop-daemon with a pidfile, which writes its config
 * file's content on start and again on SIGHUP (reload). Cleanup stops it, kills anything left,
 * and removes the script, its rc links and its files, whatever state a failed test left.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const DAEMON = `#!/bin/sh
# brine test daemon: ARGS config output pidfile. Records the config on start and on HUP;
# writes its pidfile once the config is read (so "started" means "configured").
conf=$1; out=$2; pidfile=$3
child=
load() { cat "$conf" > "$out" 2>/dev/null; echo "loaded $$" >> "$out.log"; }
quit() { [ -n "$child" ] && kill "$child" 2>/dev/null; exit 0; }
trap load HUP
trap quit TERM
load
echo $$ > "$pidfile.tmp" && mv "$pidfile.tmp" "$pidfile"
while :; do
  if [ -z "$child" ] || ! kill -0 "$child" 2>/dev/null; then sleep 3600 & child=$!; fi
  wait "$child"
done
`;

function initScript(name: string, daemon: string, pidfile: string, conf: string, out: string): string {
  return `#!/bin/sh
### BEGIN INIT INFO
# Provides:          ${name}
# Required-Start:    $local_fs
# Required-Stop:     $local_fs
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: Brine test daemon
### END INIT INFO
PIDFILE=${pidfile}
LOADS=${out}.log
# Wait (10 s at most) until the command in $1 succeeds.
settle() { i=0; while ! eval "$1" && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; eval "$1"; }
case "$1" in
  start)
    start-stop-daemon --status --pidfile $PIDFILE && exit 0
    rm -f $PIDFILE
    start-stop-daemon --start --quiet --background --pidfile $PIDFILE --startas ${daemon} -- ${conf} ${out} $PIDFILE || exit 1
    settle "[ -s $PIDFILE ]" ;;
  stop)
    start-stop-daemon --stop --quiet --pidfile $PIDFILE --retry TERM/5/KILL/5 --remove-pidfile
    r=$?; [ $r -eq 1 ] && exit 0; exit $r ;;
  restart|force-reload)
    "$0" stop && "$0" start ;;
  reload)
    n=$(wc -l < $LOADS)
    start-stop-daemon --stop --signal HUP --quiet --pidfile $PIDFILE || exit 1
    settle "[ \\$(wc -l < $LOADS) -gt $n ]" ;;
  status)
    start-stop-daemon --status --pidfile $PIDFILE
    r=$?; [ $r -eq 0 ] && exit 0; [ $r -eq 4 ] && exit 4; exit 3 ;;
  *)
    echo "Usage: $0 {start|stop|restart|reload|force-reload|status}" >&2; exit 3 ;;
esac
`;
}

function processAlive(pid: number): boolean {
  try {
    return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
  } catch {
    return false;
  }
}

/** Processes whose command line contains `text`, and their children. */
function processesMentioning(text: string): number[] {
  const found = new Set<number>();
  const parents = new Map<number, number>();
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0').join(' ');
      const ppid = Number(/PPid:\s+(\d+)/.exec(fs.readFileSync(`/proc/${e}/status`, 'utf8'))?.[1]);
      parents.set(Number(e), ppid);
      if (cmd.includes(text)) found.add(Number(e));
    } catch {
      // gone
    }
  }
  for (const [pid, ppid] of parents) if (found.has(ppid)) found.add(pid);
  return [...found];
}

/** Remove every rc link of `name` (whatever update-rc.d managed to do). */
function removeRcLinks(name: string): void {
  for (const level of ['0', '1', '2', '3', '4', '5', '6', 'S']) {
    const dir = `/etc/rc${level}.d`;
    let entries: string[] = [];
    try {
      entries = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const e of entries) if (new RegExp(`^[SK]\\d+${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`).test(e)) fs.rmSync(path.join(dir, e), { force: true });
  }
}

/** One installed test daemon. */
export class TestDaemon {
  readonly dir: string;
  readonly conf: string;
  readonly out: string;
  readonly pidfile: string;
  readonly initScript: string;

  constructor(readonly name: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-svc-daemon-'));
    this.conf = path.join(this.dir, 'daemon.conf');
    this.out = path.join(this.dir, 'seen.conf');
    this.pidfile = path.join(this.dir, 'daemon.pid');
    this.initScript = path.join('/etc/init.d', name);
  }

  /** Write the daemon and its init script (no rc links: the service starts out disabled). */
  install(config = 'version 1\n'): this {
    const daemon = path.join(this.dir, 'daemon.sh');
    fs.writeFileSync(daemon, DAEMON, { mode: 0o755 });
    fs.writeFileSync(this.conf, config);
    fs.writeFileSync(this.initScript, initScript(this.name, daemon, this.pidfile, this.conf, this.out), { mode: 0o755 });
    return this;
  }

  /** The daemon's pid when it runs. */
  pid(): number | undefined {
    try {
      const pid = Number(fs.readFileSync(this.pidfile, 'utf8').trim());
      return pid && processAlive(pid) ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  /** The config the daemon last read, and the `loaded PID` lines (one per start or reload). */
  seen(): { config: string; loads: string[] } {
    const read = (p: string): string => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : '');
    return { config: read(this.out), loads: read(`${this.out}.log`).split('\n').filter((l) => l) };
  }

  /** The rc links of the service, sorted (`rc2.d/S01name`, ...). */
  rcLinks(): string[] {
    const out: string[] = [];
    for (const level of ['0', '1', '2', '3', '4', '5', '6', 'S']) {
      try {
        for (const e of fs.readdirSync(`/etc/rc${level}.d`)) if (e.replace(/^[SK]\d+/, '') === this.name && /^[SK]\d+/.test(e)) out.push(`rc${level}.d/${e}`);
      } catch {
        // no such runlevel dir
      }
    }
    return out.sort();
  }

  /** Stop and remove everything, whatever state the test left. */
  cleanup(): void {
    if (fs.existsSync(this.initScript)) spawnSync(this.initScript, ['stop'], { stdio: 'ignore', timeout: 20000 });
    for (const pid of processesMentioning(this.dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    spawnSync('update-rc.d', ['-f', this.name, 'remove'], { stdio: 'ignore', timeout: 20000 });
    removeRcLinks(this.name);
    fs.rmSync(this.initScript, { force: true });
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export { processesMentioning };
