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
#
# A `file:../pkg` dependency (strapi/ → strapi-plugin-passkeys) is installed as a copy, as an
# operator gets a package from the registry (the dir's .npmrc says install-links): the cache keeps
# the dir one level down, beside a copy of pkg, so the relative path resolves. The lock pins pkg's
# own dependencies; pkg's files are copied into node_modules again on every call, so a change to
# them needs no new install.
npm_deps() {
  local dir=$1 key cache home locals pkg
  locals=$(node -e 'const d = require(process.argv[1]).dependencies || {};
    for (const [name, v] of Object.entries(d)) if (v.startsWith("file:")) console.log(name, v.slice(5));' \
    "$dir/package.json")
  key=$( (cat "$dir/package-lock.json"; node --version) | sha256sum | cut -c1-16)
  home="$TOOLS_DIR/npm/$(basename "$dir")-$key"
  cache=$home
  [ -n "$locals" ] && cache="$home/$(basename "$dir")"
  if [ ! -f "$cache/.complete" ]; then
    say "npm install for $(basename "$dir")/ from its package-lock.json (once per lock)"
    rm -rf "$home"
    mkdir -p "$cache"
    cp "$dir/package.json" "$dir/package-lock.json" "$cache/"
    if [ -f "$dir/.npmrc" ]; then cp "$dir/.npmrc" "$cache/"; fi
    while read -r pkg path; do
      [ -n "$pkg" ] && package_files "$dir/$path" "$cache/$path"
    done <<<"$locals"
    # better-sqlite3's prebuilt download is unreachable here; node's own headers let it compile.
    if [ -d /usr/include/node ]; then export npm_config_nodedir=/usr; fi
    # `npm install` with the committed lock, not `npm ci`: the registry lacks some platform builds
    # that Strapi's tools list as optional (e.g. @swc/core-darwin-*), so the lock has no entry for
    # them, which `npm ci` rejects as "out of sync". Every package that is there installs as locked.
    (cd "$cache" && npm install --no-audit --no-fund --loglevel=error)
    touch "$cache/.complete"
  fi
  while read -r pkg path; do
    [ -n "$pkg" ] && package_files "$dir/$path" "$cache/node_modules/$pkg"
  done <<<"$locals"
  if [ "$(readlink "$dir/node_modules" 2>/dev/null)" != "$cache/node_modules" ]; then
    rm -rf "$dir/node_modules"
    ln -s "$cache/node_modules" "$dir/node_modules"
  fi
}

# Copies what npm would publish of the package in $1 (package.json and its "files") to $2, unless
# $2 has them already: several Strapis start at once (the tests), and none may see a half copy.
package_files() {
  local src=$1 dest=$2 file files stamp tmp
  files=$(node -e 'console.log(["package.json", ...(require(require("path").resolve(process.argv[1])).files || [])].join("\n"))' "$src/package.json")
  stamp=$(cd "$src" && find $files -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
  [ "$(cat "$dest/.source" 2>/dev/null)" = "$stamp" ] && return
  tmp=$(mktemp -d "$(dirname "$dest")/.copy.XXXXXX")
  for file in $files; do cp -r "$src/$file" "$tmp/"; done
  echo "$stamp" >"$tmp/.source"
  rm -rf "$dest.old"
  if [ -e "$dest" ]; then mv "$dest" "$dest.old"; fi
  mv "$tmp" "$dest"
  rm -rf "$dest.old"
}
