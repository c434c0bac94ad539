#!/usr/bin/env bash
# Make a folder of wheels — gridmap's and every dependency's — to carry to a PC with no internet
# (an intranet PC) and install there with pip alone:  pip install --no-index --find-links DIR "gridmap[ui]"
#
#   bash scripts/wheelhouse.sh [DIR]                       # for this kind of machine (default DIR: dist/wheelhouse)
#   bash scripts/wheelhouse.sh DIR --windows [PYVER]       # for 64-bit Windows with Python PYVER (default 3.12),
#                                                          # made on any connected machine, Linux included
#
# Run it on a connected machine (it uses pip download from the package index).  It builds the
# gridmap wheel from this checkout, downloads the wheels of the [ui] extra's whole dependency tree
# for the target, writes DIR/INSTALL.txt (the commands, in Chinese and English), and checks that the
# folder is complete: pip resolves gridmap[ui] from DIR alone (--no-index, --dry-run).
# Environment: PYTHON (default: .venv/bin/python, else python3).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${1:-$HERE/dist/wheelhouse}"
TARGET="${2:-}"
PYVER="${3:-3.12}"
PY="${PYTHON:-}"
[ -n "$PY" ] || { [ -x "$HERE/.venv/bin/python" ] && PY="$HERE/.venv/bin/python" || PY=python3; }
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"

# the gridmap wheel (pip's isolated build, as python -m build does)
rm -f "$DIR"/gridmap-*.whl
"$PY" -m pip wheel -q --no-deps -w "$DIR" "$HERE"
WHEEL="$(ls "$DIR"/gridmap-*.whl)"
echo "wheelhouse: $WHEEL"

PLATFORM_ARGS=()
if [ "$TARGET" = "--windows" ]; then
  PLATFORM_ARGS=(--platform win_amd64 --python-version "$PYVER" --implementation cp --only-binary=:all:)
  echo "wheelhouse: for Windows x64, Python $PYVER"
fi
"$PY" -m pip download -q -d "$DIR" "${PLATFORM_ARGS[@]}" "$WHEEL[ui]"

# complete? pip resolves everything from the folder alone
if [ "$TARGET" = "--windows" ]; then
  "$PY" -m pip install -q --dry-run --ignore-installed --no-index --find-links "$DIR" \
    --target "$DIR/.dry-run" "${PLATFORM_ARGS[@]}" "gridmap[ui]"
  rm -rf "$DIR/.dry-run"
else
  "$PY" -m pip install -q --dry-run --ignore-installed --no-index --find-links "$DIR" "gridmap[ui]"
fi

VERSION="$(basename "$WHEEL" | cut -d- -f2)"
{
  echo "gridmap $VERSION — 离线安装 / offline install"
  echo
  echo "把整个文件夹拷到没有互联网的电脑上 (U 盘或内网共享)，然后："
  echo "Copy this whole folder to the PC without internet (USB stick, intranet share), then:"
  echo
  if [ "$TARGET" = "--windows" ]; then
    echo "Windows x64, Python $PYVER (python.org), 命令提示符 cmd, 在此文件夹中 / in this folder:"
    echo "  py -$PYVER -m venv %LOCALAPPDATA%\\gridmap-venv"
    echo "  %LOCALAPPDATA%\\gridmap-venv\\Scripts\\pip install --no-index --find-links . \"gridmap[ui]\""
    echo "  %LOCALAPPDATA%\\gridmap-venv\\Scripts\\gridmap-gui         (桌面程序 the desktop app)"
  else
    echo "$(uname -s) $(uname -m), $("$PY" -c 'import sys; print("Python %d.%d" % sys.version_info[:2])'), 在此文件夹中 / in this folder:"
    echo "  python3 -m venv ~/gridmap-venv"
    echo "  ~/gridmap-venv/bin/pip install --no-index --find-links . \"gridmap[ui]\""
    echo "  ~/gridmap-venv/bin/gridmap            # 桌面程序 the desktop app;  gridmap --help: 命令行 the CLI"
  fi
} > "$DIR/INSTALL.txt"
echo "wheelhouse: $DIR ($(ls "$DIR"/*.whl | wc -l) wheels, $(du -sh "$DIR" | cut -f1)); see $DIR/INSTALL.txt"
