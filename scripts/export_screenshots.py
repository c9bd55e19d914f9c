"""Export the README pictures (home and seizure screens) from the bundled deck.

Usage: .venv/bin/python scripts/export_screenshots.py [OUT_DIR]

Drives the app headless the same way the snapshot tests do, saves SVG
screenshots and converts them to PNG with ``rsvg-convert`` (Debian package
librsvg2-bin) when it is installed.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from pathlib import Path

from kiosk.app import make_app
from kiosk.deck import bundled_cards_dir, load_deck
from kiosk.site import Site

SITE = Site(
    name="Riverside Pool",
    emergency_number="112",
    staff_instruction="Lifeguard: press the red button by the pool",
    first_aid_kit="Reception desk",
    defibrillator="By the main entrance",
    first_aid_kit_short="Reception",
    defibrillator_short="Entrance",
)
SIZE = (100, 30)


async def export(out_dir: Path) -> list[Path]:
    app = make_app(load_deck(bundled_cards_dir()), SITE)
    written = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        written.append(Path(app.save_screenshot("home.svg", path=str(out_dir))))
        app.action_open_card("seizure")  # by id: its tile number follows the deck's order
        await pilot.pause()
        await pilot.click("#stopwatch-start")
        await pilot.pause(1.2)
        written.append(Path(app.save_screenshot("seizure.svg", path=str(out_dir))))
    return written


def main(argv: list[str]) -> int:
    out_dir = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "docs" / "images"
    out_dir.mkdir(parents=True, exist_ok=True)
    for svg in asyncio.run(export(out_dir)):
        if shutil.which("rsvg-convert"):
            png = svg.with_suffix(".png")
            subprocess.run(["rsvg-convert", str(svg), "-o", str(png)], check=True)
            svg.unlink()
            print(png)
        else:
            print(svg, "(install librsvg2-bin to convert to PNG)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
