#!/usr/bin/env bash
# Sets up what is missing, then runs every check: formatting, lints (native and wasm), unit tests,
# the passkeys plugin's tests against real Strapi servers, the browser tests in headless Chromium
# and Firefox, the release build, and the end-to-end tests of that build in headless Chromium
# against real Strapi servers.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

"$ROOT/scripts/setup.sh"
cd "$ROOT"

# wasm-bindgen's test runner closes the browser's window but never ends its WebDriver session, so
# ChromeDriver leaves each run's browser profile (~75 MB) behind in the temporary directory: the
# browser tests get a temporary directory of their own, removed at the end.
BROWSER_TMP=$(mktemp -d "${TMPDIR:-/tmp}/strapi-login-browser-tests.XXXXXX")

# The end-to-end and plugin suites stop their Strapi and nginx servers themselves; this catches an
# interrupted run.
cleanup() {
  rm -rf "$BROWSER_TMP"
  for port in 1401 1402 1403 1411 1412 1422 1431 1441 1461 1462 1463 1464 1465 1471 1472 1473 1481 1482 1483 1491 1492 1501 1502 1503 1511 1521 1522 1531 1541 1542 1551 1552 1611 1612 1613 1614 1621 1622 1623 1641 1642 1631 1632 1561 1562 1563 1571; do STRAPI_PORT=$port scripts/strapi.sh stop; done
  scripts/postgres.sh stop 2>/dev/null || true # the plugin's cluster tests' PostgreSQL
  for pid in /tmp/strapi-login-nginx-*/nginx.pid; do [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null; done
  return 0
}
trap cleanup EXIT

step() {
  local label=$1 start=$SECONDS
  shift
  say "$label"
  "$@"
  say "$label: done in $((SECONDS - start)) s"
}

# The runner's limit is for a whole test binary; browser_renewal waits out real backoffs (~65 s).
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-180}
wasm=(--target wasm32-unknown-unknown)

step "formatting" cargo fmt --all -- --check
step "lints (native)" cargo clippy --workspace --all-targets --quiet -- -D warnings
step "lints (wasm)" cargo clippy --workspace "${wasm[@]}" --all-targets --quiet -- -D warnings
# The release build's split (src/lazy) compiles other code: linted too.
step "lints (wasm, split build)" cargo clippy "${wasm[@]}" --features split --quiet -- -D warnings
step "unit tests (native, with the libraries' doctests)" cargo test --workspace --quiet
step "library docs" env RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps -p strapi-auth -p leptos-strapi-auth
# cargo package verifies leptos-strapi-auth against the strapi-auth it just packaged, through a
# local registry. Cargo takes a registry crate of a given name and version to be immutable: it
# reuses the copy an earlier run unpacked under ~/.cargo/registry/src/ and the build of it in the
# target dir (CI keeps one across clones), so the verification would build an older strapi-auth
# 0.1.0 than today's. These crates are not published: every such copy and build is ours to drop.
package_libraries() {
  local target=${CARGO_TARGET_DIR:-$ROOT/target} crate
  for crate in strapi-auth leptos-strapi-auth strapi_auth leptos_strapi_auth; do
    rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"$crate"-* \
      "$target"/debug/.fingerprint/"$crate"-* "$target"/debug/deps/lib"$crate"-* \
      "$target"/debug/deps/"$crate"-*
  done
  cargo package --quiet -p strapi-auth -p leptos-strapi-auth
}
step "library packages (cargo package, built from the packaged files)" package_libraries
step "passkeys plugin tests (real Strapi)" npm --prefix strapi-plugin-passkeys test
# The app's browser tests, then the Leptos library's own; $1 names the WebDriver (VAR=path).
browser_tests() {
  env TMPDIR="$BROWSER_TMP" "$1" cargo test "${wasm[@]}" --test browser --test browser_session \
    --test browser_renewal --test browser_account --test browser_i18n --test browser_passkeys
  env TMPDIR="$BROWSER_TMP" "$1" cargo test "${wasm[@]}" -p leptos-strapi-auth --test browser
}
step "browser tests (headless Chromium)" browser_tests CHROMEDRIVER="$(command -v chromedriver)"
step "browser tests (headless Firefox)" browser_tests GECKODRIVER="$TOOLS_DIR/bin/geckodriver"
step "release build" trunk build --release
step "size budget (brotli bytes /auth/login loads)" node bench/sizes.mjs dist --budget bench/size-budget.txt
step "size budget (brotli bytes of the whole app)" node bench/sizes.mjs dist --app --budget bench/size-budget-app.txt
step "end-to-end tests (release build, headless Chromium, real Strapi)" \
  npm --prefix tests/e2e test
