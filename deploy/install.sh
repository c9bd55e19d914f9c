#!/usr/bin/env bash
# Install the first-aid kiosk on a fresh Raspberry Pi OS or Debian machine, once, as root:
#
#   sudo /path/to/kiosk/deploy/install.sh [--path terminal|browser] [--wheelhouse DIR]
#
#   --path terminal   cage + foot running the kiosk (kiosk.service). Touch needs
#                     foot 1.15 or later: the default on trixie.
#   --path browser    kiosk serve + cage + Chromium (kiosk-serve.service,
#                     kiosk-browser.service). Chromium takes touch: the default on
#                     bookworm, whose foot 1.13 ignores taps.
#   --wheelhouse DIR  install the Python packages offline from DIR (default:
#                     /opt/kiosk/wheelhouse when that folder exists)
#   --root DIR        install into DIR as if it were / : no apt-get, useradd,
#                     chown or systemctl, only what they would do is printed
#                     (for CI and for a dry look; the OS is read from
#                     DIR/etc/os-release when there is one)
#
# What it does, each step only when it is not done yet (a second run changes
# nothing and says so): detect the release (refuse an unsupported one), install
# the apt packages, create the user `kiosk`, copy the software to /opt/kiosk,
# set up its .venv, create /etc/kiosk/site.toml from the example (never
# overwriting an operator's file; mode 640 root:kiosk), install the first deck
# in /opt/kiosk-decks, install and enable the units, and finish with a
# self-check that prints what is missing. See docs/raspberry-pi.md.
set -euo pipefail

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; }

source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kiosk_path=""
wheelhouse=""
root=""
while [ $# -gt 0 ]; do
    case "$1" in
        --path) kiosk_path="${2:-}"; shift 2 ;;
        --path=*) kiosk_path="${1#*=}"; shift ;;
        --wheelhouse) wheelhouse="${2:-}"; shift 2 ;;
        --wheelhouse=*) wheelhouse="${1#*=}"; shift ;;
        --root) root="${2:-}"; shift 2 ;;
        --root=*) root="${1#*=}"; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "install.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
    esac
done
if [ -n "$root" ]; then
    mkdir -p "$root"
    root="$(cd "$root" && pwd)"
fi

changes=0
changed() { changes=$((changes + 1)); echo "  changed: $*"; }
say() { echo "$*"; }
# A command with effects outside the files (packages, users, services): run it,
# or in --root mode only print it.
run() {
    if [ -n "$root" ]; then
        echo "  would run: $*"
    else
        "$@"
    fi
}
fail() { echo "install.sh: $*" >&2; exit 1; }

if [ -z "$root" ] && [ "$(id -u)" -ne 0 ]; then
    fail "run me as root: sudo $0 $*"
fi

# --- 1. Which release ---------------------------------------------------------
os_release="/etc/os-release"
[ -n "$root" ] && [ -f "$root/etc/os-release" ] && os_release="$root/etc/os-release"
[ -f "$os_release" ] || fail "no $os_release: cannot tell which system this is"
os_id="$(. "$os_release" && echo "${ID:-}")"
codename="$(. "$os_release" && echo "${VERSION_CODENAME:-}")"
pretty="$(. "$os_release" && echo "${PRETTY_NAME:-$os_id $codename}")"
case "$os_id:$codename" in
    debian:bookworm | raspbian:bookworm | debian:trixie | raspbian:trixie) ;;
    *)
        fail "$pretty is not supported. Use Raspberry Pi OS or Debian, release 12 (bookworm)
or 13 (trixie); see docs/raspberry-pi.md, \"Which image to flash\"."
        ;;
esac
if [ -z "$kiosk_path" ]; then
    # bookworm's foot (1.13) has no touch support; trixie's (1.21) has.
    if [ "$codename" = bookworm ]; then kiosk_path=browser; else kiosk_path=terminal; fi
fi
case "$kiosk_path" in
    terminal | browser) ;;
    *) fail "--path $kiosk_path: use terminal or browser" ;;
esac
say "System: $pretty ($codename); kiosk path: $kiosk_path${root:+; root: $root (dry run)}"
if [ "$kiosk_path" = terminal ] && [ "$codename" = bookworm ]; then
    say "  warning: bookworm's foot 1.13 ignores taps: the terminal path works with a"
    say "  keyboard or keypad only. For a touchscreen use --path browser."
fi

# --- 2. Packages --------------------------------------------------------------
# Exact package names per release and path (docs/raspberry-pi.md has the table).
# bookworm's cage 0.1.4 exits without Xwayland ("Cannot create XWayland server"),
# so xwayland is always installed.
packages="python3 python3-venv python3-pip fonts-dejavu-core cage xwayland wlr-randr"
if [ "$kiosk_path" = terminal ]; then
    packages="$packages foot"
else
    packages="$packages chromium curl"
fi
missing=""
for package in $packages; do
    if [ -n "$root" ] || ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $package"
    fi
done
say "Packages: $packages"
if [ -n "$root" ]; then
    say "  would run: apt-get install -y --no-install-recommends <those not installed>"
elif [ -n "$missing" ]; then
    apt-get update -q
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
    changed "installed$missing"
fi

# --- 3. The user kiosk --------------------------------------------------------
user_exists() {
    if [ -n "$root" ]; then
        grep -q '^kiosk:' "$root/etc/passwd" 2>/dev/null
    else
        id kiosk >/dev/null 2>&1
    fi
}
if ! user_exists; then
    run useradd --system --create-home --home-dir /var/lib/kiosk --shell /usr/sbin/nologin \
        --user-group --groups video,input,render kiosk
    if [ -n "$root" ]; then
        # What useradd would leave, so a second dry run sees the user.
        mkdir -p "$root/etc" "$root/var/lib/kiosk"
        echo "kiosk:x:999:999:first-aid kiosk:/var/lib/kiosk:/usr/sbin/nologin" >>"$root/etc/passwd"
        echo "kiosk:x:999:" >>"$root/etc/group"
    fi
    changed "created the user kiosk (groups video, input, render)"
fi

# --- 4. The software in /opt/kiosk --------------------------------------------
opt="$root/opt/kiosk"
if [ "$(cd "$source_dir" && pwd -P)" = "$( (cd "$opt" 2>/dev/null && pwd -P) || true)" ]; then
    say "Software: running from $opt itself"
elif [ -e "$opt/pyproject.toml" ]; then
    say "Software: $opt exists; left as it is (to update it, see docs/raspberry-pi.md)"
else
    mkdir -p "$opt"
    # The checkout or unpacked folder, less what is built or local to one machine.
    tar -C "$source_dir" --exclude=./.venv --exclude='./.venv-*' --exclude='*/__pycache__' \
        --exclude=./.pytest_cache --exclude=./.ruff_cache --exclude=./.mypy_cache --exclude='./*.egg-info' --exclude=./build --exclude=./dist -cf - . \
        | tar -C "$opt" -xf -
    changed "copied the software from $source_dir to $opt"
fi
if [ -z "$wheelhouse" ] && [ -d "$opt/wheelhouse" ]; then
    wheelhouse="/opt/kiosk/wheelhouse"
fi
if [ -x "$opt/.venv/bin/kiosk" ]; then
    say "Python environment: $opt/.venv present"
else
    if [ -n "$wheelhouse" ]; then
        run env KIOSK_WHEELHOUSE="$wheelhouse" /opt/kiosk/run_kiosk.sh --version
    else
        run /opt/kiosk/run_kiosk.sh --version
    fi
    [ -z "$root" ] && changed "created /opt/kiosk/.venv${wheelhouse:+ from $wheelhouse}"
fi

# --- 5. /etc/kiosk/site.toml --------------------------------------------------
etc="$root/etc/kiosk"
site="$etc/site.toml"
if [ ! -d "$etc" ]; then
    install -d -m 755 "$etc"
    changed "created /etc/kiosk"
fi
if [ ! -e "$site" ]; then
    install -m 640 "$source_dir/deploy/site.example.toml" "$site"
    run chown root:kiosk /etc/kiosk/site.toml
    changed "created /etc/kiosk/site.toml from deploy/site.example.toml: edit it (name, numbers, PIN)"
else
    say "Site file: /etc/kiosk/site.toml exists; not touched"
    mode="$(stat -c %a "$site")"
    if [ "$mode" != 640 ] && [ "$mode" != 600 ]; then
        chmod 640 "$site"
        run chown root:kiosk /etc/kiosk/site.toml
        changed "site.toml was mode $mode; now 640 root:kiosk (it holds the staff PIN)"
    fi
fi

# --- 6. The decks root and the first deck -------------------------------------
decks="$root/opt/kiosk-decks"
if [ ! -d "$decks" ]; then
    install -d -m 755 "$decks"
    changed "created /opt/kiosk-decks"
fi
if [ ! -e "$decks/current" ] && [ ! -L "$decks/current" ]; then
    if [ -x "$opt/.venv/bin/kiosk" ]; then
        # A checked copy of the bundled deck in a version folder, `current` swapped to it
        # (docs/deck-updates.md). In --root mode every path is inside the scratch root,
        # which may be a tmpfs: allow that there.
        volatile=""
        [ -n "$root" ] && volatile="--allow-volatile"
        # shellcheck disable=SC2086
        "$opt/.venv/bin/kiosk" deck install "$opt/cards" --decks "$decks" --site "$site" $volatile
        changed "installed the bundled deck in /opt/kiosk-decks (kiosk deck install)"
    else
        # --root mode without a .venv: the same result by hand, a copy of the bundled
        # deck (never a link to /opt/kiosk/cards, which a software update changes).
        version="$(sed -n 's/^version *= *"\(.*\)"/\1/p' "$source_dir/pyproject.toml" | head -1)"
        first="bundled-${version:-0}"
        if [ ! -d "$decks/$first" ]; then
            cp -rT "$source_dir/cards" "$decks/$first"
        fi
        ln -sfnT "$first" "$decks/current"
        changed "installed the bundled deck as /opt/kiosk-decks/$first, current -> $first"
    fi
else
    say "Deck: /opt/kiosk-decks/current -> $(readlink "$decks/current" || echo '?')"
fi

# --- 7. The units -------------------------------------------------------------
units="$root/etc/systemd/system"
if [ "$kiosk_path" = terminal ]; then
    wanted="kiosk.service"
    unwanted="kiosk-browser.service kiosk-serve.service kiosk-console.service"
else
    wanted="kiosk-serve.service kiosk-browser.service"
    unwanted="kiosk.service kiosk-console.service"
fi
mkdir -p "$units"
reload=0
for unit in $wanted; do
    if ! cmp -s "$source_dir/deploy/$unit" "$units/$unit"; then
        install -m 644 "$source_dir/deploy/$unit" "$units/$unit"
        reload=1
        changed "installed $unit in /etc/systemd/system"
    fi
done
[ "$reload" = 1 ] && run systemctl daemon-reload
wants="$units/multi-user.target.wants"
for unit in $wanted; do
    if [ ! -L "$wants/$unit" ]; then
        run systemctl enable "$unit"
        if [ -n "$root" ]; then
            mkdir -p "$wants"
            ln -sfn "/etc/systemd/system/$unit" "$wants/$unit"
        fi
        changed "enabled $unit"
    fi
done
for unit in $unwanted; do
    # Both paths use tty1: the other path's units must not start too.
    if [ -L "$wants/$unit" ]; then
        run systemctl disable "$unit"
        [ -n "$root" ] && rm -f "$wants/$unit"
        changed "disabled $unit (the other path)"
    fi
done

# --- 8. Self-check ------------------------------------------------------------
say "Self-check:"
problems=0
missing_item() { problems=$((problems + 1)); echo "  MISSING: $*"; }
if [ -z "$root" ]; then
    for command in cage Xwayland wlr-randr; do
        command -v "$command" >/dev/null 2>&1 || missing_item "command $command (apt-get install)"
    done
    if [ "$kiosk_path" = terminal ]; then
        command -v foot >/dev/null 2>&1 || missing_item "command foot (apt-get install foot)"
    else
        command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
            || missing_item "command chromium (apt-get install chromium)"
        command -v curl >/dev/null 2>&1 || missing_item "command curl (apt-get install curl)"
    fi
    id kiosk >/dev/null 2>&1 || missing_item "user kiosk"
    if systemctl is-enabled --quiet display-manager.service 2>/dev/null; then
        missing_item "console boot: a desktop (display manager) holds the screen; run
    sudo raspi-config nonint do_boot_behaviour B1   (Raspberry Pi OS: console, no autologin)
    or: sudo systemctl set-default multi-user.target   (Debian), then reboot"
    fi
else
    say "  (commands, the user and the boot target are not checked in --root mode)"
fi
if [ -x "$opt/.venv/bin/kiosk" ]; then
    # The deck and the site file as the units will read them; warnings (such as
    # W105, the example's PIN) are shown but do not count as missing.
    if report="$("$opt/.venv/bin/kiosk" check --cards "$decks/current" --site "$site" 2>&1)"; then
        echo "$report" | sed 's/^/  kiosk check: /'
    else
        missing_item "a clean check: $opt/.venv/bin/kiosk check --cards /opt/kiosk-decks/current --site /etc/kiosk/site.toml"
        echo "$report" | sed 's/^/    /'
    fi
elif [ -n "$root" ]; then
    say "  (the deck and site check needs /opt/kiosk/.venv, not made in --root mode)"
else
    missing_item "/opt/kiosk/.venv/bin/kiosk (run: /opt/kiosk/run_kiosk.sh --version)"
fi
[ -f "$site" ] || missing_item "/etc/kiosk/site.toml"
[ -e "$decks/current/deck.toml" ] || missing_item "a deck in /opt/kiosk-decks/current"
for unit in $wanted; do
    [ -f "$units/$unit" ] || missing_item "/etc/systemd/system/$unit"
    [ -L "$wants/$unit" ] || missing_item "$unit enabled"
done
if [ "$problems" -eq 0 ]; then
    say "  OK: nothing missing"
fi

if [ "$changes" -eq 0 ]; then
    say "Nothing to change: the kiosk was already installed as asked."
else
    say "$changes change(s) made."
    first_unit="${wanted##* }"
    say "Next: edit /etc/kiosk/site.toml, check it (/opt/kiosk/.venv/bin/kiosk check --site /etc/kiosk/site.toml),"
    say "then reboot or: sudo systemctl start ${wanted// / and }  (the screen: $first_unit)"
fi
[ "$problems" -eq 0 ]
