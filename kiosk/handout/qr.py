"""A card's source page as a QR code drawn in the terminal with half-block characters.

Each text cell holds two QR pixels, one above the other: ``█`` both dark, ``▀`` the top
one, ``▄`` the bottom one, a space neither. A terminal cell is about twice as tall as it
is wide, so a module of ``scale`` columns by ``scale`` half-rows comes out square. The
4-module quiet zone that the QR standard asks for is part of the lines.

Phone cameras expect dark modules on a light ground, whatever the kiosk's theme: the
widget must draw these lines in :data:`FOREGROUND` on :data:`BACKGROUND` (black on
white), and must not let a theme, a high-contrast mode or a dimmed style change them.

The kiosk stays offline: the code holds the publisher's own URL, and the phone opens it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from kiosk.deck.model import Card

#: Colours the QR widget must use: dark modules on a light ground, as cameras expect.
FOREGROUND = "#000000"
BACKGROUND = "#ffffff"
#: Quiet zone around the code, in modules (the QR standard's minimum).
QUIET_ZONE = 4
#: Largest QR version the kiosk makes, on screen and on paper. Version 10 (57 modules)
#: holds 271 bytes at error level L, far more than a publisher's page address needs;
#: a denser code is hard to scan from a screen at arm's length.
MAX_VERSION = 10

_HALF_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}

# Reasons a QR is not shown. ``no-room`` is normal (a small screen); the others are
# problems with the card's data that staff should hear about.
NO_URL = "no-url"
TOO_LONG = "too-long"
NO_ROOM = "no-room"


@dataclass(frozen=True)
class TerminalQr:
    """A QR ready to draw: ``rows`` lines of ``columns`` cells each."""

    url: str
    lines: tuple[str, ...]
    columns: int
    rows: int
    version: int
    scale: int


@dataclass(frozen=True)
class QrUnavailable:
    """Why no QR is shown: ``reason`` is one of ``no-url``, ``too-long``, ``no-room``.

    ``message`` is for staff (the staff screen, the log). ``columns`` and ``rows`` are
    the smallest size the code would need (0 when no code can be made at all).
    """

    url: str
    reason: str
    message: str
    columns: int = 0
    rows: int = 0

    @property
    def is_card_problem(self) -> bool:
        """True when the card's URL is at fault, not the screen's size."""
        return self.reason != NO_ROOM


QrResult = Union[TerminalQr, QrUnavailable]


def card_url(card: Card) -> str:
    """The card's main source page: the URL of its first source ("" if it has none)."""
    return card.sources[0].url.strip() if card.sources else ""


def card_qr(
    card: Card,
    max_columns: int,
    max_rows: int,
    max_scale: int = 1,
    max_version: int = MAX_VERSION,
) -> QrResult:
    """The QR of the card's first source URL, as large as fits ``max_columns`` x ``max_rows``."""
    return terminal_qr(card_url(card), max_columns, max_rows, max_scale, max_version)


def terminal_qr(
    url: str,
    max_columns: int,
    max_rows: int,
    max_scale: int = 1,
    max_version: int = MAX_VERSION,
) -> QrResult:
    """Half-block lines of the QR for ``url`` in at most ``max_columns`` x ``max_rows`` cells.

    The largest scale up to ``max_scale`` that fits is used. Never raises: a URL that no
    code up to ``max_version`` can hold, or a space too small, gives a
    :class:`QrUnavailable` saying so.
    """
    matrix = qr_matrix(url, max_version)
    if isinstance(matrix, QrUnavailable):
        return matrix
    modules = len(matrix)
    version = (modules - 17) // 4
    for scale in range(max(1, max_scale), 0, -1):
        columns, rows = cells_needed(modules, scale)
        if columns <= max_columns and rows <= max_rows:
            lines = half_block_lines(matrix, scale)
            return TerminalQr(url, lines, columns, rows, version, scale)
    columns, rows = cells_needed(modules, 1)
    return QrUnavailable(
        url,
        NO_ROOM,
        f"source URL too long for a QR in {max_columns}x{max_rows} cells"
        f" (it needs {columns}x{rows})",
        columns,
        rows,
    )


def qr_matrix(
    url: str, max_version: int = MAX_VERSION
) -> tuple[tuple[bool, ...], ...] | QrUnavailable:
    """The QR modules of ``url`` (True is dark), without the quiet zone, at error level L.

    The smallest version that holds the URL is used; segno raises the error correction
    level where that costs no extra size.
    """
    import segno

    if not url:
        return QrUnavailable(url, NO_URL, "the card has no source URL for a QR")
    try:
        code = segno.make_qr(url, error="l", boost_error=True)
    except segno.DataOverflowError:
        code = None
    if code is None or not isinstance(code.version, int) or code.version > max_version:
        size = f"{len(url.encode('utf-8'))} bytes"
        return QrUnavailable(
            url,
            TOO_LONG,
            f"source URL too long for a QR ({size}; a version-{max_version} code holds"
            f" {version_capacity(max_version)})",
        )
    return tuple(tuple(bool(module) for module in row) for row in code.matrix)


def version_capacity(version: int) -> int:
    """How many bytes a QR of ``version`` holds at error level L."""
    from segno import consts

    capacity: dict[int, dict[int, int]] = consts.SYMBOL_CAPACITY  # type: ignore[assignment]
    bits = int(capacity[version][consts.ERROR_LEVEL_L])
    count_bits = 8 if version < 10 else 16  # the length field of byte mode
    return (bits - 4 - count_bits) // 8


def cells_needed(modules: int, scale: int = 1) -> tuple[int, int]:
    """Columns and rows of a code ``modules`` wide with its quiet zone, at ``scale``."""
    pixels = (modules + 2 * QUIET_ZONE) * scale
    return pixels, (pixels + 1) // 2


def half_block_lines(matrix: tuple[tuple[bool, ...], ...], scale: int = 1) -> tuple[str, ...]:
    """The text lines of ``matrix`` with its quiet zone, two pixel rows per line."""
    light = (False,) * QUIET_ZONE
    framed = [light + row + light for row in matrix]
    blank = (False,) * (len(matrix) + 2 * QUIET_ZONE)
    framed = [blank] * QUIET_ZONE + framed + [blank] * QUIET_ZONE
    pixel_rows = []
    for row in framed:
        wide = tuple(module for module in row for _ in range(scale))
        pixel_rows.extend([wide] * scale)
    if len(pixel_rows) % 2:
        pixel_rows.append((False,) * len(pixel_rows[0]))
    return tuple(
        "".join(_HALF_BLOCKS[pair] for pair in zip(top, bottom))
        for top, bottom in zip(pixel_rows[0::2], pixel_rows[1::2])
    )
