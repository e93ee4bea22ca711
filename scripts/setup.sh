#!/usr/bin/env bash
# Installs every tool the project needs, skipping what is already present at the right version.
# Idempotent: a second run does nothing but check. Used by dev.sh, test.sh and CI; bench.sh adds
# --bench for the tools only the benchmark uses.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then
    say "apt-get update"
    as_root apt-get update -qq
    apt_updated=1
  fi
  say "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Whether our `$1 --version` reports `$2`. (Read whole first: `grep -q` stops at the match, and a
# tool still printing gets SIGPIPE, which `pipefail` would take for "not installed".)
has_version() {
  local out
  out=$("$TOOLS_DIR/bin/$1" --version 2>/dev/null) || return 1
  grep -qw -- "$2" <<<"$out"
}

# `cargo install` into our tool directory unless `$bin --version` already reports `$version`.
cargo_tool() {
  local crate=$1 bin=$2 version=$3; shift 3
  if has_version "$bin" "$version"; then return; fi
  say "cargo install $crate $version (a few minutes, once)"
  # The tools' own release profiles ask for fat LTO, one codegen unit and full optimisation:
  # minutes of compiling on two cores for tools that run for a second (wasm-bindgen at opt-level
  # 1 takes as long on this app's wasm, and writes the same bytes). Overridden for these installs.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
    cargo install --quiet --force --root "$TOOLS_DIR" "$crate" --version "$version" "$@"
}

command -v cargo >/dev/null || die "cargo is missing: install Rust with rustup first"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v firefox-esr >/dev/null || missing+=(firefox-esr)
command -v brotli >/dev/null || missing+=(brotli)
[ -x /usr/sbin/nginx ] || missing+=(nginx) # the production-serving end-to-end tests
command -v node >/dev/null || missing+=(nodejs npm)
# Building geckodriver and better-sqlite3 needs a C toolchain; python3 for node-gyp.
command -v cc >/dev/null || missing+=(build-essential)
command -v python3 >/dev/null || missing+=(python3)
# PostgreSQL for the plugin's cluster tests (scripts/postgres.sh runs a private cluster of it).
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

mkdir -p "$TOOLS_DIR/bin"

# Compiled from source: minutes of CPU on a bare machine. Trunk and wasm-bindgen-cli are built
# without TLS (their default features link rustls and compile ring's C and assembly): this project
# never lets them download (Trunk.toml `offline`, tool versions pinned) and the test runner talks
# plain HTTP to a local WebDriver.
rust_tools() {
  cargo_tool trunk trunk "$TRUNK_VERSION" --locked --no-default-features
  # Without --locked: a dependency locked by wasm-bindgen-cli is missing from the registry.
  cargo_tool wasm-bindgen-cli wasm-bindgen "$(wasm_bindgen_version)" --no-default-features
  cargo_tool geckodriver geckodriver "$GECKODRIVER_VERSION" --locked
  # wasm-split-cli has no --version: it is installed into a directory named for its version.
  local split="$TOOLS_DIR/wasm-split-$WASM_SPLIT_VERSION"
  if [ ! -x "$split/bin/wasm-split-cli" ]; then
    say "cargo install wasm_split_cli_support $WASM_SPLIT_VERSION (wasm-split-cli, a minute, once)"
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
      cargo install --quiet --force --root "$split" wasm_split_cli_support --version "$WASM_SPLIT_VERSION" \
      --features build-binary --locked
  fi
  ln -sf "../wasm-split-$WASM_SPLIT_VERSION/bin/wasm-split-cli" "$TOOLS_DIR/bin/wasm-split-cli"
  if [ "$bench" = 1 ]; then
    cargo_tool twiggy twiggy "$TWIGGY_VERSION" --locked # the benchmark's wasm size breakdown
  fi
}

# Downloaded (and one native module compiled): mostly waiting on the registry.
node_tools() {
  if ! has_version wasm-opt "version_$BINARYEN_VERSION"; then
    say "npm install binaryen@$BINARYEN_VERSION (wasm-opt)"
    mkdir -p "$TOOLS_DIR/binaryen"
    npm install --loglevel=error --no-audit --no-fund --prefix "$TOOLS_DIR/binaryen" "binaryen@$BINARYEN_VERSION"
    ln -sf ../binaryen/node_modules/.bin/wasm-opt "$TOOLS_DIR/bin/wasm-opt"
  fi
  if ! has_version terser "$TERSER_VERSION"; then
    say "npm install terser@$TERSER_VERSION (minifies the JS glue)"
    mkdir -p "$TOOLS_DIR/terser"
    npm install --loglevel=error --no-audit --no-fund --prefix "$TOOLS_DIR/terser" "terser@$TERSER_VERSION"
    ln -sf ../terser/node_modules/.bin/terser "$TOOLS_DIR/bin/terser"
  fi
  # The development Strapi and its companions (mail, OAuth), and playwright-core for the
  # end-to-end tests.
  npm_deps "$ROOT/strapi"
  npm_deps "$ROOT/strapi/services"
  npm_deps "$ROOT/tests/e2e"
}

# The two run side by side: on a bare two-core machine the compiles keep the CPU busy while npm
# mostly waits for downloads (measured in the README's setup time).
bench=0
[ "${1:-}" = --bench ] && bench=1
rust_tools &
rust_pid=$!
node_tools &
node_pid=$!
# Background jobs ignore the terminal's Ctrl-C: on one, stop them and what they started too.
stop_installs() {
  pkill -TERM -P "$rust_pid,$node_pid" 2>/dev/null
  kill "$rust_pid" "$node_pid" 2>/dev/null
  exit 130
}
trap stop_installs INT TERM
rust_ok=0 node_ok=0
wait "$rust_pid" || rust_ok=$?
wait "$node_pid" || node_ok=$?
[ "$rust_ok" -eq 0 ] || die "installing the Rust tools failed (above)"
[ "$node_ok" -eq 0 ] || die "installing the Node packages failed (above)"
trap - INT TERM

# Trunk must find exactly these versions, or it would try (and fail) to download others.
for trunk_toml in "$ROOT/Trunk.toml" "$ROOT/examples/custom-user/Trunk.toml"; do
  grep -q "^wasm_bindgen = \"$(wasm_bindgen_version)\"" "$trunk_toml" ||
    die "$trunk_toml [tools] wasm_bindgen must equal Cargo.lock's wasm-bindgen $(wasm_bindgen_version)"
  grep -q "^wasm_opt = \"version_$BINARYEN_VERSION\"" "$trunk_toml" ||
    die "$trunk_toml [tools] wasm_opt must be version_$BINARYEN_VERSION"
done

say "tools ready in $TOOLS_DIR"
