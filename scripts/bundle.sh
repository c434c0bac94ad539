#!/usr/bin/env bash
# Build the gridmap bundle (PyInstaller one-folder) on Linux and test it with no Python on PATH.
#
#   bash scripts/bundle.sh            # → dist/bundle/gridmap/ (run dist/bundle/gridmap/gridmap) and
#                                     #   dist/bundle/gridmap-VERSION-linux-x86_64.tar.gz
#   bash scripts/bundle.sh --no-test  # build only
#
# It makes a build venv (BUILD_VENV, default /tmp/gridmap-bundle-venv) with PYTHON (default python3,
# ≥ 3.11), builds the wheel (python -m build), installs it with its [ui] extra and PyInstaller there
# (PIP_ARGS, e.g. "--no-index --find-links WHEELS" for an offline build), puts a TrueType CJK font
# (WenQuanYi Micro Hei: fonts-wqy-microhei, Apache-2.0/GPLv3) with its licence inside, freezes
# packaging/gridmap.spec, and then runs the bundle under `env -i` with a PATH that has no python:
# the CLI (--version, sample, info, check, export pdf), the app offscreen on the sample (a screenshot),
# and checks with pdffonts that the PDF's Chinese font is embedded.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
TEST=1
[ "${1:-}" = "--no-test" ] && TEST=0
PY="${PYTHON:-python3}"
VENV="${BUILD_VENV:-/tmp/gridmap-bundle-venv}"
OUT="$HERE/dist/bundle"
WORK="${BUNDLE_WORK:-/tmp/gridmap-bundle-work}"
read -r -a PIPX <<< "${PIP_ARGS:-}"

"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "bundle: needs Python >= 3.11 ($PY)" >&2; exit 1; }
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q "${PIPX[@]}" build pyinstaller

echo "bundle: building the wheel"
rm -rf "$WORK" && mkdir -p "$WORK/wheel" "$WORK/fonts" "$OUT"
"$VENV/bin/python" -m build -q --wheel -o "$WORK/wheel" "$HERE" >/dev/null
WHEEL="$(ls "$WORK"/wheel/gridmap-*.whl)"
"$VENV/bin/python" -m pip install -q "${PIPX[@]}" --force-reinstall --no-deps "$WHEEL"
"$VENV/bin/python" -m pip install -q "${PIPX[@]}" "$WHEEL[ui]"
VERSION="$("$VENV/bin/python" -c 'import gridmap; print(gridmap.__version__)')"

# a TrueType CJK font (PDF-embeddable, see gridmap/core/outputs/fonts.py) and its licence
FONT="${GRIDMAP_CJK_FONT:-}"
for f in /usr/share/fonts/truetype/wqy/wqy-microhei.ttc /usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc; do
  [ -z "$FONT" ] && [ -f "$f" ] && FONT="$f"
done
if [ -z "$FONT" ]; then
  echo "bundle: no WenQuanYi Micro Hei font; sudo apt-get install fonts-wqy-microhei (or set GRIDMAP_CJK_FONT)" >&2
  exit 1
fi
cp "$FONT" "$WORK/fonts/"
for lic in /usr/share/doc/fonts-wqy-microhei/copyright; do
  [ -f "$lic" ] && cp "$lic" "$WORK/fonts/$(basename "$FONT").copyright.txt"
done

echo "bundle: freezing (PyInstaller)"
GRIDMAP_BUNDLE_FONTS="$WORK/fonts" "$VENV/bin/pyinstaller" --noconfirm --log-level WARN \
  --distpath "$OUT" --workpath "$WORK/build" packaging/gridmap.spec
cp README.md "$OUT/gridmap/README.md"
cp sample_layers/ATTRIBUTION.md "$OUT/gridmap/DATA-ATTRIBUTION.md"
TARBALL="$OUT/gridmap-$VERSION-linux-$(uname -m).tar.gz"
tar -C "$OUT" -czf "$TARBALL" gridmap
echo "bundle: $OUT/gridmap ($(du -sh "$OUT/gridmap" | cut -f1)), $TARBALL ($(du -sh "$TARBALL" | cut -f1))"

[ "$TEST" = 1 ] || exit 0

# ---- the self-test: a clean environment whose PATH has no python at all
T="$(mktemp -d /tmp/gridmap-bundle-test.XXXXXX)"
mkdir -p "$T/bin" "$T/home"
for tool in sh env timeout; do ln -s "$(command -v $tool)" "$T/bin/$tool"; done
if PATH="$T/bin" command -v python3 >/dev/null 2>&1 || PATH="$T/bin" command -v python >/dev/null 2>&1; then
  echo "bundle test: python found on the test PATH" >&2; exit 1
fi
B="$OUT/gridmap/gridmap"
run() { env -i PATH="$T/bin" HOME="$T/home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen "$@"; }
ms() { date +%s%3N; }
t0=$(ms); run "$B" --version; t1=$(ms)
echo "bundle test: gridmap --version took $((t1 - t0)) ms"
run "$B" sample -o "$T/样例"
t0=$(ms); run "$B" info "$T/样例/baoan_plan.gpkg"; t1=$(ms)
echo "bundle test: gridmap info took $((t1 - t0)) ms"
# no file of an installed Python, GDAL or PROJ is opened: only the bundle's own (checked with strace, if there)
if command -v strace >/dev/null 2>&1; then
  run "$(command -v strace)" -f -e trace=openat -o "$T/strace.txt" "$B" info "$T/样例/baoan_plan.gpkg" >/dev/null
  if grep -v ENOENT "$T/strace.txt" | grep -E '"(/usr(/local)?/lib/python3|/usr/share/(proj|gdal)|[^"]*site-packages)' ; then
    echo "bundle test: the bundle opened files of an installed Python/GDAL/PROJ (above)" >&2; exit 1
  fi
  echo "bundle test: strace: no installed Python, GDAL or PROJ file opened"
fi
run "$B" check "$T/样例/baoan_plan.gpkg" > "$T/check.txt"; tail -3 "$T/check.txt"
set +e; run "$B" check "$T/样例/baoan_plan_errors.gpkg" --json > "$T/errors.json"; st=$?; set -e
[ "$st" = 1 ] || { echo "bundle test: check of the error sample exited $st, expected 1" >&2; exit 1; }
t0=$(ms); run "$B" export "$T/样例/baoan_plan.gpkg" --format pdf -o "$T/附件图.pdf"; t1=$(ms)
echo "bundle test: export pdf took $((t1 - t0)) ms"
pdffonts "$T/附件图.pdf" | tee "$T/pdffonts.txt"
# a CJK font (WenQuanYi/SimHei …), embedded (emb = yes)
awk 'NR>2 && /(WenQuanYi|wqy|Hei|Song|YaHei|CID)/ && $0 ~ / yes +yes +/ {ok=1} END {exit !ok}' "$T/pdffonts.txt" \
  || { echo "bundle test: no embedded CJK font in the PDF" >&2; exit 1; }
pdftotext "$T/附件图.pdf" - | grep -q "网格" || { echo "bundle test: no Chinese text in the PDF" >&2; exit 1; }
# the app, offscreen: first start opens the sample (copied into the user's data folder) …
set +e; t0=$(ms); run timeout 25 "$B" > "$T/app.log" 2>&1; st=$?; set -e
[ "$st" = 124 ] || { echo "bundle test: the app exited ($st) instead of running:" >&2; cat "$T/app.log" >&2; exit 1; }
[ -f "$T/home/.local/share/gridmap/sample/baoan_plan.gpkg" ] || { echo "bundle test: no sample copy" >&2; exit 1; }
# … and a screenshot of the window on the sample, for a person to look at
t0=$(ms); run "$B" --screenshot "$T/样例/baoan_plan.gpkg" "$OUT/bundle_screenshot.png"; t1=$(ms)
echo "bundle test: app start + screenshot took $((t1 - t0)) ms"
echo "bundle test: OK ($T; screenshot $OUT/bundle_screenshot.png)"
