#!/usr/bin/env bash
# Set up .venv if needed, then start the kiosk. Arguments pass through to `kiosk`:
#   ./run_kiosk.sh                      the kiosk on the bundled deck
#   ./run_kiosk.sh check                check the bundled deck
#   ./run_kiosk.sh --kiosk --site /etc/kiosk/site.toml
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/scripts/ensure_venv.sh"
exec "$venv_dir/bin/kiosk" "$@"
