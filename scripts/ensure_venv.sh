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
    echo "error: $python_bin not found. The kiosk needs Python 3.9 or newer:" >&2
    echo "  on Debian or Raspberry Pi OS: sudo apt-get install python3 python3-venv" >&2
    echo "  or name another interpreter: KIOSK_PYTHON=python3.11 $0" >&2
    exit 3
fi
python_version="$("$python_bin" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)"
case "$python_version" in
    3.9 | 3.[1-9][0-9]) ;;
    *)
        echo "error: $python_bin is Python ${python_version:-of an unknown version}; the kiosk needs 3.9 or newer." >&2
        echo "  install a newer python3, or name one: KIOSK_PYTHON=python3.11 $0" >&2
        exit 3
        ;;
esac

offline_args=()
if [ -n "${KIOSK_WHEELHOUSE:-}" ]; then
    if [ ! -d "$KIOSK_WHEELHOUSE" ]; then
        echo "error: KIOSK_WHEELHOUSE=$KIOSK_WHEELHOUSE is not a folder of wheels." >&2
        exit 3
    fi
    offline_args=(--no-index --find-links "$KIOSK_WHEELHOUSE")
fi

if [ ! -x "$venv_dir/bin/python" ]; then
    echo "Creating virtual environment in $venv_dir ..." >&2
    "$python_bin" -m venv "$venv_dir" || {
        echo "error: could not create a virtual environment in $venv_dir" >&2
        echo "  on Debian or Raspberry Pi OS: sudo apt-get install python3-venv" >&2
        exit 3
    }
    # The pip bundled with Python 3.9 backtracks for minutes on our pins; a
    # current pip resolves them at once. Offline, it comes from the wheelhouse
    # if there is one there; otherwise the bundled pip is kept.
    "$venv_dir/bin/python" -m pip install --disable-pip-version-check -q -U \
        ${offline_args[@]+"${offline_args[@]}"} pip >/dev/null 2>&1 || true
fi

# Reinstall only when what decides the installed set changed. The stamp holds
# that checksum on line 1 and the extras installed on line 2, so running
# ./run_kiosk.sh after ./run_tests.sh (whose [test] extras include everything)
# does not reinstall.
constraints="$repo_dir/constraints.txt"
stamp="$venv_dir/.kiosk-install-stamp"
# Where the wheels came from does not matter: a Pi set up from a wheelhouse
# must not try the network when ./run_kiosk.sh later runs without it.
want="$(cat "$repo_dir/pyproject.toml" "$constraints" | cksum)"
need_install=1
if [ -f "$stamp" ] && [ "$(sed -n 1p "$stamp")" = "$want" ]; then
    need_install=0
    have_extras="$(sed -n 2p "$stamp")"
    for extra in ${extras//,/ }; do
        case ",$have_extras," in
            *",$extra,"*) ;;
            *) need_install=1 ;;
        esac
    done
fi
if [ "$need_install" = 1 ]; then
    echo "Installing the kiosk${extras:+ with [$extras]} into $venv_dir ${KIOSK_WHEELHOUSE:+from $KIOSK_WHEELHOUSE (offline) }..." >&2
    target="$repo_dir"
    [ -n "$extras" ] && target="$repo_dir[$extras]"
    install_log="$venv_dir/.kiosk-install.log"
    # pip's output (build back-end warnings) goes to a log, shown if it fails.
    "$venv_dir/bin/python" -m pip install --disable-pip-version-check -q -c "$constraints" \
        ${offline_args[@]+"${offline_args[@]}"} -e "$target" >"$install_log" 2>&1 || {
        cat "$install_log" >&2
        echo "error: installing the kiosk failed (see above; log in $install_log)." >&2
        [ -n "${KIOSK_WHEELHOUSE:-}" ] && echo "  is every wheel in $KIOSK_WHEELHOUSE? See README: Offline install." >&2
        exit 4
    }
    printf '%s\n%s\n' "$want" "$extras" > "$stamp"
fi

# Byte-compile the kiosk's own modules (quick when they are up to date). The service runs
# as an unprivileged user who cannot write to the root-owned checkout, so without this
# Python compiles every kiosk module from source at each start: about 45 ms of the start
# on a 2-core VM, more on a Pi (docs/performance.md). Failing here is harmless.
"$venv_dir/bin/python" -m compileall -q "$repo_dir/kiosk" >/dev/null 2>&1 || true
