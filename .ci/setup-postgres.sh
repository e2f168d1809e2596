#!/usr/bin/env bash
# Starts a private PostgreSQL on loopback for the tests that need one (no Docker engine here).
# Installs Debian's postgresql package when no server binaries are present. Idempotent: a server
# already answering on the port is reused. Writes the JDBC URL to .ci/postgres.env, which .ci/run
# exports as SPEC_KITTY_TEST_PG_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${SPEC_KITTY_PG_PORT:-55432}
DIR=${SPEC_KITTY_PG_DIR:-/tmp/spec-kitty-pg}
ENV_FILE=.ci/postgres.env

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

BIN=$(pg_bin)
if [ -z "$BIN" ]; then
  echo "ci: installing PostgreSQL from Debian packages"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  BIN=$(pg_bin)
fi

# postgres refuses to run as root: run it as the postgres user when we are root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$DIR"
  if [ ! -f "$DIR/data/PG_VERSION" ]; then
    as_owner "$BIN/initdb" -D "$DIR/data" -A trust -U postgres -E UTF8 >/dev/null
  fi
  as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c max_connections=200 -c fsync=off" start >/dev/null
fi
"$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='speckitty_test'" | grep -q 1 \
  || "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qc "CREATE DATABASE speckitty_test"
echo "SPEC_KITTY_TEST_PG_URL=jdbc:postgresql://127.0.0.1:$PORT/speckitty_test?user=postgres" > "$ENV_FILE"
echo "ci: PostgreSQL ready on 127.0.0.1:$PORT"
