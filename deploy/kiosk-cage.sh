#!/bin/sh
# Full-screen kiosk with touch: cage shows exactly one window, foot, which runs
# the kiosk in public lockdown mode. When the kiosk exits, foot and cage exit
# and systemd (deploy/kiosk.service) starts them again. There is no shell.
#
#   KIOSK_HOME       the repository with its .venv (default: this script's repo)
#   KIOSK_SITE       site file (default: /etc/kiosk/site.toml)
#   KIOSK_CARDS      deck folder (default: the bundled deck), e.g.
#                    /opt/kiosk-decks/current, which `kiosk deck install` swaps
#   KIOSK_FONT_SIZE  overrides the font size in foot.ini (default: foot.ini's)
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
kiosk_home="${KIOSK_HOME:-$(dirname "$here")}"
site="${KIOSK_SITE:-/etc/kiosk/site.toml}"
kiosk="$kiosk_home/.venv/bin/kiosk"

if [ ! -x "$kiosk" ]; then
    echo "kiosk-cage: $kiosk missing; run $kiosk_home/run_kiosk.sh check once to set up" >&2
    exit 1
fi
set -- "$kiosk" --kiosk
[ -f "$site" ] && set -- "$@" --site "$site"
[ -n "${KIOSK_CARDS:-}" ] && set -- "$@" --cards "$KIOSK_CARDS"

font_args=""
if [ -n "${KIOSK_FONT_SIZE:-}" ]; then
    font_args="--override=font=monospace:size=$KIOSK_FONT_SIZE"
fi
# cage: -d no window decorations; no -s, so visitors cannot switch VTs.
# shellcheck disable=SC2086
exec cage -d -- foot --config="$here/foot.ini" $font_args "$@"
