#!/bin/sh
# Chromium full screen on the kiosk page that `kiosk serve` (deploy/kiosk-serve.service)
# serves on this machine. It starts the browser only once the server answers, so the
# screen never shows a browser error page; after that the page itself recovers from
# app and server restarts. Run it from the desktop session's autostart, or under cage
# (see docs/browser-kiosk.md).
#
#   KIOSK_URL           the kiosk page (default: http://127.0.0.1:8000/)
#   KIOSK_WAIT_SECONDS  give up waiting for the server after this long, 0 = never (default: 0)
#   CHROMIUM            the browser command (default: chromium, else chromium-browser)
set -eu
url="${KIOSK_URL:-http://127.0.0.1:8000/}"
health="${url%/}/health"
wait_limit="${KIOSK_WAIT_SECONDS:-0}"

browser="${CHROMIUM:-}"
if [ -z "$browser" ]; then
    for candidate in chromium chromium-browser; do
        if command -v "$candidate" >/dev/null 2>&1; then browser="$candidate"; break; fi
    done
fi
if [ -z "$browser" ]; then
    echo "chromium-kiosk: no chromium found (apt install chromium)" >&2
    exit 1
fi

waited=0
until curl --silent --fail --output /dev/null --max-time 2 "$health"; do
    if [ "$wait_limit" -gt 0 ] && [ "$waited" -ge "$wait_limit" ]; then
        echo "chromium-kiosk: $health did not answer within $wait_limit s" >&2
        exit 1
    fi
    if [ $((waited % 30)) -eq 0 ]; then
        echo "chromium-kiosk: waiting for $health" >&2
    fi
    sleep 1
    waited=$((waited + 1))
done

# A fresh profile every start: no "restore pages?" bubble after a power cut, no history.
profile="$(mktemp -d "${XDG_RUNTIME_DIR:-/tmp}/kiosk-chromium.XXXXXX")"
trap 'rm -rf "$profile"' EXIT INT TERM

# Under a Wayland compositor (cage, labwc, wayfire) draw as a native Wayland client:
# touch then reaches the page as touch events, and no Xwayland is involved.
platform_args=""
[ -n "${WAYLAND_DISPLAY:-}" ] && platform_args="--ozone-platform=wayland"

# shellcheck disable=SC2086
"$browser" $platform_args \
    --kiosk \
    --app="$url" \
    --user-data-dir="$profile" \
    --noerrdialogs \
    --disable-pinch \
    --overscroll-history-navigation=0 \
    --touch-events=enabled \
    --disable-background-networking \
    --disable-component-update \
    --disable-sync \
    --disable-translate \
    --disable-features=Translate,TranslateUI,OverscrollHistoryNavigation \
    --no-first-run \
    --no-default-browser-check \
    --password-store=basic \
    --check-for-update-interval=31536000 \
    "$@"
