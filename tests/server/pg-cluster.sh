#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A throwaway PostgreSQL cluster for the server tests and the load benchmark.
#   pg-cluster.sh start DIR   -> prints the postgresql:// address of a new, empty database
#   pg-cluster.sh stop DIR    -> stops it and removes DIR
# initdb refuses root, so as root the cluster runs as the unprivileged `postgres` user (runuser).
set -eu
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
cmd=$1
dir=$2

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
  if [ ! -x "$PGBIN/initdb" ]; then
    echo "pg-cluster.sh: no PostgreSQL in $PGBIN: run scripts/install-deps.sh (postgresql-15)" >&2
    exit 1
  fi
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_owner "$PGBIN/initdb" -D "$dir/data" -A trust -U assay -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # a free port: the kernel picks one for a moment; a clash makes pg_ctl fail and we try again
  for attempt in 1 2 3 4 5; do
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    if as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
         -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=400 -c shared_buffers=64MB" \
         start >/dev/null 2>&1; then
      as_owner "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U assay assay
      echo "$port" >"$dir/port"
      echo "postgresql://assay@127.0.0.1:$port/assay"
      exit 0
    fi
  done
  cat "$dir/server.log" >&2
  exit 1
  ;;
stop)
  if [ -d "$dir/data" ]; then
    as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: pg-cluster.sh start|stop DIR" >&2
  exit 2
  ;;
esac
