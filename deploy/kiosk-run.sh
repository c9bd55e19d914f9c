#!/bin/sh
# Runs `kiosk` with the keyboard's signals ignored from the very first instant.
#
# Until the kiosk has taken the terminal, Ctrl+C, Ctrl+\ and Ctrl+Z on it send
# SIGINT, SIGQUIT and SIGTSTP: during Python's own start-up a visitor's Ctrl+C
# would print a KeyboardInterrupt traceback. A signal set to "ignore" stays
# ignored across exec, and in kiosk mode the kiosk keeps it so for the rest of
# its life (kiosk/process_guard.py). Used by deploy/kiosk-console.service and,
# inside foot, by deploy/kiosk-cage.sh.
#
#   KIOSK_HOME  the repository with its .venv (default: this script's repo)
#   KIOSK_VENV  the virtual environment (default: $KIOSK_HOME/.venv)
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
kiosk_home="${KIOSK_HOME:-$(dirname "$here")}"
venv="${KIOSK_VENV:-$kiosk_home/.venv}"
trap '' INT QUIT TSTP TTIN TTOU
exec "$venv/bin/kiosk" "$@"
