#!/usr/bin/env bash
# Set up (first time) and run the whole test suite: core, storage, CLI, checks, exchange, UI (offscreen Qt).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$HERE/scripts/setup.sh" test
# PostgreSQL + PostGIS for the shared-plan tests (they start their own throwaway cluster on 127.0.0.1):
# postgresql-postgis is Debian 12's postgresql-15-postgis-3 (Ubuntu 24.04: postgresql-16-postgis-3)
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
    && ! dpkg-query -W -f='${Status}' postgresql-postgis 2>/dev/null | grep -q "install ok installed"; then
  echo "test: installing PostgreSQL/PostGIS (postgresql-postgis)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-postgis >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive \
         apt-get install -y -qq --no-install-recommends postgresql-postgis >/dev/null; }
fi
# NSIS (makensis), 7-Zip and Wine for the Windows-installer test: it compiles packaging/windows/gridmap.nsi
# here, lists the setup's payload and runs the setup and the uninstaller in a throwaway Wine prefix
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && { ! command -v makensis >/dev/null 2>&1 || [ ! -x /usr/lib/wine/wine64 ]; }; then
  echo "test: installing NSIS, 7-Zip and Wine (nsis, p7zip-full, wine64)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nsis p7zip-full wine64 >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive \
         apt-get install -y -qq --no-install-recommends nsis p7zip-full wine64 >/dev/null; } \
    || echo "test: could not install nsis/p7zip-full/wine64: the installer tests will be skipped" >&2
fi
cd "$HERE"
export QT_QPA_PLATFORM=offscreen
# Two pytest workers (pytest-xdist; GRIDMAP_TEST_WORKERS=0 runs in one process): the suite is mostly single-threaded
# Python, so on 2 cores two workers halve it, which makes room for the bundle build (tests/test_bundle.py).
exec .venv/bin/python -m pytest -q -p no:cacheprovider -n "${GRIDMAP_TEST_WORKERS:-2}" "$@"
