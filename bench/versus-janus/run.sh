#!/usr/bin/env bash
# bench/versus-janus: Conclave's SFU against Janus's VideoRoom on the same bots (see run.ts).
#   npm run bench:versus-janus -- [--reps 3] [--scenarios 1x10,1x30,1x60,4x4,8x8] [...]
# Needs root: it installs Debian's janus and tcpdump if missing and makes a network namespace.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [[ $EUID -ne 0 ]]; then
  echo "bench/versus-janus: run as root (apt-get, unshare --net, tcpdump)" >&2
  exit 1
fi
missing=()
command -v janus >/dev/null || missing+=(janus)
command -v tcpdump >/dev/null || missing+=(tcpdump)
# --perf DIR records the servers with perf (Debian's package for it is linux-perf).
if [[ " $* " == *" --perf "* ]]; then command -v perf >/dev/null || missing+=(linux-perf); fi
if ((${#missing[@]})); then
  apt-get install -y --no-install-recommends "${missing[@]}"
fi
if [[ $(nproc) -lt 2 ]]; then
  echo "bench/versus-janus: needs 2 cores (server on core 0, bots on core 1)" >&2
  exit 1
fi

# From a fresh clone: the workspace's packages first (node-datachannel, ws, tsx, typescript).
[[ -d node_modules ]] || npm ci

# Conclave runs as `npm start` runs it, from the built server.
npx tsc -b packages/protocol packages/server

# A network namespace with nothing but loopback and a veth pair whose two ends are both inside it:
# no packet can leave. Janus 1.1.2 gathers no ICE candidate on a loopback interface, so media of
# both servers and of the bots uses an address on one end of the pair; traffic between local
# addresses is delivered through lo, where tcpdump sees it. The namespace ends with the bench.
exec unshare --net -- bash -c '
  set -euo pipefail
  ip link set lo up
  ip link add vsj0 type veth peer name vsj1
  ip link set vsj0 up
  ip link set vsj1 up
  ip addr add 10.201.0.1/32 dev vsj0
  exec taskset -c 1 node --import tsx bench/versus-janus/run.ts --address 10.201.0.1 "$@"
' bash "$@"
