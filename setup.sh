#!/usr/bin/env bash
# First command of the README: install everything Brine needs on a fresh Debian machine
# (Debian's nats-server, the npm packages from the committed lock file), build, and run the
# main job on the example tree. Non-interactive and repeatable.
set -euo pipefail
cd "$(dirname "$0")"

# nats-server: the bus; openssl: the bus's TLS certificates (nats.tls)
missing=()
command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || missing+=(nats-server)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing ${missing[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "==> installing npm packages (exact versions from the committed lock file; install scripts approved in package.json)"
npm install --no-save --no-fund --no-audit --loglevel=error

echo "==> building"
npm run --silent build

echo "==> main job: a master (its own nats-server) and minions ctrl-1.lab..ctrl-3.lab on this machine; brine orch run prereqos --test, then the demo orchestration for real"
./examples/local-fleet.sh
