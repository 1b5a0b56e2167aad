#!/usr/bin/env bash
# A private PostgreSQL server for tests and benchmarks: loopback only, port 15432, its own data directory.
# It never touches the machine's own clusters. The superuser password is generated once and kept 0600 in the state dir.
#   scripts/pg.sh up | down | status | url
set -euo pipefail
STATE=${CSDESK_PG_STATE:-/var/lib/csdesk-pg}
PORT=${CSDESK_PG_PORT:-15432}
DATA=$STATE/data
SECRET=$STATE/superuser.secret
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -n "$BIN" ] || { echo "pg: Debian's postgresql is not installed (run scripts/setup.sh)" >&2; exit 1; }

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

running() { as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

cmd_up() {
  mkdir -p "$STATE"
  if [ ! -s "$DATA/PG_VERSION" ]; then
    umask 077
    head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$SECRET"
    [ "$(id -u)" -eq 0 ] && chown postgres "$STATE"
    [ "$(id -u)" -eq 0 ] && chown postgres "$SECRET"
    as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
      --pwfile="$SECRET" -E UTF8 --locale=C.UTF-8 >/dev/null
    [ "$(id -u)" -eq 0 ] && chown root "$SECRET" && chmod 600 "$SECRET"
  fi
  if running; then echo "pg: already running on 127.0.0.1:$PORT"; return 0; fi
  mkdir -p "$STATE/run"; [ "$(id -u)" -eq 0 ] && chown postgres "$STATE/run"
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$STATE/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$STATE/run -c fsync=off -c max_connections=200" start >/dev/null
  echo "pg: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') listening on 127.0.0.1:$PORT (data $DATA)"
}

cmd_down() {
  if [ -s "$DATA/PG_VERSION" ] && running; then
    as_pg "$BIN/pg_ctl" -D "$DATA" -w -t 60 -m fast stop >/dev/null
    echo "pg: stopped"
  else
    echo "pg: not running"
  fi
}

cmd_url() { echo "postgresql+psycopg://postgres:$(cat "$SECRET")@127.0.0.1:$PORT/postgres"; }

case "${1:-status}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) if running; then echo "pg: running on 127.0.0.1:$PORT"; else echo "pg: not running"; exit 3; fi ;;
  url) cmd_url ;;
  *) echo "usage: scripts/pg.sh up|down|status|url" >&2; exit 2 ;;
esac
