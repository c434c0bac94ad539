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
# NSIS (makensis) and 7-Zip for the Windows-installer test: it compiles packaging/windows/gridmap.nsi here
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && ! command -v makensis >/dev/null 2>&1; then
  echo "test: installing NSIS and 7-Zip (nsis, p7zip-full)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nsis p7zip-full >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive \
         apt-get install -y -qq --no-install-recommends nsis p7zip-full >/dev/null; }
fi
cd "$HERE"
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
