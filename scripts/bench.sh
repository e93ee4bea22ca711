#!/usr/bin/env bash
# The benchmark: builds the release app, then measures what /auth/login loads (bytes, with a
# breakdown of the wasm), cold loads in headless Chromium, and login round trips against a real
# Strapi. Reports numbers; asserts nothing. Options: --loads N (default 20), --logins N (default 10).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

"$ROOT/scripts/setup.sh"
cd "$ROOT"
trunk build --release >&2
node bench/bench.mjs "$@"
