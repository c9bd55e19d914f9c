"""Child process for ``bench_startup.py``: start one app headless, report the first paint.

Usage: ``python benchmarks/paint_probe.py kiosk|bare|same-tree|same-tree-9 [--cards DIR]``

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


def build_app(which: str, cards: Path | None, deck_cache: Path | None = None):
    """Build the app under test the way its real entry point would."""
    if which == "bare":
        from bare_app import make_bare_app

        return make_bare_app()
    if which in ("same-tree", "same-tree-9"):
        from same_tree_app import make_same_tree_app

        return make_same_tree_app(nine_tiles=which == "same-tree-9")
    from kiosk.app import make_app
    from kiosk.deck import bundled_cards_dir
    from kiosk.site import load_site

    site = load_site(None).site
    try:  # as kiosk.run.run_from_args loads it (from issue 19: in two steps)
        from kiosk.run import load_for_start
    except ImportError:  # a checkout from before (bench_startup.py --before)
        from kiosk.deck import load_deck

        return make_app(load_deck(cards or bundled_cards_dir()), site)
    load_result, finish_deck = load_for_start(cards or bundled_cards_dir(), site, deck_cache)
    return make_app(load_result, site, finish_deck=finish_deck)


async def _report_first_paint(pilot) -> None:
    """Autopilot: wait for one full refresh after the app is ready, report, then stop.

    ``PAINTED <monotonic> <process CPU seconds>``: the CPU time is the process's own up to
    that moment (interpreter start included), not what the app does after it. For a
    kiosk that loads the rest of its deck after the first paint, ``WHOLE <monotonic>``
    follows once that is done, before the exit.
    """
    painted = asyncio.Event()
    await pilot.pause()
    pilot.app.call_after_refresh(painted.set)
    await painted.wait()
    print(f"PAINTED {time.monotonic():.6f} {time.process_time():.6f}", flush=True)
    if hasattr(pilot.app, "whole_deck_loaded"):
        deadline = time.monotonic() + 30
        while not pilot.app.whole_deck_loaded and time.monotonic() < deadline:
            await pilot.pause(0.005)
        print(f"WHOLE {time.monotonic():.6f}", flush=True)
    pilot.app.exit()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("which", choices=("kiosk", "bare", "same-tree", "same-tree-9"))
    parser.add_argument("--cards", type=Path, default=None)
    parser.add_argument(
        "--deck-cache",
        type=Path,
        default=None,
        help="the kiosk's deck cache folder (default: none)",
    )
    args = parser.parse_args()
    app = build_app(args.which, args.cards, args.deck_cache)
    app.run(headless=True, size=(80, 24), auto_pilot=_report_first_paint)
    return app.return_code or 0


if __name__ == "__main__":
    raise SystemExit(main())
