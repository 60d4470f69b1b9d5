#!/usr/bin/env bash
# bench/join-time: join times in Chromium (see run.ts). Needs root (a loopback-only network
# namespace, so no packet leaves the machine) and a built web client (npm run build).
#   bash bench/join-time/run.sh [--rounds 5] [--settle 3000] [--simulcast 0] [--trace 1] [--profile DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
exec unshare --net -- bash -c 'ip link set lo up && exec npx tsx bench/join-time/run.ts "$@"' bash "$@"
