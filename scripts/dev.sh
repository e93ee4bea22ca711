#!/usr/bin/env bash
# Sets up what is missing, starts the development Strapi (with the demo user) and `trunk serve`,
# and stops both on Ctrl-C. The app is at http://localhost:3000/auth/login.
#
#   scripts/dev.sh                          Strapi in its default "legacy" JWT mode
#   TRUNK_SERVE_PORT=3637 scripts/dev.sh    the app on another port (Strapi's CORS origins, passkey
#                                           origin and the links in its mails follow)
#   STRAPI_JWT_MODE=refresh scripts/dev.sh  Strapi's session mode (access + refresh tokens)
#   STRAPI_EMAIL_CONFIRMATION=true scripts/dev.sh   new accounts confirm their email first
#   STRAPI_ALLOW_REGISTER=false scripts/dev.sh      sign-up closed at Strapi
#
# Every STRAPI_* setting of scripts/strapi.sh applies (port, API prefix, rate limit, ...).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

"$ROOT/scripts/setup.sh"
cd "$ROOT"

export STRAPI_PORT=${STRAPI_PORT:-1337}
# The app's port (Trunk.toml's 3000 unless TRUNK_SERVE_PORT says otherwise): Strapi must accept
# requests from that origin, take passkeys there (STRAPI_PASSKEY_ORIGINS defaults to this URL's
# origin) and link its mails and provider logins to it, unless these are set explicitly.
APP_PORT=${TRUNK_SERVE_PORT:-3000}
export STRAPI_APP_URL=${STRAPI_APP_URL:-http://localhost:$APP_PORT}
export STRAPI_CORS_ORIGINS=${STRAPI_CORS_ORIGINS:-http://localhost:$APP_PORT,http://127.0.0.1:$APP_PORT}
export STRAPI_API_PREFIX=${STRAPI_API_PREFIX:-/api}
# The mail catcher on MailDev's usual ports: the inbox is where reset and confirmation links arrive.
export STRAPI_SMTP_PORT=${STRAPI_SMTP_PORT:-1025} STRAPI_MAIL_PORT=${STRAPI_MAIL_PORT:-1080}
# Restart, so the chosen settings apply; the database (and the demo user) is kept.
scripts/strapi.sh stop
trap 'scripts/strapi.sh stop' EXIT
scripts/strapi.sh start

# Baked into the debug build; a <meta> tag in index.html would override it.
export STRAPI_URL="http://localhost:$STRAPI_PORT"
# The development Strapi's own OAuth provider: a "Continue with mock" button that works offline.
export STRAPI_PROVIDERS=${STRAPI_PROVIDERS:-mock}
# The development Strapi runs strapi-plugin-passkeys: passkeys on the login and account pages.
export STRAPI_PASSKEYS=${STRAPI_PASSKEYS:-on}
cat <<MSG

  App:     http://localhost:$APP_PORT/auth/login
  Strapi:  $STRAPI_URL$STRAPI_API_PREFIX  (JWT mode: ${STRAPI_JWT_MODE:-legacy})
  Log in:  $DEMO_EMAIL (or $DEMO_USERNAME) / $DEMO_PASSWORD
  Mail:    http://127.0.0.1:$STRAPI_MAIL_PORT  (every email Strapi sends: reset and confirmation links, security mails)
  OAuth:   "Continue with mock" logs in as mock.user@example.com through a local OAuth2 provider
  Passkey: on the dashboard, "Add a passkey"; then log out and "Sign in with a passkey"
  Ctrl-C stops both.

MSG
# Trunk.toml's watch ignore list names target/ and dist/, and Trunk refuses to start when one of
# them does not exist yet (a fresh clone).
mkdir -p target dist
trunk serve --port "$APP_PORT"
