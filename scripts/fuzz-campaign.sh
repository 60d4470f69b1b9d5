#!/usr/bin/env bash
# A longer fuzz campaign than CI runs (not part of npm test): every fuzz property with FUZZ_SCALE times
# its CI cases (default 20) — or at least FUZZ_RUNS cases each, if set — and a fresh random seed each,
# printed ("fuzz <property> seed=<seed> runs=<runs>") so a failure can be replayed with
# FUZZ_SEED=<seed> FUZZ_RUNS=<runs> on its test file. Heavy: run it under the shared lock or niced.
#   npm run fuzz                     # or: FUZZ_SCALE=100 bash scripts/fuzz-campaign.sh [test files…]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${FUZZ_RUNS:-}" ]; then export FUZZ_SCALE="${FUZZ_SCALE:-20}"; fi
export FUZZ_SEED="${FUZZ_SEED:-random}"
start=$(date +%s)
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  files=(packages/protocol/src/messages.fuzz.test.ts packages/protocol/src/sframe/sframe.fuzz.test.ts
    packages/server/src/sfu/parsers.fuzz.test.ts packages/server/src/signaling/dispatcher.fuzz.test.ts)
fi
npx vitest run --project unit --testTimeout=7200000 --hookTimeout=600000 --no-file-parallelism "${files[@]}"
echo "fuzz campaign: FUZZ_SCALE=${FUZZ_SCALE:-1} FUZZ_RUNS=${FUZZ_RUNS:-unset} (cases per property above), $(( $(date +%s) - start )) s"
