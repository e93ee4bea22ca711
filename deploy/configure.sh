#!/bin/sh
# Points a built app at a Strapi by rewriting the <meta> tags of its index.html (and of the
# pre-rendered login pages, auth/login.html and one auth/login.<code>.html per other language): no
# rebuild. Plain POSIX sh and sed, so it runs at container or host start wherever nginx does.
#
#   deploy/configure.sh DIST [--url URL] [--api-prefix PREFIX] [--refresh cookie|body] [--register on|off]
#                            [--providers github,google] [--passkeys on|off]
#                            [--name "Example Inc."] [--logo /logo.svg] [--theme my-theme.css]
#                            [--locale de] [--locales en,de,fr]
#
# --name and --logo brand every page (heading line, page titles); --theme installs a theme.css (the
# colours, radius and font; start from style/theme.css); --locale gives every visitor one language
# (its pre-rendered login page becomes the only one), --locales lists those on offer (each an
# i18n/<code>.json in DIST; the pre-rendered pages of the others go, so nginx never serves them).
set -eu
usage() {
  echo "usage: $0 DIST [--url URL] [--api-prefix PREFIX] [--refresh cookie|body] [--register on|off]" \
    "[--providers KEYS] [--passkeys on|off] [--name NAME] [--logo URL] [--theme FILE] [--locale CODE] [--locales CODES]" >&2
  exit 2
}
[ $# -ge 1 ] || usage
dist="$1"
index="$1/index.html"
login="$1/auth/login.html"
shift
[ -f "$index" ] || { echo "$index: no such file" >&2; exit 1; }

# index.html and every pre-rendered login page there is.
pages() {
  echo "$index"
  for page in "$login" "$dist"/auth/login.*.html; do
    [ -f "$page" ] && echo "$page"
  done
  return 0
}

set_meta() { # name value
  case "$2" in
    *[\"\<\>\&\|\\]* | *"
"*) echo "refusing $1 value with \", <, >, &, |, \\ or a newline: $2" >&2; exit 1 ;;
  esac
  for page in $(pages); do
    grep -Eqi "<meta[^>]*name=[\"']?$1[\"']?([ /][^>]*)?>" "$page" ||
      { echo "$page has no <meta name=\"$1\"> tag" >&2; exit 1; }
    sed -E -i "s|<meta[^>]*name=[\"']?$1[\"']?([ /][^>]*)?>|<meta name=\"$1\" content=\"$2\">|I" "$page"
  done
}

# The pre-rendered login pages show "Create an account" as the build did; with sign-up off it goes.
drop_register_link() {
  for page in $(pages); do
    [ "$page" = "$index" ] && continue
    sed -E -i 's|<p class="card__footer">[^<]*<a href="/auth/register">[^<]*</a></p>||' "$page"
  done
}

# The pre-rendered login pages get the brand line and title the app would draw (the values passed
# set_meta's checks: no quotes, <, >, &, | or backslashes).
brand_login() {
  for page in $(pages); do
    [ "$page" = "$index" ] || brand_page "$page"
  done
}

brand_page() { # page
  sed -E -i -e 's|<p class="brand">[^<]*</p>||' -e 's|<img class="brand brand--logo"[^>]*>||' \
    -e 's|<title>([^<]*) · [^<]*</title>|<title>\1</title>|' "$1"
  if [ -n "$logo" ]; then
    line="<img class=\"brand brand--logo\" src=\"$logo\" alt=\"$name\">"
  elif [ -n "$name" ]; then
    line="<p class=\"brand\">$name</p>"
  else
    return 0
  fi
  sed -i "s|<section class=\"card\" aria-labelledby=\"page-title\">|&$line|" "$1"
  [ -z "$name" ] || sed -E -i "s|<title>([^<]*)</title>|<title>\\1 · $name</title>|" "$1"
}

# theme.css, linked after the app's own stylesheet (so its custom properties win), once.
link_theme() {
  for page in $(pages); do
    grep -q 'href="/theme.css"' "$page" ||
      sed -i 's|</head>|<link rel="stylesheet" href="/theme.css"></head>|' "$page"
  done
}

name="" logo="" locale="" locales=""
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || usage
  case "$1" in
    --url) set_meta strapi-url "$2" ;;
    --api-prefix) set_meta strapi-api-prefix "$2" ;;
    --refresh) set_meta strapi-refresh "$2" ;;
    --register) set_meta strapi-register "$2"; [ "$2" = off ] && drop_register_link ;;
    --providers) set_meta strapi-providers "$2" ;;
    --passkeys) set_meta strapi-passkeys "$2" ;;
    --name) set_meta app-name "$2"; name="$2" ;;
    --logo) set_meta app-logo "$2"; logo="$2" ;;
    --locale) set_meta app-locale "$2"; locale="$2" ;;
    --locales) set_meta app-locales "$2"; locales="$2" ;;
    --theme)
      [ -f "$2" ] || { echo "$2: no such file" >&2; exit 1; }
      cp "$2" "$dist/theme.css"
      link_theme ;;
    *) usage ;;
  esac
  shift 2
done
if [ -n "$name$logo" ]; then brand_login; fi
# Languages not on offer lose their pre-rendered page (nginx then serves the default one).
if [ -n "$locales" ]; then
  for page in "$dist"/auth/login.*.html; do
    [ -f "$page" ] || continue
    code="${page##*/login.}" code="${code%.html}"
    case ",$(echo "$locales" | tr -d ' ')," in
      *",$code,"*) ;;
      *) rm -f "$page" ;;
    esac
  done
fi
# One language for everyone: its pre-rendered page is the login page, and the only one (an
# operator's own catalog has none: the app draws the page then).
case "$locale" in
  "") ;;
  en | en-*) rm -f "$dist"/auth/login.*.html ;;
  *)
    only="$dist/auth/login.$locale.html"
    if [ -f "$only" ]; then
      cp "$only" "$login"
    elif [ -f "$login" ] && ! grep -q "<html lang=\"$locale\"" "$login"; then
      cp "$index" "$login"
    fi
    rm -f "$dist"/auth/login.*.html ;;
esac
for page in $(pages); do echo "configured $page"; done
exit 0
