"""What the terminal shows, read back through Textual's public screenshot (SVG).

The one screen reader of the UI tests: it sees what a visitor sees, so clipped text is
missing and markup that had been interpreted would have lost its brackets. A wide
character (CJK, most emoji) takes two cells; in the rows it is followed by an empty
string (cells are counted per grapheme, as Rich counts them: ``❤️`` is two), so that
each row holds exactly the terminal's width in cells.
"""

from __future__ import annotations

import html
import re
from typing import Any

from rich.cells import split_graphemes
from textual.app import App

_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="([\d.]+)" '
    r'clip-path="url\(#[^)]*-line-(\d+)\)">(.*?)</text>'
)
_LINE_WIDTH = re.compile(r'<clipPath id="[^"]*-line-0">\s*<rect x="0" y="[\d.]+" width="([\d.]+)"')


def screen_cells(app: App[Any]) -> list[list[str]]:
    """The screen as rows of cells (a wide character's second cell is ``""``)."""
    width, height = app.size
    svg = app.export_screenshot()
    found = _LINE_WIDTH.search(svg)
    cell = float(found.group(1)) / width if found else 12.2
    rows = [[" "] * width for _ in range(height)]
    for x, _length, line, raw in _TEXT.findall(svg):
        text = html.unescape(raw).replace("\xa0", " ")
        column = round(float(x) / cell)
        row = rows[int(line)]
        spans, _total = split_graphemes(text)
        for start, end, cells in spans:
            char = text[start:end]
            if cells == 0:  # a lone combining mark joins the cell before
                if 0 < column <= width:
                    row[column - 1] += char
                continue
            if 0 <= column < width:
                row[column] = char
                for extra in range(1, cells):
                    if column + extra < width:
                        row[column + extra] = ""
            column += cells
    return rows


def screen_rows(app: App[Any]) -> list[str]:
    """The screen as text, one string per terminal row (trailing spaces kept)."""
    return ["".join(row) for row in screen_cells(app)]


def screen_text(app: App[Any]) -> str:
    """The screen as text, rows joined by newlines (trailing spaces dropped)."""
    return "\n".join(row.rstrip() for row in screen_rows(app))


def flat_text(app: App[Any]) -> str:
    """The screen's words separated by single spaces (for text that may wrap)."""
    return " ".join(screen_text(app).split())


def widget_text(app: App[Any]) -> str:
    """The text of every widget shown on the current screen, including what is scrolled
    out of view and the value of big ``Digits`` (which the screenshot draws as blocks)."""
    from textual.widgets import Button, Digits, Static

    parts = []
    screen = app.screen
    for widget in screen.query("*"):
        chain = [widget, *widget.ancestors]
        if not all(node.display for node in chain[: chain.index(screen) + 1]):
            continue
        if isinstance(widget, Button):
            parts.append(str(widget.label))
        elif isinstance(widget, Digits):
            parts.append(widget.value)
        elif isinstance(widget, Static):
            parts.append(str(widget.render()))
    return "\n".join(parts)
