"""Idle CPU benchmark: what the kiosk costs while nobody touches it.

Runs the app headless in this process (Pilot), lets it settle, then measures this
process's CPU time (``resource.getrusage``: user + system) over a window of wall time on
  * the home screen, and
  * a card with no timer or stopwatch (opened with its digit key, as a visitor would),
and, as a baseline in the same run, the bare Textual app from ``bare_app.py``.

Goal (issue 6): at most 0.5% of one core on each kiosk screen.

Usage: ``.venv/bin/python benchmarks/bench_idle_cpu.py [--seconds 60] [--cards DIR]``
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bare_app import make_bare_app  # noqa: E402

from kiosk.app import make_app  # noqa: E402
from kiosk.deck import Card, bundled_cards_dir, load_deck  # noqa: E402
from kiosk.deck.model import LoadResult  # noqa: E402
from kiosk.site import Site  # noqa: E402

GOAL_PERCENT = 0.5
SETTLE_SECONDS = 1.0


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def idle_percent(seconds: float) -> float:
    """Percent of one core this process used while sleeping ``seconds`` in the event loop."""
    cpu0, wall0 = cpu_seconds(), time.monotonic()
    await asyncio.sleep(seconds)
    return (cpu_seconds() - cpu0) / (time.monotonic() - wall0) * 100


def untimed_card_digit(result: LoadResult, language: str) -> tuple[str, Card] | None:
    """The home-screen digit of the first card (of tiles 1-9) with no timer or stopwatch."""
    cards = result.deck.cards_for(language)
    for position, card in enumerate(cards[:9], start=1):
        if not any(step.timer_seconds or step.stopwatch for step in card.steps):
            return str(position), card
    return None


async def measure(args: argparse.Namespace) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    bare = make_bare_app()
    async with bare.run_test(size=(80, 24)) as pilot:
        await pilot.pause(SETTLE_SECONDS)
        rows.append(("bare Textual app", f"{await idle_percent(args.seconds):.3f}"))

    result = load_deck(args.cards or bundled_cards_dir())
    site = Site()
    app = make_app(result, site)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(SETTLE_SECONDS)
        rows.append(("kiosk home screen", f"{await idle_percent(args.seconds):.3f}"))
        choice = untimed_card_digit(result, site.default_language)
        if choice is None:
            rows.append(("kiosk card, no timer", "n/a (no such card in the deck)"))
        else:
            digit, card = choice
            home = app.screen
            await pilot.press(digit)
            await pilot.pause(SETTLE_SECONDS)
            if app.screen is home:
                rows.append((f"kiosk card {card.id!r}", "n/a (digit did not open it)"))
            else:
                percent = await idle_percent(args.seconds)
                rows.append((f"kiosk card {card.id!r} (no timer)", f"{percent:.3f}"))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="window per screen")
    parser.add_argument("--cards", type=Path, default=None, help="deck (default: bundled)")
    args = parser.parse_args(argv)
    rows = asyncio.run(measure(args))
    print(f"Idle CPU, headless 80x24, {args.seconds:g} s per screen (% of one core)")
    width = max(len(name) for name, _ in rows) + 2
    print(f"{'screen':<{width}}{'CPU %':>8}  goal <= {GOAL_PERCENT}%")
    for name, figure in rows:
        verdict = ""
        if name.startswith("kiosk") and not figure.startswith("n/a"):
            verdict = "met" if float(figure) <= GOAL_PERCENT else "MISSED"
        print(f"{name:<{width}}{figure:>8}  {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
