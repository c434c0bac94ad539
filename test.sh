#!/usr/bin/env bash
# Set up (first time) and run the whole test suite: core, storage, CLI, checks, exchange, UI (offscreen Qt).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$HERE/scripts/setup.sh" test
cd "$HERE"
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
