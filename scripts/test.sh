#!/usr/bin/env bash
# The whole suite: lint, build, typecheck, then every test (unit, integration, real-browser) inside
# a network namespace that has only loopback, so no ICE check or stray request can leave the machine,
# and a PID namespace of its own, so that no process of the suite can outlive it unnoticed.
set -euo pipefail
cd "$(dirname "$0")/.."

# Collects in LEFT_PIDS / LEFT every process of this PID namespace but this shell (its init): what
# the suite left running. Builtins only, in this shell, so that the check itself starts no process.
find_leftovers() {
  local dir pid stat args
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    [ "$pid" = "$$" ] && continue
    read -r stat <"$dir/stat" 2>/dev/null || continue
    stat=${stat##*) }
    [ "${stat%% *}" = Z ] && continue # exited; only the reaping is left
    mapfile -d '' args <"$dir/cmdline" 2>/dev/null || continue
    LEFT_PIDS+=("$pid")
    LEFT+=("  $pid: ${args[*]:0:12}")
  done
}

if [ "${CONCLAVE_TEST_IN_NAMESPACE:-}" = "1" ]; then
  # A PID namespace of its own, with this shell as its init: orphans of the suite come to it,
  # and ps there shows nothing but the suite.
  if [ "$$" -ne 1 ]; then exec unshare --pid --fork --mount-proc -- bash "$0" "$@"; fi
  ip link set lo up
  status=0
  if [ "$#" -gt 0 ]; then
    npx vitest run "$@" || status=$?
  else
    npx vitest run --project unit || status=$?
    if [ "$status" -eq 0 ]; then npx vitest run --project media --no-file-parallelism || status=$?; fi
  fi
  # A run leaves no process behind: anything still here after a moment to exit fails it (and is killed).
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    LEFT_PIDS=()
    LEFT=()
    find_leftovers
    [ "${#LEFT_PIDS[@]}" -eq 0 ] && break
    sleep 0.5
  done
  if [ "${#LEFT_PIDS[@]}" -gt 0 ]; then
    echo "error: the tests left these processes running (now killed):" >&2
    printf '%s\n' "${LEFT[@]}" >&2
    kill -KILL "${LEFT_PIDS[@]}" 2>/dev/null || true
    exit 1
  fi
  exit "$status"
fi

chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium_path" ]; then
  echo "error: Chromium is required for the browser tests and was not found at $chromium_path." >&2
  echo "       Install it with: sudo apt-get update && sudo apt-get install -y chromium" >&2
  exit 1
fi
firefox_path="${FIREFOX_PATH:-/usr/bin/firefox-esr}"
if [ ! -x "$firefox_path" ]; then
  echo "error: Firefox ESR is required for the Firefox tier (e2e/firefox.e2e.test.ts) and was not found at $firefox_path." >&2
  echo "       Install it with: sudo apt-get update && sudo apt-get install -y firefox-esr" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null || ! command -v ip >/dev/null; then
  echo "error: the tests run in a loopback-only network namespace, which needs root, unshare and ip (iproute2)." >&2
  exit 1
fi

# Dependency audit (needs the registry, so before the network namespace): a high or critical
# advisory against a production dependency fails the run. Where the advisory service cannot be
# reached it warns, unless CONCLAVE_REQUIRE_AUDIT=1 makes that a failure too (for machines whose
# registry serves the advisory endpoint; the CI machine's registry answers it with 405).
audit_status=0
bash scripts/audit.sh || audit_status=$?
if [ "$audit_status" -eq 1 ]; then
  echo "error: npm audit found a high or critical advisory in a production dependency (above)." >&2
  exit 1
elif [ "$audit_status" -ne 0 ]; then
  if [ "${CONCLAVE_REQUIRE_AUDIT:-}" = "1" ]; then
    echo "error: the dependency audit could not run and CONCLAVE_REQUIRE_AUDIT=1." >&2
    exit 1
  fi
  echo "warning: the dependency audit could not run here; continuing without it." >&2
fi

npx biome check .
npm run build
npm run typecheck

# Every temporary file of the run (tests, servers, browsers, recorders) goes under one directory
# that the run removes at the end, also when a test fails or the run is interrupted: a run leaves
# nothing behind in /tmp, whatever a test forgets to delete.
run_tmp=$(mktemp -d "${TMPDIR:-/tmp}/conclave-test-run.XXXXXX")
trap 'rm -rf "$run_tmp"' EXIT
status=0
TMPDIR="$run_tmp" CONCLAVE_TEST_IN_NAMESPACE=1 unshare --net --pid --fork --mount-proc -- bash "$0" "$@" || status=$?
exit "$status"
