"""Child process for ``bench_startup.py``: start one app headless, report the first paint.

Usage: ``python benchmarks/paint_probe.py kiosk|bare|same-tree [--cards DIR]``

The process imports and builds the app exactly as a cold start would (the kiosk the
way ``kiosk run`` does: load the deck and the site, then ``make_app``), runs it headless,
waits until the first screen has been composed *and painted* (``call_after_refresh``
after the app is ready), prints ``PAINTED <time.monotonic()>`` and exits. CLOCK_MONOTONIC
is system-wide on Linux, so the parent can subtract its own launch time.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def build_app(which: str, cards: Path | None):
    """Build the app under test the way its real entry point would."""
    if which == "bare":
        from bare_app import make_bare_app

        return make_bare_app()
    if which == "same-tree":
        from same_tree_app import make_same_tree_app

        return make_same_tree_app()
    from kiosk.app import make_app
    from kiosk.deck import bundled_cards_dir, load_deck
    from kiosk.site import load_site

    return make_app(load_deck(cards or bundled_cards_dir()), load_site(None).site)


async def _report_first_paint(pilot) -> None:
    """Autopilot: wait for one full refresh after the app is ready, then stop."""
    painted = asyncio.Event()
    await pilot.pause()
    pilot.app.call_after_refresh(painted.set)
    await painted.wait()
    print(f"PAINTED {time.monotonic():.6f}", flush=True)
    pilot.app.exit()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("which", choices=("kiosk", "bare", "same-tree"))
    parser.add_argument("--cards", type=Path, default=None)
    args = parser.parse_args()
    app = build_app(args.which, args.cards)
    app.run(headless=True, size=(80, 24), auto_pilot=_report_first_paint)
    return app.return_code or 0


if __name__ == "__main__":
    raise SystemExit(main())
