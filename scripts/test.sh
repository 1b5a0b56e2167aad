#!/usr/bin/env bash
# The whole test suite against real parts: the Asterisk lab, a private PostgreSQL, a PulseAudio null sink.
# Brings them up, runs the layer check, lint and pytest, and brings them down again. Extra args go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/run/user/$(id -u)}
cleanup() {
  asterisk-conf/lab down --all >/dev/null 2>&1 || true
  scripts/pg.sh down >/dev/null 2>&1 || true
  scripts/audio.sh down >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "== layer rule (import-linter: ui -> app -> cti, no Qt below ui)"
.venv/bin/lint-imports --no-cache || exit 1
echo "== ruff"
.venv/bin/ruff check . || exit 1
echo "== mypy (strict on app/ and cti/)"
.venv/bin/mypy app cti || exit 1

echo "== bringing up the lab, PostgreSQL and audio"
asterisk-conf/lab up || { echo "test: the lab did not come up"; exit 1; }
scripts/pg.sh up || exit 1
scripts/audio.sh up || exit 1
CSDESK_TEST_PG_URL=$(scripts/pg.sh url)
export CSDESK_TEST_PG_URL
export CSDESK_REQUIRE_ALL=1          # nothing may be skipped for lack of a service in this command
export QT_QPA_PLATFORM=offscreen

echo "== pytest"
.venv/bin/python -m pytest "$@"
rc=$?
if [ $rc -eq 5 ]; then echo "test: pytest collected no tests; that is a failure"; rc=1; fi
echo "test: finished with exit code $rc in $(( $(date +%s) - t0 )) s"
exit $rc
