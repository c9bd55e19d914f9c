"""The terminal font-size table in docs/raspberry-pi.md is the arithmetic of foot's cells.

foot lays out ``floor(width / cell width)`` x ``floor(height / cell height)`` cells
(``pad=0x0`` and no title bar under ``cage -d``, as deploy/foot.ini and kiosk-cage.sh
set). The cell sizes below were measured on 2026-12-01 with foot 1.13.1 and DejaVu Sans
Mono (fonts-dejavu-core) at 96 dpi (``dpi-aware=no``) under a headless cage
(``WLR_BACKENDS=headless``): foot logs ``cell width=22, height=44`` at size 28, and
``stty size`` in it gave 58x15 on the 1280x720 headless output with a title bar, which
this arithmetic reproduces for every size measured (16 to 40).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.data

DOC = Path(__file__).resolve().parents[2] / "docs" / "raspberry-pi.md"

#: points -> (cell width, cell height) in pixels, foot 1.13.1 + DejaVu Sans Mono, 96 dpi
CELLS = {16: (13, 25), 20: (16, 33), 24: (19, 38), 28: (22, 44), 32: (26, 51), 36: (29, 57)}


def grid(width: int, height: int, points: int) -> str:
    cell_width, cell_height = CELLS[points]
    return f"{width // cell_width}x{height // cell_height}"


def table() -> tuple[list[int], list[tuple[int, int, list[str]]]]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Terminal font sizes per screen", 1)[1]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    sizes = [int(cell) for cell in re.findall(r"\| (\d+) ", rows[0])]
    screens = []
    for line in rows[2:]:
        found = re.match(r"\| (\d+)x(\d+)", line)
        if not found:
            break
        cells = [c.strip().strip("*") for c in line.split("|")[2 : 2 + len(sizes)]]
        screens.append((int(found[1]), int(found[2]), cells))
    return sizes, screens


def test_the_table_is_what_foot_gives() -> None:
    sizes, screens = table()
    assert sizes == [20, 24, 28, 32, 36]
    assert {(w, h) for w, h, _ in screens} >= {(800, 480), (1024, 600), (1280, 800)}
    for width, height, cells in screens:
        assert cells == [grid(width, height, size) for size in sizes], f"{width}x{height}"


def test_the_measured_headless_grid_is_reproduced() -> None:
    """The control: 1280x720 less foot's 26-pixel title bar and 2-pixel padding, as
    measured without the kiosk's foot.ini (so the arithmetic is foot's own)."""
    measured = {16: "98x27", 20: "79x20", 24: "67x18", 28: "58x15", 32: "49x13", 36: "44x12"}
    for points, expected in measured.items():
        assert grid(1280 - 4, 720 - 26 - 4, points) == expected, points


def test_a_wrong_row_is_caught() -> None:
    assert grid(800, 480, 28) == "36x10"
    assert grid(800, 480, 28) != "36x11"
