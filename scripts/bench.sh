#!/usr/bin/env bash
# Run every benchmark against real parts (lab PBX, PostgreSQL, audio, Xvfb, Linphone as the peer) and print one table.
set -uo pipefail
cd "$(dirname "$0")/.."
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/run/user/$(id -u)}
missing=()
for p in linphone-desktop tcpdump; do   # the peer, and the wire capture for answer -> 200 OK
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "bench: installing ${missing[*]}"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
cleanup() {
  asterisk-conf/lab down --all >/dev/null 2>&1 || true
  scripts/pg.sh down >/dev/null 2>&1 || true
  scripts/audio.sh down >/dev/null 2>&1 || true
}
trap cleanup EXIT
asterisk-conf/lab up || exit 1
scripts/pg.sh up || exit 1
scripts/audio.sh up || exit 1
CSDESK_BENCH_PG_URL=$(scripts/pg.sh url)
export CSDESK_BENCH_PG_URL
.venv/bin/python -m bench.run "$@"
