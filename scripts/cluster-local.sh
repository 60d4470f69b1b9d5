#!/usr/bin/env bash
# One Conclave node per CPU core on this machine, sharing a local Redis (docs/cluster.md).
#
#   scripts/cluster-local.sh                 # nodes on :8081, :8082, … ; media on UDP 10001, 10002, …
#   NODES=3 BASE_PORT=9000 scripts/cluster-local.sh
#
# Uses the redis-server already listening at CONCLAVE_REDIS_URL, or starts one on 127.0.0.1:6399
# with no persistence. Open any node's URL: a meeting runs on one node whichever you enter by.
# Ctrl-C stops everything it started. Build first: npm run build.
set -euo pipefail
cd "$(dirname "$0")/.."

nodes="${NODES:-$(nproc)}"
base_port="${BASE_PORT:-8081}"
media_base="${MEDIA_BASE_PORT:-10001}"
host="${HOST:-127.0.0.1}"
redis_url="${CONCLAVE_REDIS_URL:-redis://127.0.0.1:6399}"
# Every node must share the secret; a random one per run is right for a local cluster.
secret="${CONCLAVE_CLUSTER_SECRET:-$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n')}"

if [ ! -f packages/server/dist/main.js ]; then
  echo "error: build first: npm run build" >&2
  exit 1
fi

pids=()
redis_pid=""
redis_dir=""
cleanup() {
  trap - INT TERM EXIT
  # SIGTERM drains each node (new meetings go elsewhere, then what is left moves, within
  # cluster.drainSeconds); then the Redis this script started stops.
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$redis_pid" ]; then kill -TERM "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; fi
  if [ -n "$redis_dir" ]; then rm -rf "$redis_dir"; fi
}
trap cleanup INT TERM EXIT

if ! redis-cli -u "$redis_url" ping >/dev/null 2>&1; then
  if [ -n "${CONCLAVE_REDIS_URL:-}" ]; then
    echo "error: no Redis answers at $CONCLAVE_REDIS_URL" >&2
    exit 1
  fi
  command -v redis-server >/dev/null || { echo "error: install redis-server (apt-get install redis-server)" >&2; exit 1; }
  redis_dir="$(mktemp -d)"
  redis-server --port 6399 --bind 127.0.0.1 --dir "$redis_dir" --save '' --appendonly no --loglevel warning &
  redis_pid="$!"
  for _ in $(seq 50); do redis-cli -p 6399 ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

for i in $(seq 0 $((nodes - 1))); do
  port=$((base_port + i))
  CONCLAVE_REDIS_URL="$redis_url" \
    CONCLAVE_CLUSTER_SECRET="$secret" \
    CONCLAVE_NODE_ID="node$((i + 1))" \
    CONCLAVE_PUBLIC_URL="${PUBLIC_URL_PREFIX:-http://$host}:$port" \
    CONCLAVE_MEDIA_PORT=$((media_base + i)) \
    PORT="$port" HOST="$host" \
    node packages/server/dist/main.js "$@" &
  pids+=("$!")
done

echo "Conclave: $nodes nodes on http://$host:$base_port … :$((base_port + nodes - 1)), directory at $redis_url"
wait
