#!/usr/bin/env bash
# The development Strapi (strapi/): install | start | stop | reset | status | log
#
# Each instance is known by its port, so several can run side by side (the end-to-end tests start
# one per JWT mode). Its database, log and pid live in strapi/.tmp/<port>/. Each has its own mail
# catcher (MailDev) and OAuth2 provider (strapi/services/), started and stopped with it: Strapi's
# mail never leaves the machine, and "Continue with mock" works without any outside service.
#
# Environment, all optional:
#   STRAPI_PORT=1337                     port on 127.0.0.1
#   STRAPI_JWT_MODE=legacy               legacy (one 30-day JWT) | refresh (access + refresh tokens)
#   STRAPI_ACCESS_TOKEN_LIFESPAN=600     seconds an access token lives in refresh mode
#   STRAPI_REFRESH_COOKIE=off            on: refresh mode keeps the refresh token in an httpOnly cookie
#   STRAPI_REFRESH_COOKIE_SECURE=false   true: that cookie is Secure (set over https only)
#   STRAPI_RATE_LIMIT=on                 off: no 10-requests-a-minute limit on the auth routes
#   STRAPI_API_PREFIX=/api               Strapi's REST prefix (config/api.js rest.prefix)
#   STRAPI_CORS_ORIGINS=http://localhost:3000,http://127.0.0.1:3000
#   STRAPI_APP_URL=http://localhost:3000  where the links in Strapi's emails lead
#   STRAPI_PASSKEY_ORIGINS=STRAPI_APP_URL  the origins where passkeys are used (comma-separated)
#   STRAPI_PASSKEY_RP_ID=<first origin's host>  the relying party id passkeys are bound to
#   STRAPI_PASSKEY_CHALLENGE_TTL=300000  how long (ms) a passkey challenge can be answered
#   STRAPI_PASSKEY_MAX_PASSKEYS=20       how many passkeys one person may have
#   STRAPI_PASSKEY_MAX_CHALLENGES=10000  how many passkey challenges may be outstanding at once
#   STRAPI_PASSKEYS_FIRST=false          true: passkeys declared before Users & Permissions in
#                                        config/plugins.js (as in the plugin README), bootstrapped first
#   STRAPI_ALLOW_REGISTER=true           false: sign-up closed (Strapi's allow_register)
#   STRAPI_EMAIL_CONFIRMATION=false      true: new accounts confirm their email before logging in
#   STRAPI_SMTP_PORT=PORT+20000          the mail catcher's SMTP port (Strapi sends all mail there)
#   STRAPI_MAIL_PORT=PORT+21000          the mail catcher's inbox: web page and REST API (/email)
#   DEMO_USERNAME=demo DEMO_EMAIL=demo@example.com DEMO_PASSWORD=Demo-Passw0rd!
#   DATABASE_CLIENT=sqlite               postgres: PostgreSQL at DATABASE_URL (postgres://user:pw@host:port/name)
#                                        or DATABASE_HOST/PORT/NAME/USERNAME/PASSWORD, tables in
#                                        DATABASE_SCHEMA (public); see strapi/config/database.js.
#                                        Several instances may share one database: 'reset' empties
#                                        that schema, so reset only the first, 'start' the others.
#                                        scripts/postgres.sh runs a PostgreSQL for the tests.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

STRAPI_DIR="$ROOT/strapi"
PORT=${STRAPI_PORT:-1337}
STATE="$STRAPI_DIR/.tmp/$PORT"
PIDFILE="$STATE/strapi.pid"
LOG="$STATE/strapi.log"
HEALTH="http://127.0.0.1:$PORT/_health"
SMTP_PORT=${STRAPI_SMTP_PORT:-$((PORT + 20000))}
MAIL_PORT=${STRAPI_MAIL_PORT:-$((PORT + 21000))}
OAUTH_PORT=${STRAPI_OAUTH_PORT:-$((PORT + 22000))}
INBOX="http://127.0.0.1:$MAIL_PORT"


on() { case "${1,,}" in on | true | 1 | yes) echo true ;; *) echo false ;; esac; }

install() {
  npm_deps "$STRAPI_DIR"
  npm_deps "$STRAPI_DIR/services"
}

secrets() {
  # Random secrets, made once per checkout and never committed.
  [ -f "$STRAPI_DIR/.env" ] && return
  node -e '
    const r = () => require("crypto").randomBytes(16).toString("base64");
    const keys = [r(), r(), r(), r()].join(",");
    const lines = [`APP_KEYS=${keys}`, ...["API_TOKEN_SALT", "ADMIN_JWT_SECRET",
      "TRANSFER_TOKEN_SALT", "JWT_SECRET", "ENCRYPTION_KEY"].map((k) => `${k}=${r()}`)];
    require("fs").writeFileSync(process.argv[1], lines.join("\n") + "\n", { mode: 0o600 });
  ' "$STRAPI_DIR/.env"
}

pid() { [ -f "$PIDFILE" ] && cat "$PIDFILE"; }
alive() { local p; p=$(pid) && kill -0 "$p" 2>/dev/null; }
healthy() { curl -fs -o /dev/null --max-time 2 "$HEALTH"; }

# Ends the process group whose leader's pid is in file $1.
stop_group() {
  local p
  [ -f "$1" ] || return 0
  p=$(cat "$1")
  if kill -0 "$p" 2>/dev/null; then
    kill -TERM -- "-$p" 2>/dev/null || true
    for _ in $(seq 1 40); do
      kill -0 "$p" 2>/dev/null || break
      sleep 0.25
    done
    kill -KILL -- "-$p" 2>/dev/null || true
  fi
  rm -f "$1"
}

# Starts one of Strapi's companions from strapi/services/ in its own process group, and waits
# until $2 answers: start_service NAME HEALTH_URL COMMAND...
start_service() {
  local name=$1 health=$2
  shift 2
  stop_group "$STATE/$name.pid"
  (
    cd "$STRAPI_DIR/services"
    setsid "$@" >"$STATE/$name.log" 2>&1 </dev/null &
    echo $! >"$STATE/$name.pid"
  )
  for _ in $(seq 1 80); do
    if curl -fs -o /dev/null --max-time 2 "$health"; then return; fi
    sleep 0.25
  done
  tail -n 20 "$STATE/$name.log" >&2
  die "$name did not answer $health within 20 s"
}

start() {
  if alive; then
    say "Strapi already running on port $PORT (pid $(pid)); 'stop' or 'reset' it to change its settings"
    return
  fi
  if healthy; then die "port $PORT already answers, but not a Strapi started here; set STRAPI_PORT"; fi
  install
  secrets
  mkdir -p "$STATE" "$STRAPI_DIR/public/uploads"
  # Mail: SMTP on $SMTP_PORT, the inbox on $MAIL_PORT. OAuth: the provider on $OAUTH_PORT.
  start_service mail "$INBOX/api/healthz" node node_modules/maildev/dist/bin/maildev.js \
    --ip 127.0.0.1 --web-ip 127.0.0.1 --smtp "$SMTP_PORT" --web "$MAIL_PORT" --silent
  start_service oauth "http://127.0.0.1:$OAUTH_PORT/.well-known/openid-configuration" \
    node oauth-provider.mjs "$OAUTH_PORT"
  local mode
  case "${STRAPI_JWT_MODE:-legacy}" in
    legacy | legacy-support) mode=legacy-support ;;
    refresh) mode=refresh ;;
    *) die "STRAPI_JWT_MODE must be legacy or refresh, not '$STRAPI_JWT_MODE'" ;;
  esac
  say "starting Strapi on http://127.0.0.1:$PORT (JWT mode $mode, ${DATABASE_CLIENT:-sqlite}, log $LOG)"
  # Its own session and process group, so 'stop' ends Strapi and every child it spawned.
  (
    cd "$STRAPI_DIR"
    export HOST=127.0.0.1 PORT NODE_ENV=production DATABASE_FILENAME="$STATE/data.db" \
      STRAPI_SMTP_PORT=$SMTP_PORT STRAPI_APP_URL=${STRAPI_APP_URL:-http://localhost:3000} \
      STRAPI_OAUTH_PORT=$OAUTH_PORT STRAPI_PUBLIC_URL=${STRAPI_PUBLIC_URL:-http://localhost:$PORT} \
      STRAPI_ALLOW_REGISTER=$(on "${STRAPI_ALLOW_REGISTER:-true}") \
      STRAPI_EMAIL_CONFIRMATION=$(on "${STRAPI_EMAIL_CONFIRMATION:-false}") \
      STRAPI_JWT_MODE=$mode STRAPI_TELEMETRY_DISABLED=true STRAPI_DISABLE_UPDATE_NOTIFICATION=true \
      STRAPI_RATE_LIMIT=$(on "${STRAPI_RATE_LIMIT:-on}") \
      STRAPI_REFRESH_COOKIE=$(on "${STRAPI_REFRESH_COOKIE:-off}")
    setsid node node_modules/@strapi/strapi/bin/strapi.js start >"$LOG" 2>&1 </dev/null &
    echo $! >"$PIDFILE"
  )
  for _ in $(seq 1 240); do
    if healthy; then
      say "Strapi ready on port $PORT; demo user $DEMO_EMAIL / $DEMO_PASSWORD; mail inbox $INBOX"
      return
    fi
    if ! alive; then
      tail -n 40 "$LOG" >&2
      rm -f "$PIDFILE"
      die "Strapi died while starting (log above, full log in $LOG)"
    fi
    sleep 0.25
  done
  tail -n 40 "$LOG" >&2
  stop
  die "Strapi did not answer $HEALTH within 60 s"
}

stop() {
  if [ -f "$PIDFILE" ]; then
    stop_group "$PIDFILE"
    say "Strapi on port $PORT stopped"
  fi
  stop_group "$STATE/mail.pid"
  stop_group "$STATE/oauth.pid"
}

reset() {
  stop
  case "${DATABASE_CLIENT:-sqlite}" in
    sqlite) rm -f "$STATE"/data.db* ;;
    postgres) empty_postgres ;;
    *) die "DATABASE_CLIENT must be sqlite or postgres, not '$DATABASE_CLIENT'" ;;
  esac
  start
}

# Drops and re-creates the PostgreSQL schema this Strapi uses (as config/database.js reads
# DATABASE_*, with strapi/.env), so the next start makes every table afresh.
empty_postgres() {
  install
  (
    cd "$STRAPI_DIR"
    node -e '
      try { require("dotenv").config({ path: ".env", quiet: true }); } catch {}
      const { env } = require("@strapi/utils");
      const { connection } = require("./config/database.js")({ env }).connection;
      const schema = `"${connection.schema.replace(/"/g, "\"\"")}"`;
      const client = new (require("pg").Client)(connection);
      client.connect()
        .then(() => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`))
        .then(() => client.end())
        .catch((error) => { console.error(`emptying schema ${schema}: ${error.message}`); process.exit(1); });
    '
  ) || die "could not empty the PostgreSQL database (DATABASE_URL or DATABASE_HOST/PORT/NAME/USERNAME/PASSWORD)"
  say "emptied PostgreSQL schema ${DATABASE_SCHEMA:-public} for Strapi on port $PORT"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  reset) reset ;;
  status) if alive && healthy; then echo "running on port $PORT (pid $(pid))"; else echo "not running on port $PORT"; exit 1; fi ;;
  log) tail -n "${2:-50}" "$LOG" ;;
  *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 2 ;;
esac
