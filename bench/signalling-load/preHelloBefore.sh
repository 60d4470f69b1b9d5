#!/usr/bin/env bash
# bench/signalling-load/preHello against the server from before issue 17's finding-1 fix (the parent of
# 5db6c34): that tree's packages/server and packages/protocol (git archive, into a temp directory),
# this checkout's node_modules beside them (that tree's dependencies are a subset of today's), and
# today's bench and instrumented-server child (@conclave/testkit did not exist yet), run with
# `--before 1` so only configuration keys of the old server are passed. Arguments go to preHello.
#
#   flock /work/wt/heavy.lock bash bench/signalling-load/preHelloBefore.sh --sockets 150
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
before="${BEFORE_COMMIT:-5db6c34^}"
tree="$(mktemp -d /tmp/conclave-prehello-before.XXXXXX)"
trap 'rm -rf "$tree"' EXIT
git -C "$here" archive "$before" packages/server packages/protocol package.json | tar -x -C "$tree"
mkdir -p "$tree/node_modules/@conclave" "$tree/bench" "$tree/packages/web"
for entry in "$here"/node_modules/* "$here"/node_modules/.bin; do
  [ "$(basename "$entry")" = "@conclave" ] || ln -s "$entry" "$tree/node_modules/$(basename "$entry")"
done
ln -s ../../packages/server "$tree/node_modules/@conclave/server"
ln -s ../../packages/protocol "$tree/node_modules/@conclave/protocol"
# The old server refuses to start without a built web client; today's serves (the bench never asks).
ln -s "$here/packages/web/dist" "$tree/packages/web/dist"
cp "$here/packages/testkit/src/server/instrumentedServerMain.ts" "$tree/bench/"
sed "s#'./instrumentedServerMain.js'#'./instrumentedServerMain.ts'#" \
  "$here/packages/testkit/src/server/instrumentedServer.ts" > "$tree/bench/instrumentedServer.ts"
sed "s#from '@conclave/testkit'#from './instrumentedServer.ts'#" \
  "$here/bench/signalling-load/preHello.ts" > "$tree/bench/preHello.ts"
cd "$tree"
npx tsx --conditions=source bench/preHello.ts --before 1 "$@"
