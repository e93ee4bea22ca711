#!/usr/bin/env bash
# The benchmark: builds the release app, then measures what /auth/login loads (bytes, with a
# breakdown of the wasm), cold loads in headless Chromium, and login round trips against a real
# Strapi, with the cold loads interleaved with three reference pages: the seed's login page (the
# Next.js app in ../shared/peers/seed-next, built outside the clone by scripts/build-seed.sh; the
# run stops if that folder is absent) and two pages of scripts/build-references.sh.
# Reports numbers; asserts nothing. Options: --loads N (default 20), --logins N (default 10),
# --throttled-loads N (default 8), --throttled-logins N (default 5),
# --smallest (measure the optional nightly build of scripts/build-smallest.sh instead).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

"$ROOT/scripts/setup.sh" --bench
cd "$ROOT"
# First, so a missing seed stops the run at once. Pointed at the benchmark's Strapi (bench.mjs:
# STRAPI_PORT), though only the seed's cold loads are measured.
BENCH_SEED_DIR=$(scripts/build-seed.sh http://127.0.0.1:1490)
export BENCH_SEED_DIR
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
