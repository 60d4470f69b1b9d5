#!/usr/bin/env bash
# Screenshots for docs/web.md (see run.ts). Needs root for the loopback-only network namespace.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec unshare --net -- bash -c 'ip link set lo up && exec npx tsx scripts/screenshots/run.ts' bash
