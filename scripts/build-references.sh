#!/usr/bin/env bash
# Builds the benchmark's two reference pages into $1 (default target/bench-reference), each a
# directory a static server can serve as it is:
#
#   floor/        a plain HTML login form and a few lines of JavaScript: the least a page can load
#   leptos-form/  the smallest Leptos 0.8 login form (bench/reference/leptos-form), built the way
#                 the app is: the same release profile, wasm-bindgen, wasm-opt -Oz, terser
#
# Both use the app's stylesheet, so the three pages paint the same card. Called by bench.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

OUT=${1:-$ROOT/target/bench-reference}
REF=$ROOT/bench/reference
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}

rm -rf "$OUT"
mkdir -p "$OUT/floor" "$OUT/leptos-form"

cp "$REF/floor/index.html" "$REF/floor/loader.js" "$ROOT/style/main.css" "$OUT/floor/"

# Its Cargo.lock is the app's, trimmed: it must keep the app's leptos (the comparison is about that
# Leptos) and wasm-bindgen (which the installed CLI matches). After an update of the app's, copy
# Cargo.lock over bench/reference/leptos-form/Cargo.lock and build once without --locked.
for crate in leptos wasm-bindgen; do
  [ "$(locked_version $crate "$REF/leptos-form/Cargo.lock")" = "$(locked_version $crate)" ] ||
    die "bench/reference/leptos-form/Cargo.lock has another $crate than the app's Cargo.lock"
done

say "building the Leptos reference form (bench/reference/leptos-form)"
CARGO_TARGET_DIR=$TARGET_DIR cargo build --release --locked --target wasm32-unknown-unknown \
  --manifest-path "$REF/leptos-form/Cargo.toml" >&2
form=$OUT/leptos-form
wasm-bindgen --target web --no-typescript --out-dir "$form" --out-name leptos-form \
  "$TARGET_DIR/wasm32-unknown-unknown/release/leptos-form.wasm"
# The features Rust's wasm32 target emits; the same flags as the app's (Trunk's) wasm-opt run.
wasm-opt -Oz --converge --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-reference-types --enable-multivalue --enable-mutable-globals \
  "$form/leptos-form_bg.wasm" -o "$form/leptos-form_bg.wasm"
terser "$form/leptos-form.js" --module --compress --mangle -o "$form/leptos-form.js"
cp "$REF/leptos-form/index.html" "$REF/leptos-form/loader.js" "$ROOT/style/main.css" "$form/"
