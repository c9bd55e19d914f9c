#!/usr/bin/env bash
# Set up .venv with the test extras, then run the whole test suite.
# Arguments pass through to pytest; the exit code is pytest's.
set -euo pipefail
KIOSK_EXTRAS="${KIOSK_EXTRAS:-test}"
source "$(dirname "${BASH_SOURCE[0]}")/scripts/ensure_venv.sh"
cd "$repo_dir"
exec "$venv_dir/bin/python" -m pytest "$@"
