#!/usr/bin/env bash
# Set up (first time) and start gridmap on the sample plan, or on the project given.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$HERE/scripts/setup.sh" ui
cd "$HERE"
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "$(uname)" = Linux ]; then
  echo "run.sh: no display found; starting on a virtual screen (xvfb-run) — use a desktop session to see the window" >&2
  exec xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/gridmap "${@:-sample_layers/baoan_plan.gpkg}"
fi
exec .venv/bin/gridmap "${@:-sample_layers/baoan_plan.gpkg}"
