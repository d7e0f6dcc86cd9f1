#!/usr/bin/env bash
# Provide a throw-away PostgreSQL server for the store tests.
# Installs PostgreSQL from Debian's packages when missing, starts a private cluster on 127.0.0.1
# and prints its URL on stdout (all logging goes to stderr). Exit 1 when no server can be had;
# the PostgreSQL tests then skip with the reason printed.
# Usage (CI runs as root, no stdin):  export ROLEPLAY_TEST_PG_URL="$(.ci/postgres.sh)"
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

if [[ -n "${ROLEPLAY_TEST_PG_URL:-}" ]]; then
  echo "$ROLEPLAY_TEST_PG_URL"
  exit 0
fi

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

BIN="$(find_bin)"
if [[ -z "$BIN" ]]; then
  if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
    log "PostgreSQL is not installed and cannot be installed here (needs root and apt-get)"
    exit 1
  fi
  log "installing PostgreSQL from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -q && apt-get install -y -q --no-install-recommends postgresql; } >&2 </dev/null || {
    log "apt-get could not install postgresql"
    exit 1
  }
  BIN="$(find_bin)"
fi

PORT="${ROLEPLAY_TEST_PG_PORT:-55432}"
DATA="${ROLEPLAY_TEST_PG_DIR:-/tmp/roleplay-pg-$PORT}"
RUN_AS=()
if [[ "$(id -u)" == 0 ]]; then
  RUN_AS=(runuser -u postgres --)  # initdb and postgres refuse to run as root
fi

if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  rm -rf "$DATA"
  mkdir -p "$DATA"
  [[ "$(id -u)" == 0 ]] && chown postgres: "$DATA"
  # trust on loopback only: a private, throw-away cluster for tests
  "${RUN_AS[@]}" "$BIN/initdb" -D "$DATA/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >&2 </dev/null
  "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DATA/data" -l "$DATA/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA -c fsync=off" start >&2 </dev/null || {
    log "the server did not start; its log:"
    tail -n 20 "$DATA/server.log" >&2 || true
    exit 1
  }
fi

"$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAq \
  -c "SELECT 1 FROM pg_database WHERE datname = 'roleplay_test'" </dev/null | grep -q 1 ||
  "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres roleplay_test </dev/null >&2
log "PostgreSQL ready on 127.0.0.1:$PORT (data in $DATA; stop: pg_ctl -D $DATA/data stop)"
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/roleplay_test"
