"""A printout on an ESC/POS receipt printer (58 or 80 mm), as one raster image.

Every language is printed as a picture of the text, set in DejaVu Sans with Pillow, and
sent with ``GS v 0`` (python-escpos ``bitImageRaster``). Receipt printers' own fonts
cannot do Ukrainian: their Cyrillic code pages (CP866, CP1251 as the printer knows it)
lack "і", "ї", "є" or "ґ" on most models. English goes the same way rather than as
printer text: the cards hold characters that no code page has ("Ā" in a publisher's name,
"–"), the operator's site name may be in any script, and one path means one look (the
same headings, the emergency number in a black box) and one thing to test. The cost is
bytes: about 150 KB a card at 80 mm, a second or two over USB or the network.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw, ImageFont

from kiosk.handout.document import Block, Document, Kind
from kiosk.handout.fonts import find_fonts
from kiosk.handout.qr import QUIET_ZONE, QrUnavailable, qr_matrix

if TYPE_CHECKING:
    from escpos.escpos import Escpos

#: Printable dots across the paper at 203 dpi, by paper width in mm.
DOTS = {58: 384, 80: 576}
MARGIN = 6
# Font size (px) and bold, by kind, for 58 mm; 80 mm scales them by SCALE_80.
STYLES: dict[Kind, tuple[int, bool]] = {
    Kind.EMERGENCY: (30, True),
    Kind.TITLE: (32, True),
    Kind.URGENCY: (20, True),
    Kind.TEXT: (22, False),
    Kind.HEADING: (25, True),
    Kind.STEP: (22, False),
    Kind.BULLET: (22, False),
    Kind.LINK: (18, False),
    Kind.QR: (18, False),
    Kind.SMALL: (18, False),
}
SCALE_80 = 1.2
SPACE_BEFORE = {
    Kind.TITLE: 14,
    Kind.HEADING: 18,
    Kind.STEP: 6,
    Kind.BULLET: 5,
    Kind.TEXT: 6,
    Kind.SMALL: 10,
}
MAX_QR_MODULE = 6  # dots a module: 0.75 mm at 203 dpi, easy for a phone camera
INK_THRESHOLD = 150  # grey below this prints black: slightly bold, no fuzzy edges


@dataclass(frozen=True)
class _Style:
    font: ImageFont.FreeTypeFont
    line: int  # line height in dots


def receipt_image(document: Document, width_mm: int = 80) -> Image.Image:
    """The whole receipt as a 1-bit image as wide as the paper's printable dots."""
    width = DOTS[width_mm]
    styles = _styles(width_mm)
    height = _layout(document, styles, Image.new("L", (width, 1), 255)) + MARGIN  # measure
    canvas = Image.new("L", (width, height), 255)
    _layout(document, styles, canvas)
    return canvas.point(lambda grey: 255 if grey >= INK_THRESHOLD else 0).convert("1")


def receipt_profile(width_mm: int = 80) -> object:
    """A python-escpos profile that knows the paper's width in dots.

    With the library's default profile the width is "Unknown", and ``image()`` then
    prints a notice on standard output (which would garble a running terminal UI).
    """
    from escpos.capabilities import Profile, get_profile

    profile = Profile(features=dict(get_profile("default").features))  # paper cut and all
    media = {"dpi": 203, "width": {"mm": width_mm, "pixels": DOTS[width_mm]}}
    profile.profile_data = dict(profile.profile_data, media=media)
    return profile


def write_receipt(
    printer: Escpos, image: Image.Image, after_init: Callable[[], None] | None = None
) -> None:
    """Send ``image`` to ``printer``: initialise (ESC @), the raster, feed and cut.

    ``after_init`` runs between the two (the paper check); if it raises, nothing more is sent.
    """
    printer.hw("INIT")
    if after_init is not None:
        after_init()
    printer.image(image, impl="bitImageRaster")
    printer.cut()


def _styles(width_mm: int) -> dict[Kind, _Style]:
    fonts = find_fonts()
    scale = SCALE_80 if width_mm == 80 else 1.0
    styles = {}
    for kind, (size, bold) in STYLES.items():
        px = round(size * scale)
        font = ImageFont.truetype(str(fonts.bold if bold else fonts.regular), px)
        styles[kind] = _Style(font, round(px * 1.22))
    return styles


def _layout(document: Document, styles: dict[Kind, _Style], canvas: Image.Image) -> int:
    """Draw every block on ``canvas`` (clipped to its size); returns the height used."""
    draw = ImageDraw.Draw(canvas)
    y = MARGIN
    for block in document.blocks:
        y = _draw(draw, canvas, block, styles[block.kind], canvas.width, y)
    return y


def _draw(
    draw: ImageDraw.ImageDraw, canvas: Image.Image, block: Block, style: _Style, width: int, y: int
) -> int:
    """Draw ``block`` at ``y``; returns the y below it."""
    y += SPACE_BEFORE.get(block.kind, 4)
    inner = width - 2 * MARGIN
    if block.kind is Kind.QR:
        return _draw_qr(canvas, block.text, width, y)
    if block.kind is Kind.EMERGENCY:  # white on black, centred: found at a glance
        lines = wrap(block.text, style.font, inner - 16)
        box = style.line * len(lines) + 16
        draw.rectangle((MARGIN, y, width - MARGIN, y + box), fill=0)
        for n, text in enumerate(lines):
            left = (width - draw.textlength(text, font=style.font)) / 2
            draw.text((left, y + 8 + n * style.line), text, font=style.font, fill=255)
        return y + box
    indent = 0
    if block.kind in (Kind.STEP, Kind.BULLET):
        marker = f"{block.number}." if block.kind is Kind.STEP else "•"
        indent = round(style.line * (1.5 if block.kind is Kind.STEP else 1.0))
        draw.text((MARGIN, y), marker, font=style.font, fill=0)
    lines = wrap(block.text, style.font, inner - indent)
    for n, text in enumerate(lines):
        draw.text((MARGIN + indent, y + n * style.line), text, font=style.font, fill=0)
    y += style.line * len(lines)
    if block.kind is Kind.HEADING:
        draw.line((MARGIN, y + 1, width - MARGIN, y + 1), fill=0, width=2)
        y += 4
    return y


def _draw_qr(canvas: Image.Image, url: str, width: int, y: int) -> int:
    matrix = qr_matrix(url)
    if isinstance(matrix, QrUnavailable):
        return y
    side = len(matrix) + 2 * QUIET_ZONE
    module = max(1, min(MAX_QR_MODULE, (width - 2 * MARGIN) // side))
    left = (width - side * module) // 2 + QUIET_ZONE * module
    top = y + QUIET_ZONE * module
    draw = ImageDraw.Draw(canvas)
    for row_number, row in enumerate(matrix):
        for column, dark in enumerate(row):
            if dark:
                x0, y0 = left + column * module, top + row_number * module
                draw.rectangle((x0, y0, x0 + module - 1, y0 + module - 1), fill=0)
    return y + side * module


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """``text`` broken into lines no wider than ``width`` dots.

    Breaks at spaces; a word wider than the line (a URL) is broken between characters.
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if font.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while font.getlength(word) > width:
            cut = len(word) - 1
            while cut > 1 and font.getlength(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines or [""]
