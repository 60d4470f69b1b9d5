#!/usr/bin/env bash
# bench/screen-share: what presenting a 1920×1080 slide or scrolling text costs the sender, in
# headless Chromium (see run.ts). Needs root (a loopback-only network namespace, so no packet
# leaves the machine); builds the web client first if it is not built.
#   npm run bench:screen-share -- [--seconds 20] [--baseline-seconds 10] [--modes p2p,sfu] [--contents slide,scroll]
set -euo pipefail
cd "$(dirname "$0")/../.."
[[ -d node_modules ]] || npm ci
[[ -f packages/web/dist/index.html ]] || npm run build
exec unshare --net -- bash -c 'ip link set lo up && exec npx tsx bench/screen-share/run.ts "$@"' bash "$@"
