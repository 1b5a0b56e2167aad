#!/usr/bin/env bash
# Build the csdesk onedir bundle with PyInstaller: dist/csdesk/csdesk (the desk; `csdesk -m cti.engine` is
# its SIP engine). Prints the size and the build time, and stamps the bundle with the digest of its sources
# (installer/sources.py) so the smoke test knows when it is stale.
#   installer/build.sh            # the trimmed bundle (the one to ship)
#   CSDESK_BUNDLE_FULL_QT=1 installer/build.sh   # untrimmed, only to measure what the trimming saves
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
DIST=${CSDESK_BUNDLE_DIST:-dist}
WORK=${CSDESK_BUNDLE_WORK:-build/pyinstaller}
[ -x "$PY" ] || { echo "bundle: no $PY; run scripts/setup.sh first" >&2; exit 1; }
if ! ls resources/i18n/*.qm >/dev/null 2>&1; then
  "$PY" scripts/i18n.py compile
fi
t0=$(date +%s)
digest=$("$PY" installer/sources.py)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN --distpath "$DIST" --workpath "$WORK" installer/csdesk.spec
echo "$digest" > "$DIST/csdesk/BUNDLE-SOURCES"
size=$(du -sm "$DIST/csdesk" | cut -f1)
echo "bundle: $DIST/csdesk built in $(( $(date +%s) - t0 )) s, ${size} MB"
