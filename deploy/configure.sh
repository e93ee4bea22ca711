#!/bin/sh
# Points a built app at a Strapi by rewriting the <meta> tags of its index.html (and of the
# pre-rendered login page, auth/login.html): no rebuild. Plain POSIX sh and sed, so it runs at
# container or host start wherever nginx does.
#
#   deploy/configure.sh DIST [--url URL] [--api-prefix PREFIX] [--refresh cookie|body] [--register on|off]
#                            [--providers github,google]
set -eu
usage() { echo "usage: $0 DIST [--url URL] [--api-prefix PREFIX] [--refresh cookie|body] [--register on|off] [--providers KEYS]" >&2; exit 2; }
[ $# -ge 1 ] || usage
index="$1/index.html"
login="$1/auth/login.html"
shift
[ -f "$index" ] || { echo "$index: no such file" >&2; exit 1; }

set_meta() { # name value
  case "$2" in
    *[\"\<\>\&\|\\]* | *"
"*) echo "refusing $1 value with \", <, >, &, |, \\ or a newline: $2" >&2; exit 1 ;;
  esac
  for page in "$index" "$login"; do
    [ "$page" = "$index" ] || [ -f "$page" ] || continue
    grep -Eqi "<meta[^>]*name=[\"']?$1[\"']?([ /][^>]*)?>" "$page" ||
      { echo "$page has no <meta name=\"$1\"> tag" >&2; exit 1; }
    sed -E -i "s|<meta[^>]*name=[\"']?$1[\"']?([ /][^>]*)?>|<meta name=\"$1\" content=\"$2\">|I" "$page"
  done
}

# The pre-rendered login page shows "Create an account" as the build did; with sign-up off it goes.
drop_register_link() {
  [ -f "$login" ] || return 0
  sed -E -i 's|<p class="card__footer">[^<]*<a href="/auth/register">[^<]*</a></p>||' "$login"
}

while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || usage
  case "$1" in
    --url) set_meta strapi-url "$2" ;;
    --api-prefix) set_meta strapi-api-prefix "$2" ;;
    --refresh) set_meta strapi-refresh "$2" ;;
    --register) set_meta strapi-register "$2"; [ "$2" = off ] && drop_register_link ;;
    --providers) set_meta strapi-providers "$2" ;;
    *) usage ;;
  esac
  shift 2
done
echo "configured $index"
[ -f "$login" ] && echo "configured $login"
exit 0
