"""Soak test: drive the kiosk headless with many random inputs and watch for trouble.

Inputs are drawn from a seeded random generator, so any failure can be replayed:
  * key presses: digits, letters (Latin and Ukrainian), arrows, Enter, Escape, Tab,
    PageUp/PageDown, ``/ + - space backspace``, and lockdown probes (ctrl+c, ctrl+q, ...);
  * taps anywhere on the screen (a click at a random cell) and taps on a random button
    of the current screen (language, text size, Back, Next, Home, Start, ...);
  * language and text-size switches (the home screen's buttons, or the + and - keys);
  * terminal size changes between 20x8 and 200x60;
  * time passing: a fake clock given to ``make_app`` jumps ahead (past the idle timeout,
    through timers and the seizure stopwatch).
  * hostile terminal input (``benchmarks/hostile_inputs.py``: huge CSI numbers, kitty
    keys, in-band resizes, odd mouse reports, OSC/DCS/APC strings, unterminated
    sequences and pastes, raw bytes), read the way the kiosk's drivers read a terminal
    (``kiosk.compat.textual_input.HardenedInput``: the input filter, then Textual's
    parser), and the resulting events posted to the app.

The app runs in kiosk (lockdown) mode, as on a public terminal. It reports
  * crashes: unhandled exceptions that end the app (goal 0),
  * errors the app caught itself and logged on the ``kiosk`` logger (goal 0: each is a
    visitor sent home unexpectedly),
  * exits: the app stopping without an exception (in kiosk mode a visitor must never be
    able to make it stop; a crash or exit is followed by a fresh app so the soak goes on),
  * resident memory growth from the end of warm-up to the end (goal at most 2 MiB).

Usage: ``.venv/bin/python benchmarks/soak.py [--inputs 100000] [--seed 1] [--cards DIR]``
The short version in ``tests/soak/test_soak.py`` calls :func:`run_soak`.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from textual.errors import NoWidget
from textual.pilot import OutOfBounds
from textual.widgets import Button

from kiosk.app import make_app
from kiosk.compat.textual_input import HardenedInput
from kiosk.deck import bundled_cards_dir, load_deck
from kiosk.site import Site

GOAL_RSS_GROWTH_MIB = 2.0

KEYS = (
    [str(d) for d in range(10)]
    + list("abcdefghijklmnopqrstuvwxyz")
    + list("абвгдежзийклмнопрстуфхцчшщьюяєіїґ")
    + ["up", "down", "left", "right", "enter", "escape", "tab", "shift+tab", "space"]
    + ["pageup", "pagedown", "home", "end", "backspace", "delete"]
    + ["slash", "plus", "minus", "question_mark", "f1", "f12"]
    + ["ctrl+c", "ctrl+q", "ctrl+z", "ctrl+backslash", "ctrl+p", "ctrl+d", "ctrl+s"]
)
SIZES = [(20, 8), (40, 15), (80, 24), (120, 40), (200, 60), (33, 11)]

#: Relative weights of the input kinds.
WEIGHTS = {
    "key": 55,
    "tap": 20,
    "button": 15,
    "resize": 2,
    "switch": 3,
    "idle": 2,
    "time": 6,
    "hostile": 10,
}


def _load_hostile_inputs():
    import importlib.util

    path = Path(__file__).resolve().parent / "hostile_inputs.py"
    spec = importlib.util.spec_from_file_location("kiosk_hostile_inputs", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HOSTILE = _load_hostile_inputs()


class HostileTerminal:
    """Hostile bytes read as the kiosk's terminal driver reads them, into the app.

    Time for the input layer is a fake clock that jumps past every open time limit
    after each input, so that unterminated sequences and pastes close at once.
    """

    def __init__(self) -> None:
        self.now = 0.0
        self.pipeline = HardenedInput(clock=lambda: self.now)

    async def send(self, pilot, data: bytes) -> None:
        self.now += 5.0  # the token bucket refills; no backlog without a real driver
        events_out = self.pipeline.feed(data)
        self.now += 5.0
        events_out.extend(self.pipeline.tick())
        for event in events_out:
            pilot.app.post_message(event)
        await pilot.pause()


class ErrorCounter(logging.Handler):
    """Counts errors the app caught and logged itself (it sends the visitor home).

    Each record is formatted at once and only the text is kept: a record's ``exc_info``
    holds the traceback and, through its frames, whole widget trees, which would make
    the soak's own bookkeeping look like a leak in the app.
    """

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(self.format(record))


class FakeClock:
    """A monotonic clock in seconds that only moves when told to.

    Callable (``clock()``), like ``time.monotonic``; ``monotonic()`` and ``time()`` too,
    so it fits the common shapes of an injectable clock.
    """

    def __init__(self, start: float = 1_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class SoakReport:
    inputs: int = 0
    crashes: int = 0
    handled_errors: int = 0
    exits: int = 0
    crash_traces: list[str] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)
    rss_after_warmup_kib: int = 0
    rss_end_kib: int = 0
    seconds: float = 0.0
    fake_clock: bool = False

    @property
    def rss_growth_mib(self) -> float:
        return (self.rss_end_kib - self.rss_after_warmup_kib) / 1024


@contextmanager
def quickened_pilot(granularity: float = 0.002) -> Iterator[None]:
    """Make Pilot's idle detection poll every ``granularity`` s instead of every 20 ms.

    Pilot waits for "CPU idle" after each input by sleeping in steps of
    ``textual._wait.SLEEP_GRANULARITY`` (20 ms, two or more steps per key), which would
    make 100,000 inputs take hours. The soak only needs each input handled before the
    next, so it polls faster. (A Textual internal: the one private name the soak uses.)
    """
    import textual._wait as wait

    saved = wait.SLEEP_GRANULARITY, wait.SLEEP_IDLE
    wait.SLEEP_GRANULARITY, wait.SLEEP_IDLE = granularity, granularity / 10
    try:
        yield
    finally:
        wait.SLEEP_GRANULARITY, wait.SLEEP_IDLE = saved


def rss_kib() -> int:
    """Resident set size of this process now, from /proc/self/statm."""
    with open("/proc/self/statm") as statm:
        resident_pages = int(statm.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") // 1024


class Census:
    """Live objects by type and how full the bounded caches are, for a progress line.

    Called every 1,000 inputs with ``--census``: after a full collection it counts the
    live objects by type (printing the types that grew most since the last call), and
    sums the entries and bounds of Textual's ``LRUCache``/``FIFOCache`` objects and of
    every ``functools.lru_cache`` in the process. Growth that stops when the caches are
    full is the caches filling; growth in our own types, or past full caches, is a leak.
    """

    def __init__(self) -> None:
        self.last: Counter = Counter()

    def line(self) -> str:
        import functools

        from textual.cache import FIFOCache, LRUCache

        gc.collect()
        counts: Counter = Counter()
        textual_len = textual_max = 0
        lru_len = lru_max = 0
        lru_unbounded = 0
        for obj in gc.get_objects():
            kind = type(obj)
            counts[kind.__module__ + "." + kind.__qualname__] += 1
            if kind is LRUCache or kind is FIFOCache:
                textual_len += len(obj)
                textual_max += obj._maxsize
            elif kind is functools._lru_cache_wrapper:
                info = obj.cache_info()
                if info.maxsize is None:
                    lru_unbounded += info.currsize
                else:
                    lru_len += info.currsize
                    lru_max += info.maxsize
        grown = (counts - self.last).most_common(6) if self.last else []
        self.last = counts
        return (
            f"    objects {sum(counts.values())}; textual caches {textual_len}/{textual_max};"
            f" lru_cache {lru_len}/{lru_max} (+{lru_unbounded} unbounded);"
            f" grew: " + ", ".join(f"{name.rsplit('.', 1)[-1]} +{n}" for name, n in grown)
        )


async def one_input(
    pilot,
    rng: random.Random,
    clock: FakeClock | None,
    site: Site,
    terminal: HostileTerminal | None = None,
) -> str:
    """Send one random input to the running app; return its kind."""
    app = pilot.app
    kind = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
    if kind == "hostile":
        terminal = terminal or HostileTerminal()
        _name, data = HOSTILE.hostile(rng)
        await terminal.send(pilot, data)
    elif kind == "key":
        await pilot.press(rng.choice(KEYS))
    elif kind == "tap":
        width, height = app.size
        try:
            await pilot.click(offset=(rng.randrange(width), rng.randrange(height)))
        except (NoWidget, OutOfBounds):
            # Pilot's own refusal (the cell is not laid out yet after a resize), raised
            # before any event reaches the app: not an app failure.
            return "tap-missed"
    elif kind == "button":
        buttons = [b for b in app.screen.query(Button) if b.display and b.region.area]
        if buttons:
            try:
                await pilot.click(rng.choice(buttons))
            except (NoWidget, OutOfBounds):
                return "button-scrolled-away"  # Pilot refuses to click off-screen
        else:
            await pilot.press("enter")
    elif kind == "switch":
        # Language and text size: the home screen's buttons if shown, else the size keys.
        target = rng.choice(("#language", "#size", "plus", "minus"))
        shown = app.screen.query(target) if target.startswith("#") else None
        if shown:
            try:
                await pilot.click(target)
            except (NoWidget, OutOfBounds):
                return "button-scrolled-away"
        else:
            await pilot.press(target if not target.startswith("#") else "plus")
    elif kind == "resize":
        await pilot.resize_terminal(*rng.choice(SIZES))
    elif kind == "idle":
        if clock is not None:
            clock.advance(site.idle_timeout_seconds + 1)
            # The app's idle timer runs on real time and then consults the clock; ask
            # it now rather than wait the real 90 s (a public method of KioskApp).
            app.check_idle_reset()
        await pilot.pause()
    else:
        if clock is not None:
            clock.advance(rng.choice((1, 5, 30, 61, 299, 301)))
        await pilot.pause()
    return kind


async def run_soak(
    inputs: int,
    seed: int,
    cards: Path | None = None,
    warmup: int | None = None,
    progress: bool = False,
    census: bool = False,
    on_input: Callable[[int], None] | None = None,
) -> SoakReport:
    """Drive fresh kiosk apps with ``inputs`` random inputs; see the module docstring."""
    errors = ErrorCounter()
    kiosk_log = logging.getLogger("kiosk")
    kiosk_log.addHandler(errors)
    try:
        with quickened_pilot():
            report = await _run_soak(
                inputs, seed, cards, warmup, progress, census, errors, on_input
            )
    finally:
        kiosk_log.removeHandler(errors)
    report.handled_errors = len(errors.texts)
    report.crash_traces.extend(errors.texts)
    return report


async def _run_soak(
    inputs: int,
    seed: int,
    cards: Path | None = None,
    warmup: int | None = None,
    progress: bool = False,
    census: bool = False,
    errors: ErrorCounter | None = None,
    on_input: Callable[[int], None] | None = None,
) -> SoakReport:
    """The soak loop behind :func:`run_soak`."""
    rng = random.Random(seed)
    result = load_deck(cards or bundled_cards_dir())
    log_dir = tempfile.mkdtemp(prefix="kiosk-soak-log-")
    site = replace(Site(), kiosk=True, staff_pin="73915824", log_dir=log_dir)
    warmup = min(inputs // 10, 5000) if warmup is None else warmup
    report = SoakReport(fake_clock=True)
    counter = Census() if census else None
    started = time.monotonic()
    while report.inputs < inputs:
        clock = FakeClock()
        app = make_app(result, site, clock=clock)
        terminal = HostileTerminal()
        try:
            async with app.run_test(size=(80, 24)) as pilot:
                while report.inputs < inputs and app.is_running:
                    report.kinds[await one_input(pilot, rng, clock, site, terminal)] += 1
                    report.inputs += 1
                    if on_input is not None:
                        on_input(report.inputs)
                    if report.inputs == warmup:
                        gc.collect()
                        report.rss_after_warmup_kib = rss_kib()
                    if progress and report.inputs % 1000 == 0:
                        elapsed = time.monotonic() - started
                        print(
                            f"  {report.inputs} inputs, RSS {rss_kib() / 1024:.1f} MiB,"
                            f" {elapsed:.0f} s, crashes {report.crashes},"
                            f" logged errors {len(errors.texts) if errors else 0}",
                            flush=True,
                        )
                        if counter is not None:
                            print(counter.line(), flush=True)
            if report.inputs < inputs or not app.is_running:
                if app.return_code not in (0, None):
                    report.crashes += 1
                    report.crash_traces.append(f"return code {app.return_code}")
                elif report.inputs < inputs:
                    report.exits += 1
        except Exception:
            report.crashes += 1
            report.crash_traces.append(traceback.format_exc())
            report.inputs += 1  # the input that crashed it; never loop forever
    gc.collect()
    report.rss_end_kib = rss_kib()
    if not report.rss_after_warmup_kib:
        report.rss_after_warmup_kib = report.rss_end_kib
    report.seconds = time.monotonic() - started
    return report


def print_report(report: SoakReport, seed: int) -> None:
    print(f"Soak: {report.inputs} random inputs, seed {seed}, {report.seconds:.0f} s")
    print("  inputs by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(report.kinds.items())))
    clock = "fake clock via make_app(clock=)" if report.fake_clock else "real timers (no clock=)"
    print(f"  time: {clock}")
    print(f"{'figure':<34}{'value':>10}  goal")
    print(f"{'crashes (unhandled exceptions)':<34}{report.crashes:>10}  0")
    print(f"{'errors caught and logged by app':<34}{report.handled_errors:>10}  0")
    print(f"{'exits without the staff PIN':<34}{report.exits:>10}  0")
    print(f"{'RSS after warm-up MiB':<34}{report.rss_after_warmup_kib / 1024:>10.1f}")
    print(f"{'RSS at end MiB':<34}{report.rss_end_kib / 1024:>10.1f}")
    verdict = "met" if report.rss_growth_mib <= GOAL_RSS_GROWTH_MIB else "MISSED"
    print(
        f"{'RSS growth after warm-up MiB':<34}{report.rss_growth_mib:>10.2f}  "
        f"<= {GOAL_RSS_GROWTH_MIB} ({verdict})"
    )
    if report.crash_traces:
        kinds = Counter(trace.strip().splitlines()[-1] for trace in report.crash_traces)
        print("crashes and logged errors by last line:")
        for last_line, count in kinds.most_common():
            print(f"  {count:>6}  {last_line}")
        print("--- first full trace ---")
        print(report.crash_traces[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cards", type=Path, default=None, help="deck (default: bundled)")
    parser.add_argument("--warmup", type=int, default=None, help="inputs before the RSS baseline")
    parser.add_argument(
        "--census",
        action="store_true",
        help="every 1,000 inputs: live objects by type and how full the bounded caches are",
    )
    args = parser.parse_args(argv)
    report = asyncio.run(
        run_soak(args.inputs, args.seed, args.cards, args.warmup, progress=True, census=args.census)
    )
    print_report(report, args.seed)
    return 1 if report.crashes or report.handled_errors or report.exits else 0


if __name__ == "__main__":
    sys.exit(main())
