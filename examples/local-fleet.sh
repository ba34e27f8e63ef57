#!/usr/bin/env bash
# The example tree on a fleet of three controllers on this one machine: a master (which starts
# its own nats-server on a free loopback port) and minions ctrl-1.lab, ctrl-2.lab, ctrl-3.lab,
# each with its own root_dir, pki and cache under .cache/local-fleet. Keys are auto-accepted
# here (a demo). Then:
#   brine orch run prereqos --test   what the seeds/004 orchestration would do on each controller
#                                     (RabbitMQ, Galera, Corosync/Pacemaker/HAProxy, Apache, ...),
#                                     step by step, changing nothing;
#   brine orch run demo              a file-and-command orchestration of the same shape, for real
#                                     (it writes only under each minion's demo_dir).
# Everything started is stopped on exit.
#   examples/local-fleet.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
work="$root/.cache/local-fleet"
brine="$root/bin/brine"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

rm -rf "$work"
mkdir -p "$work/master"
cat > "$work/master/master" <<CONF
file_roots: {base: ['$root/states', '$root']}
pillar_roots: {base: ['$root/pillars']}
cachedir: '$work/master/cache'
pki_dir: '$work/master/pki'
auto_accept: True
timeout: 30
nats: {host: 127.0.0.1, port: 0}
CONF
"$brine" master -c "$work/master" -l warning &
pids+=($!)

bus="$work/master/cache/bus.json"
for _ in $(seq 1 300); do [ -s "$bus" ] && break; sleep 0.1; done
[ -s "$bus" ] || { echo "the master did not start" >&2; exit 1; }
url=$(node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).servers[0])' "$bus")

for n in 1 2 3; do
  dir="$work/ctrl-$n"
  mkdir -p "$dir/root"
  cat > "$dir/minion" <<CONF
id: ctrl-$n.lab
master: '$url'
root_dir: '$dir/root'
acceptance_wait_time: 0.2
grains: {host: ctrl-$n, demo_dir: '$dir/root/demo'}
CONF
  "$brine" minion -c "$dir" -l warning &
  pids+=($!)
done

for _ in $(seq 1 150); do
  answered=$("$brine" run 'ctrl-*' test.ping -c "$work/master" --out json --out-indent -1 -t 2 2>/dev/null | grep -c true || true)
  [ "$answered" = 3 ] && break
  sleep 0.2
done
echo "==> brine run 'ctrl-*' test.ping"
"$brine" run 'ctrl-*' test.ping -c "$work/master"
echo "==> brine orch run prereqos --test --pillar '{\"firstnode\": \"ctrl-1\"}' (what each step would do; nothing is changed)"
"$brine" orch run prereqos --test --pillar '{"firstnode": "ctrl-1"}' -c "$work/master"
echo "==> brine orch run demo --pillar '{\"firstnode\": \"ctrl-1\"}' (file and cmd states, for real, under each minion's demo_dir)"
"$brine" orch run demo ${BRINE_DEMO_FLAGS:-} --pillar '{"firstnode": "ctrl-1"}' -c "$work/master"
for n in 1 2 3; do echo "ctrl-$n: $(cat "$work/ctrl-$n/root/demo/cluster")"; done
