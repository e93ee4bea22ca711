#!/usr/bin/env bash
# The benchmark: builds the release app, then measures what /auth/login loads (bytes, with a
# breakdown of the wasm), cold loads in headless Chromium, and login round trips against a real
# Strapi, with the cold loads interleaved with two reference pages (scripts/build-references.sh).
# Reports numbers; asserts nothing. Options: --loads N (default 20), --logins N (default 10),
# --throttled-loads N (default 8), --throttled-logins N (default 5),
# --smallest (measure the optional nightly build of scripts/build-smallest.sh instead).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

"$ROOT/scripts/setup.sh" --bench
cd "$ROOT"
export BENCH_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
if [ "${1:-}" = --smallest ]; then
  shift
  scripts/build-smallest.sh >&2
  export BENCH_BUILD="smallest: nightly, -Zbuild-std, panic=immediate-abort (scripts/build-smallest.sh)"
  BENCH_TARGET_DIR+=/smallest
else
  trunk build --release >&2
fi
export BENCH_REFERENCE_DIR=$ROOT/target/bench-reference
scripts/build-references.sh "$BENCH_REFERENCE_DIR"
node bench/bench.mjs "$@"
