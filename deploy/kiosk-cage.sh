#!/bin/sh
# Full-screen kiosk with touch under cage, the Wayland kiosk compositor: cage shows
# exactly one window, and when that program exits, cage exits and systemd
# (deploy/kiosk.service, deploy/kiosk-browser.service) starts it again. No shell.
#
#   KIOSK_CAGE_APP   terminal (default): foot running `kiosk --kiosk`
#                    browser: Chromium on the page of `kiosk serve`
#                    (deploy/chromium-kiosk.sh; kiosk-serve.service must run)
#   KIOSK_HOME       the repository with its .venv (default: this script's repo)
#   KIOSK_SITE       site file (default: /etc/kiosk/site.toml)
#   KIOSK_CARDS      deck folder (default: the bundled deck), e.g.
#                    /opt/kiosk-decks/current, which `kiosk deck install` swaps
#   KIOSK_FONT_SIZE  terminal only: overrides the font size in foot.ini
#   KIOSK_ROTATE     90, 180 or 270: turn the screen (portrait panels) with
#                    wlr-randr inside cage; needs cage 0.1.5 or later (trixie),
#                    see docs/raspberry-pi.md
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
kiosk_home="${KIOSK_HOME:-$(dirname "$here")}"
site="${KIOSK_SITE:-/etc/kiosk/site.toml}"
kiosk="$kiosk_home/.venv/bin/kiosk"
app="${KIOSK_CAGE_APP:-terminal}"

# Inside cage, first turn the output if asked (deploy/in-cage.sh), then the app.
wrapper=""
[ -n "${KIOSK_ROTATE:-}" ] && wrapper="$here/in-cage.sh"

case "$app" in
    browser)
        # cage: -d no window decorations; no -s, so visitors cannot switch VTs.
        # shellcheck disable=SC2086
        exec cage -d -- $wrapper "$here/chromium-kiosk.sh"
        ;;
    terminal) ;;
    *)
        echo "kiosk-cage: KIOSK_CAGE_APP=$app; use terminal or browser" >&2
        exit 2
        ;;
esac

if [ ! -x "$kiosk" ]; then
    echo "kiosk-cage: $kiosk missing; run $kiosk_home/run_kiosk.sh check once to set up" >&2
    exit 1
fi
# kiosk-run.sh ignores Ctrl+C, Ctrl+\ and Ctrl+Z before Python starts (foot gives its
# child the default signal handlers, so this must run inside foot).
export KIOSK_HOME="$kiosk_home"
set -- "$here/kiosk-run.sh" --kiosk
[ -f "$site" ] && set -- "$@" --site "$site"
[ -n "${KIOSK_CARDS:-}" ] && set -- "$@" --cards "$KIOSK_CARDS"

font_args=""
if [ -n "${KIOSK_FONT_SIZE:-}" ]; then
    font_args="--override=font=monospace:size=$KIOSK_FONT_SIZE"
fi
# shellcheck disable=SC2086
exec cage -d -- $wrapper foot --config="$here/foot.ini" $font_args "$@"
