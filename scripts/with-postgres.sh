#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster on loopback, exported as
# TEST_DATABASE_URL (TCP) and TEST_DATABASE_SOCKET_URL (the same database through the
# cluster's Unix socket), and stops the cluster afterwards.
#   usage: scripts/with-postgres.sh cargo test --workspace
# The cluster skips fsync (tests need no durability). PG_DURABLE=1 keeps PostgreSQL's
# defaults (fsync, synchronous_commit, full_page_writes on), for benchmarks.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "installing PostgreSQL from Debian packages" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGTMP=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
AS=()
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PGTMP"; AS=(runuser -u postgres --); fi
"${AS[@]}" "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
FAST="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[ "${PG_DURABLE:-0}" = 1 ] && FAST=""
"${AS[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/log" -w -t 60 \
  -o "-p $PORT -k $PGTMP -c listen_addresses=127.0.0.1 $FAST -c max_connections=400" \
  start >/dev/null
stop_pg() { "${AS[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -m fast -w stop >/dev/null || true; rm -rf "$PGTMP"; }
trap stop_pg EXIT
"${AS[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres roomd_test
export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/roomd_test"
export TEST_DATABASE_SOCKET_URL="postgres://postgres@localhost/roomd_test?host=$PGTMP&port=$PORT"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT" >&2
"$@"
