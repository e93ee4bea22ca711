#!/usr/bin/env bash
# The optional smallest release build, into dist/ like `trunk build --release`, on a nightly
# toolchain: the standard library rebuilt with the app (-Zbuild-std), panic = immediate-abort, no
# panic locations and no `Debug` formatting. BENCHMARKS.md has what it saves.
#
# Never required: the stable `trunk build --release` is the product, and every test runs on it.
# The price: a panic stops the app at once, without the "Something went wrong" banner, and
# `Debug` output (logs only; the app shows none) is empty.
#
#   scripts/build-smallest.sh            needs rustup's nightly with rust-src and the wasm target
#                                        (added here when rustup can fetch them)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

"$ROOT/scripts/setup.sh"
cd "$ROOT"

TOOLCHAIN=${SMALLEST_TOOLCHAIN:-nightly}
rustup run "$TOOLCHAIN" rustc --version >/dev/null 2>&1 ||
  die "no '$TOOLCHAIN' toolchain: install one with rustup (or set SMALLEST_TOOLCHAIN)"
rustup component add --toolchain "$TOOLCHAIN" rust-src >&2 ||
  die "the $TOOLCHAIN toolchain has no rust-src and rustup cannot fetch it"
rustup target add --toolchain "$TOOLCHAIN" wasm32-unknown-unknown >&2 ||
  die "the $TOOLCHAIN toolchain has no wasm32-unknown-unknown and rustup cannot fetch it"

export RUSTUP_TOOLCHAIN=$TOOLCHAIN
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none"
# Its own target directory, so it and the stable build never rebuild each other.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}/smallest"
say "smallest build with $(rustc --version)"
trunk build --release "$@"
