#!/bin/sh
# Deck update from a USB stick, run by kiosk-deck-usb@.service (see that unit).
#
# Mounts the stick read-only (no exec, no devices, no setuid, common file systems
# only), takes the last kiosk-deck/*.kdeck at its root in name order (name bundles so
# that they sort, e.g. pool-2026-12-01.kdeck) and runs the same install an operator
# would, with --require-signature: with no deck_public_key in the site file nothing is
# installed ("USB install is off"), and an unsigned, tampered or wrongly signed bundle
# is refused, so an unknown stick is harmless. --skip-installed makes a stick left in
# the port do nothing at the next boot, and a bundle older than the live deck is
# refused. kiosk deck install copies the bundle off the stick before it checks it.
#
#   KIOSK_HOME         the repository with its .venv (default: this script's repo)
#   KIOSK_SITE         site file (default: /etc/kiosk/site.toml)
#   KIOSK              the kiosk command (default: $KIOSK_HOME/.venv/bin/kiosk)
#   KIOSK_USB_MOUNTED  a folder that is already the stick's root (tests): no mount
set -eu
device="${1:-}"
here="$(cd "$(dirname "$0")" && pwd)"
kiosk_home="${KIOSK_HOME:-$(dirname "$here")}"
kiosk="${KIOSK:-$kiosk_home/.venv/bin/kiosk}"
site="${KIOSK_SITE:-/etc/kiosk/site.toml}"

if [ -n "${KIOSK_USB_MOUNTED:-}" ]; then
    stick="$KIOSK_USB_MOUNTED"
else
    if [ ! -b "$device" ]; then
        echo "kiosk-deck-usb: $device is not a block device" >&2
        exit 1
    fi
    stick="$(mktemp -d "${RUNTIME_DIRECTORY:-/run}/stick.XXXXXX")"
    trap 'umount "$stick" 2>/dev/null || true; rmdir "$stick" 2>/dev/null || true' EXIT
    if ! mount -o ro,nosuid,nodev,noexec -t vfat,exfat,ext4,ext3,ext2 "$device" "$stick"; then
        echo "kiosk-deck-usb: cannot mount $device (vfat, exfat or ext4 expected); nothing done" >&2
        exit 1
    fi
fi

bundle=""
for candidate in "$stick"/kiosk-deck/*.kdeck; do
    [ -f "$candidate" ] && bundle="$candidate"
done
if [ -z "$bundle" ]; then
    echo "kiosk-deck-usb: no kiosk-deck/*.kdeck on ${device:-$stick}; nothing to do"
    exit 0
fi
echo "kiosk-deck-usb: found $bundle"
status=0
"$kiosk" deck install "$bundle" --site "$site" --require-signature --skip-installed || status=$?
if [ "$status" -eq 0 ]; then
    echo "kiosk-deck-usb: done; the stick can be removed"
else
    echo "kiosk-deck-usb: not installed (see above); the live deck is unchanged" >&2
fi
exit "$status"
