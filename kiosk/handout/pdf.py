"""A printout as an A4 PDF for an office printer (``fpdf2``, part of the ``print`` extra).

The fonts are embedded (subset), so the page prints the same from any CUPS queue, and
the QR is drawn as vector squares, sharp at any printer resolution.
"""

from __future__ import annotations

from typing import cast

from fpdf import FPDF

from kiosk.handout.document import Block, Document, Kind
from kiosk.handout.fonts import find_fonts
from kiosk.handout.qr import QUIET_ZONE, QrUnavailable, qr_matrix

FAMILY = "DejaVu"
MARGIN_MM = 18
QR_MM = 32  # side of the QR with its quiet zone: 0.65 mm a module for a version 4 code
# Font size (pt), bold, space before (mm) and line height (mm) of each kind of block.
STYLES: dict[Kind, tuple[float, bool, float, float]] = {
    Kind.EMERGENCY: (16, True, 0, 11),
    Kind.TITLE: (20, True, 4, 8.5),
    Kind.URGENCY: (10, True, 0.5, 5),
    Kind.TEXT: (11, False, 1.5, 5),
    Kind.HEADING: (13, True, 4, 6.5),
    Kind.STEP: (11, False, 1, 5),
    Kind.BULLET: (11, False, 0.8, 5),
    Kind.LINK: (9.5, False, 0.5, 4.5),
    Kind.QR: (10, False, 1, 0),
    Kind.SMALL: (9, False, 1, 4.2),
}
HANG_MM = {Kind.STEP: 8, Kind.BULLET: 6}  # hanging indent of numbered and bulleted items
KEEP_WITH_NEXT_MM = 28  # a heading closer than this to the page foot starts a new page


def render_pdf(document: Document) -> bytes:
    """The PDF of ``document``. Raises :class:`~kiosk.handout.fonts.FontMissing`."""
    fonts = find_fonts()
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(MARGIN_MM, 15, MARGIN_MM)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font(FAMILY, "", str(fonts.regular))
    pdf.add_font(FAMILY, "B", str(fonts.bold))
    pdf.set_title(document.title)
    pdf.set_lang(document.language)
    pdf.set_creator("first-aid kiosk")
    pdf.add_page()
    for block in document.blocks:
        _draw(pdf, block)
    return bytes(pdf.output())


def _draw(pdf: FPDF, block: Block) -> None:
    size, bold, before, line = STYLES[block.kind]
    pdf.set_font(FAMILY, "B" if bold else "", size)
    pdf.set_text_color(0, 0, 0)
    if block.kind is Kind.HEADING and pdf.get_y() + KEEP_WITH_NEXT_MM > pdf.page_break_trigger:
        pdf.add_page()
    else:
        pdf.ln(before)
    if block.kind is Kind.EMERGENCY:
        pdf.set_line_width(0.8)
        pdf.multi_cell(0, line, block.text, border=1, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_line_width(0.2)
    elif block.kind in HANG_MM:
        marker = f"{block.number}." if block.kind is Kind.STEP else "•"
        hang = HANG_MM[block.kind]
        width = pdf.epw - hang
        height = cast(float, pdf.multi_cell(width, line, block.text, dry_run=True, output="HEIGHT"))
        if pdf.get_y() + height > pdf.page_break_trigger:  # keep the marker with its text
            pdf.add_page()
        top = pdf.get_y()
        pdf.set_font(FAMILY, "B", size)
        pdf.cell(hang, line, marker)
        pdf.set_font(FAMILY, "", size)
        pdf.set_xy(pdf.l_margin + hang, top)
        pdf.multi_cell(width, line, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
    elif block.kind is Kind.HEADING:
        pdf.multi_cell(0, line, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
        y = pdf.get_y() + 0.5
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
        pdf.ln(1.5)
    elif block.kind is Kind.LINK:
        pdf.set_text_color(0, 0, 140)
        pdf.multi_cell(
            0, line, block.text, link=block.text, align="L", new_x="LMARGIN", new_y="NEXT"
        )
    elif block.kind is Kind.QR:
        _draw_qr(pdf, block.text)
    else:
        if block.kind is Kind.SMALL:
            pdf.set_text_color(70, 70, 70)
        pdf.multi_cell(0, line, block.text, align="L", new_x="LMARGIN", new_y="NEXT")


def _draw_qr(pdf: FPDF, url: str) -> None:
    matrix = qr_matrix(url)
    if isinstance(matrix, QrUnavailable):
        return
    if pdf.get_y() + QR_MM > pdf.page_break_trigger:
        pdf.add_page()
    module = QR_MM / (len(matrix) + 2 * QUIET_ZONE)
    left = pdf.l_margin + QUIET_ZONE * module
    top = pdf.get_y() + QUIET_ZONE * module
    pdf.set_fill_color(0, 0, 0)
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):  # one rectangle per run of dark modules
            if not row[x]:
                x += 1
                continue
            run = x
            while run < len(row) and row[run]:
                run += 1
            pdf.rect(left + x * module, top + y * module, (run - x) * module, module, style="F")
            x = run
    pdf.set_y(pdf.get_y() + QR_MM)
