#!/bin/sh
# Chromium full screen on the kiosk page that `kiosk serve` (deploy/kiosk-serve.service)
# serves on this machine. It starts the browser only once the server answers, so the
# screen never shows a browser error page; after that the page itself recovers from
# app and server restarts. When the browser exits (a crash, a closed window, a killed
# process) it is started again, with a fresh profile: after 1 s, or up to 30 s if it
# keeps exiting within seconds. SIGTERM or SIGINT to this script ends it and the browser.
# Run it from the desktop session's autostart, or under cage (see docs/browser-kiosk.md).
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

wait_for_server() {
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
}

profile=""
browser_pid=""
stop() {
    if [ -n "$browser_pid" ]; then
        kill "$browser_pid" 2>/dev/null || true
        wait "$browser_pid" 2>/dev/null || true
    fi
    if [ -n "$profile" ]; then rm -rf "$profile"; fi
    exit 0
}
trap stop INT TERM

# Under a Wayland compositor (cage, labwc, wayfire) draw as a native Wayland client:
# touch then reaches the page as touch events, and no Xwayland is involved.
platform_args=""
[ -n "${WAYLAND_DISPLAY:-}" ] && platform_args="--ozone-platform=wayland"

delay=1
while :; do
    wait_for_server
    # A fresh profile every start: no "restore pages?" bubble after a power cut, no history.
    profile="$(mktemp -d "${XDG_RUNTIME_DIR:-/tmp}/kiosk-chromium.XXXXXX")"
    started=$(date +%s)
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
        "$@" &
    browser_pid=$!
    status=0
    wait "$browser_pid" || status=$?
    browser_pid=""
    rm -rf "$profile"
    profile=""
    # A browser that ran for a while is restarted at once; one that keeps dying waits longer.
    if [ $(($(date +%s) - started)) -ge 30 ]; then delay=1; fi
    echo "chromium-kiosk: the browser exited (status $status); starting it again in $delay s" >&2
    sleep "$delay" &
    wait $! || true  # in the background, so that SIGTERM ends the script at once
    delay=$((delay * 2))
    if [ "$delay" -gt 30 ]; then delay=30; fi
done
