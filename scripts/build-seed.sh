#!/usr/bin/env bash
# Builds the seed's login page for the benchmark: the Strapi cookbook's Next.js login page, rebuilt
# in ../shared/peers/seed-next (seen from the repository's root; SEED_NEXT=DIR names another
# place). It is never copied into this repository: this copies it outside the clone, into the
# tools cache, runs `npm install` there and `next build --webpack` as its README says, and prints
# the built copy's directory, which bench/bench.mjs serves with `next start`. Called by bench.sh.
#
#   scripts/build-seed.sh [STRAPI_URL]    the Strapi the page logs in to (NEXT_PUBLIC_API_URL,
#                                         inlined at build time; default http://127.0.0.1:1490,
#                                         the benchmark's Strapi)
#
# Built once per version of its sources, Strapi URL and node; a new build replaces the old one.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SEED=${SEED_NEXT:-$ROOT/../shared/peers/seed-next}
API_URL=${1:-http://127.0.0.1:1490}
[ -f "$SEED/package.json" ] && [ -f "$SEED/package-lock.json" ] ||
  die "the seed's Next.js login page is not at $SEED (../shared/peers/seed-next seen from the repository's root): the benchmark measures the app against it; set SEED_NEXT=DIR where it is"
SEED=$(cd "$SEED" && pwd)

key=$(
  cd "$SEED"
  find . \( -name node_modules -o -name '.next*' \) -prune -o -type f -print0 | sort -z | xargs -0 sha256sum
  echo "$API_URL"
  node --version
)
key=$(sha256sum <<<"$key" | cut -c1-16)
CACHE=$TOOLS_DIR/seed-next
OUT=$CACHE/$key

if [ ! -f "$OUT/.complete" ]; then
  say "building the seed's login page (Next.js, webpack) from $SEED in $OUT (once; about 3 minutes)"
  rm -rf "$CACHE" # an earlier build: several hundred MB of node_modules
  mkdir -p "$OUT"
  tar -C "$SEED" --exclude=node_modules --exclude='.next*' -cf - . | tar -C "$OUT" -xf -
  chmod -R u+w "$OUT" # the shared copy is read-only
  (
    cd "$OUT"
    export NEXT_TELEMETRY_DISABLED=1
    # Not `npm ci`: its lock lacks the other platforms' optional @next/swc-* builds (its README).
    npm install --no-audit --no-fund --loglevel=error
    NEXT_PUBLIC_API_URL=$API_URL NEXT_DIST_DIR=.next-webpack node node_modules/next/dist/bin/next build --webpack
  ) >&2
  touch "$OUT/.complete"
fi
echo "$OUT"
