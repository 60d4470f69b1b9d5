#!/usr/bin/env bash
# A longer fuzz campaign than CI runs (not part of npm test): every fuzz property with FUZZ_RUNS cases
# (default 20000) and a fresh random seed each, printed so a failure can be replayed with
# FUZZ_SEED=<seed> FUZZ_RUNS=<runs>. Heavy: run it under the shared lock on a shared machine.
#   npm run fuzz                     # or: FUZZ_RUNS=100000 bash scripts/fuzz-campaign.sh [test files…]
set -euo pipefail
cd "$(dirname "$0")/.."
export FUZZ_RUNS="${FUZZ_RUNS:-20000}"
export FUZZ_SEED="${FUZZ_SEED:-random}"
start=$(date +%s)
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  files=(packages/protocol/src/messages.fuzz.test.ts packages/protocol/src/sframe/sframe.fuzz.test.ts
    packages/server/src/sfu/parsers.fuzz.test.ts packages/server/src/signaling/dispatcher.fuzz.test.ts)
fi
npx vitest run --project unit --testTimeout=7200000 --hookTimeout=600000 --no-file-parallelism "${files[@]}"
echo "fuzz campaign: FUZZ_RUNS=$FUZZ_RUNS per property, $(( $(date +%s) - start )) s"
