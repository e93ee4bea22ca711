# Shared by the project's scripts: where tools live, and small helpers. Source it, don't run it.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Tools are installed outside the clone, so a fresh clone (and CI) reuses them.
TOOLS_DIR=${STRAPI_LOGIN_TOOLS:-$HOME/.cache/strapi-login-tools}
# Ours first: a system wasm-opt (Debian's binaryen 108) must never win.
export PATH="$TOOLS_DIR/bin:$HOME/.cargo/bin:$PATH"

# shellcheck source=versions.sh
source "$ROOT/scripts/versions.sh"

# The development Strapi's demo user (seeded by strapi/src/index.js).
export DEMO_USERNAME=${DEMO_USERNAME:-demo}
export DEMO_EMAIL=${DEMO_EMAIL:-demo@example.com}
export DEMO_PASSWORD=${DEMO_PASSWORD:-Demo-Passw0rd!}

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# The version of crate $1 that a Cargo.lock ($2, default the app's) resolved.
locked_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' \
    "${2:-$ROOT/Cargo.lock}"
}

# The wasm-bindgen crate version Cargo.lock resolved (wasm-bindgen-cli must be the same).
wasm_bindgen_version() {
  locked_version wasm-bindgen
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs a package.json's locked dependencies into a cache outside the clone, keyed by
# package-lock.json and the node version, and links it as $dir/node_modules: a fresh clone (CI)
# reuses an earlier install instead of spending minutes on it.
npm_deps() {
  local dir=$1 key cache
  key=$( (cat "$dir/package-lock.json"; node --version) | sha256sum | cut -c1-16)
  cache="$TOOLS_DIR/npm/$(basename "$dir")-$key"
  if [ ! -f "$cache/.complete" ]; then
    say "npm install for $(basename "$dir")/ from its package-lock.json (once per lock)"
    rm -rf "$cache"
    mkdir -p "$cache"
    cp "$dir/package.json" "$dir/package-lock.json" "$cache/"
    # better-sqlite3's prebuilt download is unreachable here; node's own headers let it compile.
    if [ -d /usr/include/node ]; then export npm_config_nodedir=/usr; fi
    # `npm install` with the committed lock, not `npm ci`: the registry lacks some platform builds
    # that Strapi's tools list as optional (e.g. @swc/core-darwin-*), so the lock has no entry for
    # them, which `npm ci` rejects as "out of sync". Every package that is there installs as locked.
    (cd "$cache" && npm install --no-audit --no-fund --loglevel=error)
    touch "$cache/.complete"
  fi
  if [ "$(readlink "$dir/node_modules" 2>/dev/null)" != "$cache/node_modules" ]; then
    rm -rf "$dir/node_modules"
    ln -s "$cache/node_modules" "$dir/node_modules"
  fi
}
