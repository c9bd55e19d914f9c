#!/bin/sh
# Run by deploy/kiosk-cage.sh as cage's one program: turn the screen by
# KIOSK_ROTATE degrees (90, 180, 270) with wlr-randr, then become the kiosk
# program given as arguments. A compositor without output management (cage
# 0.1.4 on bookworm) cannot be turned this way: the kiosk then starts unturned
# and the reason is logged, never a black screen.
set -u
rotate="${KIOSK_ROTATE:-}"
case "$rotate" in
    "" | 0 | normal) ;;
    90 | 180 | 270)
        if ! command -v wlr-randr >/dev/null 2>&1; then
            echo "in-cage: KIOSK_ROTATE=$rotate needs wlr-randr (apt install wlr-randr)" >&2
        else
            # The first output cage drives (the panel; cage shows one output anyway).
            output="${KIOSK_OUTPUT:-$(wlr-randr 2>/dev/null | awk 'NR==1 {print $1}')}"
            if [ -z "$output" ] || ! wlr-randr --output "$output" --transform "$rotate"; then
                echo "in-cage: could not turn output '${output}' by $rotate degrees" \
                    "(cage 0.1.4 has no output management; see docs/raspberry-pi.md)" >&2
            fi
        fi
        ;;
    *) echo "in-cage: KIOSK_ROTATE=$rotate; use 90, 180 or 270" >&2 ;;
esac
exec "$@"
