#!/usr/bin/env bash
# The demo: the lab PBX, demo data, the desk signed in as CSR 1001, and simulated customers calling in.
# With a display it runs until you close the desk. Without one it runs under Xvfb, plays a scripted tour
# (ring, pop, answer, claim form, hang-up, wrap-up, transfer order, outbound) and saves screenshots.
#   scripts/demo.sh [--agent 1001] [--customers 200] [--tour-seconds 240]
set -uo pipefail
cd "$(dirname "$0")/.."
AGENT=1001; CUSTOMERS=200; TOUR=240
while [ $# -gt 0 ]; do
  case "$1" in
    --agent) AGENT=$2; shift 2 ;;
    --customers) CUSTOMERS=$2; shift 2 ;;
    --tour-seconds) TOUR=$2; shift 2 ;;
    *) echo "demo: unknown option $1" >&2; exit 2 ;;
  esac
done
STATE=${CSDESK_DEMO_STATE:-/var/lib/csdesk/demo}
mkdir -p "$STATE"; chmod 700 "$STATE"
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/run/user/$(id -u)}
PY=.venv/bin/python
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  [ "$LAB_WAS_UP" = 1 ] || asterisk-conf/lab down >/dev/null 2>&1 || true
}
trap cleanup EXIT

LAB_WAS_UP=0
asterisk-conf/lab status >/dev/null 2>&1 && LAB_WAS_UP=1   # leave a lab we did not start as we found it
asterisk-conf/lab up || { echo "demo: the lab did not come up" >&2; exit 1; }
scripts/audio.sh up || exit 1
DB="sqlite:///$STATE/demo.db"
$PY -m app.demo_data --db "$DB" --customers "$CUSTOMERS" --state-dir "$STATE" || exit 1
CSDESK_DEMO_PASSWORD=$(cat "$STATE/demo-password" 2>/dev/null || true)
[ -n "$CSDESK_DEMO_PASSWORD" ] || { echo "demo: no demo password in $STATE/demo-password" >&2; exit 1; }
export CSDESK_DEMO_PASSWORD
$PY -c "from app.demo_data.generate import demo_caller_numbers as d; print('\n'.join(d(60)))" > "$STATE/callers.txt"

echo "demo: simulated customers call 95500 about every 20 s (caller IDs of demo customers)"
$PY -m labsim.sim --rate 1/20s --calls -1 --scenario mixed --caller-file "$STATE/callers.txt" --policy none \
  --survey random --talk-max 0 --max-call 600 --answer-outbound > "$STATE/simulator.log" 2>&1 &
pids+=($!)

args=(--lab primary --agent "$AGENT" --auto-sign-in --db "$DB")
if [ -z "${DISPLAY:-}" ]; then
  SHOTS=$PWD/out/demo-screenshots
  mkdir -p "$SHOTS"
  Xvfb :98 -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
  pids+=($!)
  export DISPLAY=:98
  for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
  echo "demo: no display, so the desk runs under Xvfb and plays its tour; screenshots go to $SHOTS"
  args+=(--screenshots "$SHOTS" --tour-seconds "$TOUR")
fi
dbus-run-session -- $PY -m ui.main "${args[@]}"
rc=$?
[ -n "${SHOTS:-}" ] && { echo "demo: screenshots in $SHOTS:"; ls -1 "$SHOTS"; }
exit $rc
