"""The ``printer`` site setting: which printer, and how to reach it.

One string names the printer (``docs/printing.md``):

====================================  =====================================================
``""``                                no printer: the kiosk shows no Print button
``cups:NAME``                         the CUPS queue NAME (``lp -d NAME``), an A4 PDF
``escpos-usb:VID:PID``                an ESC/POS receipt printer on USB, by its vendor and
                                      product ids in hex (``escpos-usb:04b8:0202``), through
                                      libusb
``escpos-net:HOST[:PORT]``            an ESC/POS printer on the network, raw TCP (port 9100)
``escpos-file:/dev/usb/lp0``          an ESC/POS printer behind a device file (the kernel's
                                      ``usblp`` driver, a serial port set up with ``stty``)
====================================  =====================================================

This module has no dependencies: :mod:`kiosk.site` checks the setting with
:func:`printer_problem` whether or not the ``print`` extra is installed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CUPS = "cups"
ESCPOS_USB = "escpos-usb"
ESCPOS_NET = "escpos-net"
ESCPOS_FILE = "escpos-file"
KINDS = (CUPS, ESCPOS_USB, ESCPOS_NET, ESCPOS_FILE)
#: Receipt paper widths in millimetres (``printer_width``).
PRINTER_WIDTHS = (58, 80)
DEFAULT_NET_PORT = 9100

# CUPS queue names: printable, no space, "/", "#" or quotes; never an option ("-x").
_CUPS_NAME = re.compile(r"[A-Za-z0-9_.@+][A-Za-z0-9_.@+-]{0,126}")
_USB_ID = re.compile(r"([0-9A-Fa-f]{4}):([0-9A-Fa-f]{4})")
_HOST_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?")
_NET = re.compile(r"(?P<host>\[[0-9A-Fa-f:.]+\]|[^:\[\]]+)(?::(?P<port>[0-9]{1,5}))?")

FORMS = (
    'write "" for none, or cups:NAME, escpos-usb:VID:PID (hex, e.g. 04b8:0202),'
    " escpos-net:HOST[:PORT], escpos-file:/dev/usb/lp0"
)


@dataclass(frozen=True)
class PrinterSpec:
    """A parsed ``printer`` setting. ``target`` is the queue, host, device or USB ids."""

    kind: str
    target: str
    port: int = DEFAULT_NET_PORT
    vendor_id: int = 0
    product_id: int = 0

    @property
    def is_receipt(self) -> bool:
        return self.kind != CUPS

    def describe(self) -> str:
        """The printer as staff would name it in a message."""
        if self.kind == ESCPOS_NET:
            return f"receipt printer at {self.target}:{self.port}"
        if self.kind == ESCPOS_USB:
            return f"USB receipt printer {self.vendor_id:04x}:{self.product_id:04x}"
        if self.kind == ESCPOS_FILE:
            return f"receipt printer on {self.target}"
        return f"CUPS printer {self.target}"


def parse_printer(value: str) -> PrinterSpec | None:
    """The printer ``value`` names, or None for no printer. Raises ValueError if malformed."""
    value = value.strip()
    if not value:
        return None
    kind, sep, rest = value.partition(":")
    if not sep or kind not in KINDS:
        raise ValueError(f"{value!r} is not a printer: {FORMS}")
    if kind == CUPS:
        if not _CUPS_NAME.fullmatch(rest):
            raise ValueError(
                f"{rest!r} is not a CUPS queue name (letters, digits, _ . @ + -; see `lpstat -p`)"
            )
        return PrinterSpec(CUPS, rest)
    if kind == ESCPOS_USB:
        found = _USB_ID.fullmatch(rest)
        if not found:
            raise ValueError(f"{rest!r} is not VID:PID in hex, e.g. 04b8:0202 (see `lsusb`)")
        vendor, product = (int(part, 16) for part in found.groups())
        return PrinterSpec(ESCPOS_USB, rest.lower(), vendor_id=vendor, product_id=product)
    if kind == ESCPOS_NET:
        return _parse_net(rest)
    if not rest.startswith("/") or rest.endswith("/"):
        raise ValueError(f"{rest!r} is not an absolute path to a device, e.g. /dev/usb/lp0")
    return PrinterSpec(ESCPOS_FILE, rest)


def _parse_net(rest: str) -> PrinterSpec:
    found = _NET.fullmatch(rest)
    host = found.group("host") if found else ""
    bare = host.strip("[]")
    if not found or not (host.startswith("[") or _HOST_NAME.fullmatch(host)):
        raise ValueError(f"{rest!r} is not HOST or HOST:PORT, e.g. 192.0.2.7:9100")
    port = int(found.group("port") or DEFAULT_NET_PORT)
    if not 1 <= port <= 65535:
        raise ValueError(f"port {port} is out of range 1..65535")
    return PrinterSpec(ESCPOS_NET, bare, port=port)


def printer_problem(value: str) -> str | None:
    """What is wrong with a ``printer`` setting, or None when it is good (``kiosk.site``)."""
    try:
        parse_printer(value)
    except ValueError as error:
        return str(error)
    return None
