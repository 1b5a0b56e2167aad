#!/usr/bin/env bash
# Install everything csdesk's demo, tests and benchmarks need: Debian packages, then a venv with the project.
# Idempotent: a second run with nothing missing takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  make debootstrap ca-certificates openssl iproute2 procps psmisc
  python3-venv
  postgresql
  xvfb xdotool imagemagick x11-utils fonts-noto-cjk dbus dbus-x11
  libegl1 libgl1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  libxcb-image0 libxcb-render-util0 libxcb-xinerama0 libxcb-randr0 libfontconfig1 libdbus-1-3
  pulseaudio pulseaudio-utils libportaudio2 libasound2-plugins sox
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
stamp=$(sha256sum pyproject.toml | cut -c1-16)
if [ "$(cat .venv/.csdesk-stamp 2>/dev/null)" != "$stamp" ]; then
  echo "setup: installing Python packages (pip install -e .[dev])"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e '.[dev]'
  echo "$stamp" > .venv/.csdesk-stamp
fi

# Compile the translations when the catalogue is newer than the compiled file.
qm=resources/i18n/csdesk_zh_CN.qm
if [ ! -s "$qm" ] || [ resources/i18n/csdesk_zh_CN.ts -nt "$qm" ]; then
  .venv/bin/python scripts/i18n.py compile
fi
