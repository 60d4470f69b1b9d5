#!/usr/bin/env bash
# bench/cluster/fanout: forwarded packets/s of one node's media engine on one core, then of two
# nodes' engines at once, each on its own core, with the synthetic bots of bench/sfu-fanout.
# Each engine is a separate process (as two nodes are); their bots run on the other core, so on a
# 2-core machine the load generators share the cores with the engines in the two-node run.
#
#   unshare -n bash -c 'ip link set lo up && bash bench/cluster/fanout.sh'
set -euo pipefail
cd "$(dirname "$0")/../.."
args=(--bots "${BOTS:-31}" --publishers 1 --video-pps "${VIDEO_PPS:-1000}" --seconds "${SECONDS_:-8}" --warmup 5)

echo "one node:"
ENGINE_CPU=0 taskset -c 1 npx tsx bench/sfu-fanout/synthetic.ts "${args[@]}" | tail -1

echo "two nodes at once:"
ENGINE_CPU=0 taskset -c 1 npx tsx bench/sfu-fanout/synthetic.ts "${args[@]}" > /tmp/conclave-fanout-a.json &
a=$!
ENGINE_CPU=1 taskset -c 0 npx tsx bench/sfu-fanout/synthetic.ts "${args[@]}" > /tmp/conclave-fanout-b.json &
b=$!
wait "$a" "$b"
tail -1 /tmp/conclave-fanout-a.json
tail -1 /tmp/conclave-fanout-b.json
rm -f /tmp/conclave-fanout-a.json /tmp/conclave-fanout-b.json
