#!/usr/bin/env bash
# Set up everything gridmap needs, idempotently: system packages (when root on Debian/Ubuntu),
# a virtual environment in .venv and the Python packages.  Sourced by run.sh and test.sh.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
EXTRAS="${1:-ui}"

# --- system packages: Qt runtime libraries, CJK fonts (wqy-microhei: TrueType, embeddable in PDFs),
# a virtual screen, GDAL/poppler tools, headless Chromium (the offline web-map test) and LibreOffice without
# its GUI (the DOCX/XLSX annexes rendered and measured as they print: tests/test_outputs_print.py)
SYSTEM_PACKAGES=(python3-venv fonts-noto-cjk fonts-wqy-microhei fonts-arphic-uming xvfb xauth gdal-bin poppler-utils chromium
  libreoffice-writer-nogui libreoffice-calc-nogui
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
  libxcb-render-util0 libxcb-image0 libxcb-xfixes0)
if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for p in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    if [ "$(id -u)" = 0 ]; then
      echo "setup: installing system packages: ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >/dev/null
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo apt-get update -qq >/dev/null
      sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "setup: not root; please install: sudo apt-get install ${missing[*]}" >&2
    fi
  fi
fi

# --- Python ≥ 3.11 in a virtual environment
PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "setup: gridmap needs Python 3.11 or newer ($PY is $("$PY" --version 2>&1))" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=".venv/.gridmap-installed-$EXTRAS-$(sha1sum pyproject.toml | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages into .venv (gridmap[$EXTRAS])"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".[$EXTRAS]"
  rm -f .venv/.gridmap-installed-"$EXTRAS"-*
  touch "$stamp"
fi
