#!/usr/bin/env bash
# A private PostgreSQL for the tests: start | stop | status | create NAME | drop NAME | url [NAME]
#
# One throwaway cluster of Debian's PostgreSQL (scripts/setup.sh installs the package), made with
# initdb on the first start, listening on 127.0.0.1 only (and a Unix socket in its own directory),
# not the system's cluster. Its files live in a directory of their own, owned by the `postgres`
# user when run as root (PostgreSQL refuses to run as root), by the caller otherwise. It is for
# tests: fsync is off, so its data does not survive a crash of the machine.
#
#   start        make the cluster if there is none, start it unless it runs (idempotent)
#   stop         stop it (its files stay for the next start)
#   status       "running on port …" (exit 0) or "not running" (exit 1)
#   create NAME  a fresh, empty database NAME owned by the role `strapi` (an older one is dropped
#                first): prints its URL, e.g. postgres://strapi:…@127.0.0.1:15432/NAME
#   drop NAME    drops database NAME, if there
#   url [NAME]   the URL of database NAME (default strapi) for the role `strapi`
#
# Environment, all optional:
#   STRAPI_POSTGRES_PORT=15432           the port on 127.0.0.1
#   STRAPI_POSTGRES_DIR=${TMPDIR:-/tmp}/strapi-login-postgres-<port>  the cluster's directory
# The role `strapi` logs in over TCP with a password (scram-sha-256), made at random with the
# cluster and kept in its directory; the superuser `postgres` only through the Unix socket.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PG_PORT=${STRAPI_POSTGRES_PORT:-15432}
PG_DIR=${STRAPI_POSTGRES_DIR:-${TMPDIR:-/tmp}/strapi-login-postgres-$PG_PORT}
DATA="$PG_DIR/data"
PG_LOG="$PG_DIR/postgres.log"
PASSWORD_FILE="$PG_DIR/password"
ROLE=strapi
# PostgreSQL's tools look up their working directory, which the postgres user may not reach.
cd /

# The newest PostgreSQL installed from Debian's packages (several majors can sit side by side).
BIN=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1 | xargs -r dirname)
[ -n "$BIN" ] || die "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run scripts/setup.sh"
VERSION=$(basename "$(dirname "$BIN")")

# Runs a command as the cluster's owner: `postgres` when we are root, else ourselves.
owner=$(id -un)
[ "$(id -u)" -eq 0 ] && owner=postgres
as_owner() {
  if [ "$owner" = "$(id -un)" ]; then "$@"; else runuser -u "$owner" -- "$@"; fi
}

# psql as the superuser, through the cluster's socket.
sql() {
  as_owner env PGOPTIONS="-c client_min_messages=warning" "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres "$@"
}

running() { as_owner "$BIN/pg_ctl" status -D "$DATA" >/dev/null 2>&1; }

# A database name that needs no quoting: letters, digits, underscores.
valid_name() {
  [[ "$1" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "database name must be lower-case letters, digits and _: '$1'"
}

url() {
  [ -f "$PASSWORD_FILE" ] || die "no cluster in $PG_DIR: run '$0 start' first"
  echo "postgres://$ROLE:$(cat "$PASSWORD_FILE")@127.0.0.1:$PG_PORT/${1:-strapi}"
}

# A new cluster in $DATA (a half-made or other-major one is thrown away: it only ever holds tests).
init() {
  say "initdb: a PostgreSQL $VERSION cluster for the tests in $PG_DIR"
  rm -rf "$PG_DIR"
  mkdir -p "$PG_DIR"
  chown "$owner" "$PG_DIR"
  chmod 700 "$PG_DIR"
  # Hex, so the URL needs no escaping.
  as_owner sh -c 'umask 077; od -An -tx1 -N16 /dev/urandom | tr -d " \n" >"$1"' sh "$PASSWORD_FILE"
  as_owner "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --no-locale --auth-local=trust \
    --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1 || {
    cat "$PG_DIR/initdb.log" >&2
    die "initdb failed"
  }
  as_owner tee -a "$DATA/postgresql.conf" >/dev/null <<EOF

# strapi-login's test cluster (scripts/postgres.sh)
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  # The socket: the superuser, for this script. TCP on 127.0.0.1: the role strapi, with its password.
  as_owner tee "$DATA/pg_hba.conf" >/dev/null <<EOF
# TYPE  DATABASE  USER      ADDRESS        METHOD
local   all       postgres                 trust
host    all       $ROLE     127.0.0.1/32   scram-sha-256
EOF
}

start() {
  if running; then
    say "PostgreSQL already running on 127.0.0.1:$PG_PORT ($PG_DIR)"
    return
  fi
  if [ ! -f "$PG_DIR/.ready" ] || [ "$(cat "$DATA/PG_VERSION" 2>/dev/null)" != "$VERSION" ]; then
    init
  fi
  as_owner "$BIN/pg_ctl" start -w -t 60 -D "$DATA" -l "$PG_LOG" >/dev/null || {
    tail -n 20 "$PG_LOG" >&2
    die "PostgreSQL did not start (log above, full log in $PG_LOG)"
  }
  if [ ! -f "$PG_DIR/.ready" ]; then
    sql -c "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$(cat "$PASSWORD_FILE")'"
    as_owner touch "$PG_DIR/.ready"
  fi
  say "PostgreSQL $VERSION ready on 127.0.0.1:$PG_PORT ($PG_DIR)"
}

stop() {
  if running; then
    as_owner "$BIN/pg_ctl" stop -w -t 60 -m fast -D "$DATA" >/dev/null
    say "PostgreSQL on port $PG_PORT stopped"
  fi
}

need_running() { running || die "PostgreSQL is not running on port $PG_PORT: run '$0 start' first"; }

create() {
  valid_name "$1"
  need_running
  sql -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1 OWNER $ROLE"
  url "$1"
}

drop() {
  valid_name "$1"
  need_running
  sql -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running; then echo "running on port $PG_PORT ($PG_DIR)"; else echo "not running on port $PG_PORT"; exit 1; fi ;;
  create) create "${2:?database name}" ;;
  drop) drop "${2:?database name}" ;;
  url) url "${2:-}" ;;
  *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 2 ;;
esac
