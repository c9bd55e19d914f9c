# Sourced by run_kiosk.sh and run_tests.sh: create .venv and install the
# project with pinned versions, skipping the install when nothing changed.
#
#   KIOSK_VENV        virtual environment folder (default: .venv)
#   KIOSK_PYTHON      interpreter to build it with (default: python3)
#   KIOSK_WHEELHOUSE  install offline from this folder of wheels
#   KIOSK_EXTRAS      extras to install, e.g. "test"
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv_dir="${KIOSK_VENV:-$repo_dir/.venv}"
python_bin="${KIOSK_PYTHON:-python3}"
extras="${KIOSK_EXTRAS:-}"

if ! command -v "$python_bin" >/dev/null 2>&1; then
    echo "error: $python_bin not found; install Python 3.9 or newer." >&2
    exit 3
fi
if ! "$python_bin" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)'; then
    echo "error: $("$python_bin" --version 2>&1) is too old; the kiosk needs Python 3.9 or newer." >&2
    exit 3
fi

if [ ! -x "$venv_dir/bin/python" ]; then
    echo "Creating virtual environment in $venv_dir ..." >&2
    "$python_bin" -m venv "$venv_dir" || {
        echo "error: could not create a virtual environment (on Debian: apt-get install python3-venv)." >&2
        exit 3
    }
    if [ -z "${KIOSK_WHEELHOUSE:-}" ]; then
        # The pip bundled with Python 3.9 backtracks for minutes on our pins;
        # a current pip resolves them at once. Offline, keep the bundled one.
        "$venv_dir/bin/python" -m pip install --disable-pip-version-check -q -U pip >/dev/null 2>&1 || true
    fi
fi

constraints="$repo_dir/constraints.txt"
stamp="$venv_dir/.kiosk-install-stamp"
want="$(cat "$repo_dir/pyproject.toml" "$constraints" 2>/dev/null | cksum) extras=$extras wheelhouse=${KIOSK_WHEELHOUSE:-}"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "Installing the kiosk${extras:+ with [$extras]} into $venv_dir ..." >&2
    target="$repo_dir"
    [ -n "$extras" ] && target="$repo_dir[$extras]"
    pip_args=(--disable-pip-version-check -q -c "$constraints")
    if [ -n "${KIOSK_WHEELHOUSE:-}" ]; then
        pip_args+=(--no-index --find-links "$KIOSK_WHEELHOUSE")
    fi
    "$venv_dir/bin/python" -m pip install "${pip_args[@]}" -e "$target" >&2
    echo "$want" > "$stamp"
fi
