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

# `cargo install` into our tool directory unless `$bin --version` already reports `$version`.
cargo_tool() {
  local crate=$1 bin=$2 version=$3; shift 3
  if "$TOOLS_DIR/bin/$bin" --version 2>/dev/null | grep -qw -- "$version"; then return; fi
  say "cargo install $crate $version (a few minutes, once)"
  # The tools' own release profiles ask for fat LTO and one codegen unit: minutes of linking on two
  # cores for tools that run for seconds. Overridden for these installs only.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
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
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

mkdir -p "$TOOLS_DIR/bin"
cargo_tool trunk trunk "$TRUNK_VERSION" --locked
# Without --locked: a dependency locked by wasm-bindgen-cli is missing from the registry.
cargo_tool wasm-bindgen-cli wasm-bindgen "$(wasm_bindgen_version)"
cargo_tool geckodriver geckodriver "$GECKODRIVER_VERSION" --locked
if [ "${1:-}" = --bench ]; then
  cargo_tool twiggy twiggy "$TWIGGY_VERSION" --locked # the benchmark's wasm size breakdown
fi

if ! "$TOOLS_DIR/bin/wasm-opt" --version 2>/dev/null | grep -qw "version_$BINARYEN_VERSION"; then
  say "npm install binaryen@$BINARYEN_VERSION (wasm-opt)"
  mkdir -p "$TOOLS_DIR/binaryen"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR/binaryen" "binaryen@$BINARYEN_VERSION"
  ln -sf ../binaryen/node_modules/.bin/wasm-opt "$TOOLS_DIR/bin/wasm-opt"
fi

if ! "$TOOLS_DIR/bin/terser" --version 2>/dev/null | grep -qx "terser $TERSER_VERSION"; then
  say "npm install terser@$TERSER_VERSION (minifies the JS glue)"
  mkdir -p "$TOOLS_DIR/terser"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR/terser" "terser@$TERSER_VERSION"
  ln -sf ../terser/node_modules/.bin/terser "$TOOLS_DIR/bin/terser"
fi

# Trunk must find exactly these versions, or it would try (and fail) to download others.
grep -q "^wasm_bindgen = \"$(wasm_bindgen_version)\"" "$ROOT/Trunk.toml" ||
  die "Trunk.toml [tools] wasm_bindgen must equal Cargo.lock's wasm-bindgen $(wasm_bindgen_version)"
grep -q "^wasm_opt = \"version_$BINARYEN_VERSION\"" "$ROOT/Trunk.toml" ||
  die "Trunk.toml [tools] wasm_opt must be version_$BINARYEN_VERSION"

# Node packages: the development Strapi and its companions (mail, OAuth), and playwright-core for the
# end-to-end tests.
npm_deps "$ROOT/strapi"
npm_deps "$ROOT/strapi/services"
npm_deps "$ROOT/tests/e2e"

say "tools ready in $TOOLS_DIR"
