#!/usr/bin/env node
// Runs after `npm ci` / `npm install` (the root package's postinstall).
//
// Why: Chromium sends the ICE connectivity checks of a TCP or TLS TURN allocation with
// ICE-CONTROLLED carrying a tie-breaker of 0. libjuice 1.7.2 (inside node-datachannel 0.33.4)
// compares the ICE-CONTROLLING and ICE-CONTROLLED values instead of testing which attribute is
// present, sees 0 == 0 (the absent one reads as 0) and answers 400, so a UDP-blocked browser can
// never reach the SFU through TURN/TCP or TURN/TLS. Upstream: libjuice issue #355, fix in PR #356
// (open, in no release on 2026-12-02). RFC 8445 §16.1 allows a tie-breaker of 0.
//
// What: in the prebuilt @node-datachannel/linux-x64-gnu@0.33.4 binary, the conditional jump to
// that 400 reply (`je` right after `cmp` of the two role values in agent_process_stun_binding) is
// the six bytes 0f 84 71 06 00 00 at file offset 0x48bf28; they become six NOPs. Side effect: a
// Binding request that carries neither role attribute is answered instead of refused (its
// MESSAGE-INTEGRITY is still checked before this point). Only a file whose SHA-256 is exactly the
// known stock build is touched, and the result must hash to the known patched build; anything else
// is left alone with a warning (TURN over UDP keeps working either way).
//
// Remove this script (and the postinstall entry) the day a node-datachannel release carries the
// libjuice fix: docs/sfu.md, "TURN over TCP/TLS".
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const PACKAGE = '@node-datachannel/linux-x64-gnu';
const STOCK_SHA256 = '936d991f99cc07a48a8327199ca5ba098411f8b873dfe1a456069f09d64c52ff';
const PATCHED_SHA256 = '122fe516fc067ca31fed816f936da2ee1b9415b8ef010e1deb00cd04891ad2b9';
const OFFSET = 0x48bf28;
const STOCK_BYTES = Buffer.from([0x0f, 0x84, 0x71, 0x06, 0x00, 0x00]);
const PATCHED_BYTES = Buffer.alloc(STOCK_BYTES.length, 0x90);

const warn = (message) =>
  console.warn(
    `conclave: ${message}\n` +
      '  TURN over UDP is unaffected; TURN over TCP/TLS into the SFU needs the libjuice fix\n' +
      '  (libjuice #355/#356). See docs/sfu.md, "TURN over TCP/TLS".',
  );

function binaryPath() {
  // Resolved from node-datachannel itself, as its loader does, so a hoisted or nested copy is found.
  try {
    const fromNdc = createRequire(createRequire(import.meta.url).resolve('node-datachannel'));
    return join(dirname(fromNdc.resolve(`${PACKAGE}/package.json`)), 'node_datachannel.node');
  } catch {
    return undefined;
  }
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function main() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    warn(`no patch for ${process.platform}-${process.arch}; node-datachannel left as installed.`);
    return;
  }
  const path = binaryPath();
  if (!path) {
    warn(`${PACKAGE} is not installed (musl libc, or optional dependencies omitted); nothing patched.`);
    return;
  }
  const bytes = readFileSync(path);
  const hash = sha256(bytes);
  if (hash === PATCHED_SHA256) return;
  if (hash !== STOCK_SHA256) {
    warn(`${path} is not the known 0.33.4 build (sha256 ${hash}); left untouched.`);
    return;
  }
  if (!bytes.subarray(OFFSET, OFFSET + STOCK_BYTES.length).equals(STOCK_BYTES)) {
    warn(`unexpected bytes at 0x${OFFSET.toString(16)} in ${path}; left untouched.`);
    return;
  }
  PATCHED_BYTES.copy(bytes, OFFSET);
  if (sha256(bytes) !== PATCHED_SHA256) {
    warn(`the patched ${path} does not hash as expected; left untouched.`);
    return;
  }
  // Written beside the original and renamed over it, so a failed write never leaves half a binary.
  const temporary = `${path}.conclave-patch`;
  writeFileSync(temporary, bytes, { mode: 0o644 });
  renameSync(temporary, path);
  console.log(`conclave: patched ${PACKAGE} so TURN over TCP/TLS reaches the SFU (libjuice #355).`);
}

main();
