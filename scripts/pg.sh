#!/usr/bin/env bash
# A private PostgreSQL server for tests and benchmarks: loopback only, port 15432, its own data directory.
# It never touches the machine's own clusters. The superuser password is generated once and kept 0600 in the state dir.
#   scripts/pg.sh up | down | status | url | reload | restart
# Memory is sized to the machine as a centre's database server would be (csdesk-tuning.conf in the data directory,
# rewritten by up/reload/restart): shared_buffers 25% of RAM (at most 8 GB; CSDESK_PG_SHARED_BUFFERS_MB overrides),
# effective_cache_size 75%. `reload` applies what a reload can and names what waits for `restart` (shared_buffers
# does; a restart drops every client's connections, so other users of this server see it).
set -euo pipefail
STATE=${CSDESK_PG_STATE:-/var/lib/csdesk-pg}
PORT=${CSDESK_PG_PORT:-15432}
DATA=$STATE/data
SECRET=$STATE/superuser.secret
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -n "$BIN" ] || { echo "pg: Debian's postgresql is not installed (run scripts/setup.sh)" >&2; exit 1; }

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

running() { as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

OPTS="-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$STATE/run -c fsync=off -c max_connections=200"

tune() {
  local mem_kb mem_mb sb_mb mwm_mb
  mem_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
  mem_mb=$(( mem_kb / 1024 ))
  sb_mb=${CSDESK_PG_SHARED_BUFFERS_MB:-$(( mem_mb / 4 ))}
  [ "$sb_mb" -gt 8192 ] && sb_mb=8192
  [ "$sb_mb" -lt 128 ] && sb_mb=128
  mwm_mb=$(( mem_mb / 16 )); [ "$mwm_mb" -gt 1024 ] && mwm_mb=1024
  {
    echo "# Written by scripts/pg.sh for this machine (${mem_mb} MB RAM); edits are overwritten."
    echo "shared_buffers = '${sb_mb}MB'"
    echo "effective_cache_size = '$(( mem_mb * 3 / 4 ))MB'"
    echo "max_connections = 200  # as on the command line (OPTS)"
    echo "work_mem = '16MB'"
    echo "maintenance_work_mem = '${mwm_mb}MB'"
    echo "random_page_cost = 1.1"
    echo "effective_io_concurrency = 200"
  } > "$DATA/csdesk-tuning.conf.new"
  mv "$DATA/csdesk-tuning.conf.new" "$DATA/csdesk-tuning.conf"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$DATA/csdesk-tuning.conf"; fi
  grep -q "^include_if_exists = 'csdesk-tuning.conf'" "$DATA/postgresql.conf" \
    || echo "include_if_exists = 'csdesk-tuning.conf'" >> "$DATA/postgresql.conf"
}

pending_restart() {
  as_pg "$BIN/psql" -h "$STATE/run" -p "$PORT" -U postgres -d postgres -Atc \
    "SELECT string_agg(name, ', ') FROM pg_settings WHERE pending_restart" 2>/dev/null || true
}

cmd_reload() {
  running || { echo "pg: not running"; exit 3; }
  tune
  as_pg "$BIN/pg_ctl" -D "$DATA" reload >/dev/null
  sleep 1
  local p; p=$(pending_restart)
  if [ -n "$p" ]; then echo "pg: reloaded; waiting for 'scripts/pg.sh restart': $p"; else echo "pg: reloaded"; fi
}

cmd_restart() {
  if ! running; then cmd_up; return; fi
  tune
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$STATE/server.log" -w -t 60 -m fast -o "$OPTS" restart >/dev/null
  echo "pg: restarted on 127.0.0.1:$PORT with $(grep '^shared_buffers' "$DATA/csdesk-tuning.conf")"
}

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
  tune
  if running; then
    local p; p=$(pending_restart)
    echo "pg: already running on 127.0.0.1:$PORT${p:+ (waiting for 'scripts/pg.sh restart': $p)}"
    return 0
  fi
  mkdir -p "$STATE/run"; [ "$(id -u)" -eq 0 ] && chown postgres "$STATE/run"
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$STATE/server.log" -w -t 60 -o "$OPTS" start >/dev/null
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
  reload) cmd_reload ;;
  restart) cmd_restart ;;
  *) echo "usage: scripts/pg.sh up|down|status|url|reload|restart" >&2; exit 2 ;;
esac
