#!/usr/bin/env bash
# Set up .venv if needed, then start the kiosk. Arguments pass through to `kiosk`:
#   ./run_kiosk.sh                      the kiosk on the bundled deck
#   ./run_kiosk.sh check                check the bundled deck
#   ./run_kiosk.sh --kiosk --site /etc/kiosk/site.toml
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/scripts/ensure_venv.sh"
# Kiosk mode: Ctrl+C, Ctrl+\ and Ctrl+Z do nothing from the first instant (an ignored
# signal stays ignored across exec; the kiosk keeps it so: kiosk/process_guard.py).
for arg in "$@"; do
    if [ "$arg" = "--kiosk" ]; then
        trap '' INT QUIT TSTP TTIN TTOU
    fi
done
exec "$venv_dir/bin/kiosk" "$@"
