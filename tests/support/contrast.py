"""Contrast of what the screen shows, from the rendered colours (Textual's SVG screenshot).

Every run of text in the screenshot comes with its own background rectangle at the same
cell (Rich's ``export_svg`` writes one of each per segment), after Textual has blended
every transparent colour, tint and ``dim``: so the pair read here is the pair a visitor
sees. Ratios follow WCAG 2.2 (relative luminance of sRGB colours).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from textual.app import App

_STYLE = re.compile(r"\.(terminal-\d+-r\d+) \{ fill: (#[0-9a-f]{6})([^}]*)\}")
_RECT = re.compile(
    r'<rect fill="(#[0-9a-f]{6})" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" '
    r'height="[\d.]+" shape-rendering="crispEdges"/>'
)
_TEXT = re.compile(
    r'<text class="([^"]+)" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
    r'clip-path="url\(#[^)]*-line-(\d+)\)">(.*?)</text>'
)
_LINE_WIDTH = re.compile(r'<clipPath id="[^"]*-line-0">\s*<rect x="0" y="[\d.]+" width="([\d.]+)"')
_ROW_TOP = re.compile(r'<clipPath id="[^"]*-line-(\d+)">\s*<rect x="0" y="([\d.]+)"')

#: Heavy box-drawing glyphs: Textual's big ``Digits`` (large text, 3:1).
LARGE_GLYPHS = frozenset("━┃┏┓┗┛┣┫┳┻╋╸╹╺╻")


def is_graphic(char: str) -> bool:
    """Box drawing and block elements (borders, button edges, scroll bars): not text."""
    return "\u2500" <= char <= "\u259f" and char not in LARGE_GLYPHS


@dataclass(frozen=True)
class TextRun:
    """A run of text on one row, its colours and whether it is large (big digits)."""

    row: int
    column: int
    text: str
    foreground: str
    background: str
    large: bool

    @property
    def ratio(self) -> float:
        return contrast_ratio(self.foreground, self.background)


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_runs(app: App[Any]) -> list[TextRun]:
    """Every run of visible text on the screen with its rendered colours."""
    svg = app.export_screenshot()
    found = _LINE_WIDTH.search(svg)
    cell = float(found.group(1)) / app.size[0] if found else 12.2
    fills = {name: fill for name, fill, _rest in _STYLE.findall(svg)}
    row_of_top = {top: int(row) for row, top in _ROW_TOP.findall(svg)}
    backgrounds: dict[tuple[int, str], str] = {}
    for fill, x, y, _width in _RECT.findall(svg):
        row = row_of_top.get(y)
        if row is not None:
            backgrounds[(row, x)] = fill
    runs = []
    for name, x, line, raw in _TEXT.findall(svg):
        row = int(line)
        text = html.unescape(raw).replace("\xa0", " ")
        background = backgrounds.get((row, x))
        if background is None or name not in fills:
            continue
        letters = "".join(c for c in text if not c.isspace() and not is_graphic(c))
        if not letters:
            continue
        large = all(c in LARGE_GLYPHS for c in letters)
        column = round(float(x) / cell)
        runs.append(TextRun(row, column, text.strip(), fills[name], background, large))
    return runs


def failures(app: App[Any], normal: float, large: float) -> list[str]:
    """Every run of text below ``normal`` (``large`` for big digits), described.

    Disabled widgets are left out (WCAG 1.4.3 exempts inactive controls).
    """
    disabled = [w.region for w in app.screen.query("*") if w.disabled and w.region]
    found = []
    for run in text_runs(app):
        if any(region.contains(run.column, run.row) for region in disabled):
            continue
        needed = large if run.large else normal
        if run.ratio < needed:
            found.append(
                f"row {run.row} {run.text!r}: {run.foreground} on {run.background} "
                f"{run.ratio:.2f}:1 < {needed}:1"
            )
    return found
