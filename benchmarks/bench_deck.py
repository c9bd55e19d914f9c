"""Benchmark: loading and checking a deck versus bare TOML parsing, and search per keystroke.

    python benchmarks/bench_deck.py [--sizes 100,1000,10000] [--runs 5] [--profile]

For each size it generates a valid deck in a temporary directory and prints
the median CPU time of (a) listing the card files and parsing each with
``tomllib``/``tomli`` (read + parse, nothing else) and (b) ``load_deck``,
their ratio (target: at most 1.3; also the ratio of the best runs, which is
steadier on a busy machine) and the time per card (should stay flat as
the deck grows). At the largest size it then types a set of queries letter by
letter into ``SearchIndex`` and prints the median and worst time per
keystroke (target: at most 5 ms). ``--profile`` prints a cProfile of one
``load_deck`` at the largest size. This is a script that prints figures, not
a test: it never fails on a slow machine.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.gen_deck import write_deck  # noqa: E402
from kiosk.deck import load_deck, toml  # noqa: E402
from kiosk.deck.search import SearchIndex  # noqa: E402

QUERIES = (
    "cramp",
    "leg cramp",
    "hold the stretch",
    "seizure",
    "heat stroke",
    "ice pack cloth",
    "a",
    "zzzz",
    "calf muscle stretch gently",
    "child fever fit",
)


def parse_only(cards_dir: Path) -> int:
    """The baseline: list the card files and parse each one; nothing else."""
    count = 0
    for language in ("en",):
        directory = cards_dir / language
        for name in sorted(os.listdir(directory)):
            with open(directory / name, encoding="utf-8") as file:
                toml.loads(file.read())
            count += 1
    return count


def cpu_seconds(function) -> float:
    start = time.process_time()
    function()
    return time.process_time() - start


def paired_times(first, second, runs: int) -> tuple[list[float], list[float]]:
    """CPU times of each function, run alternately so both see the same machine load.

    CPU time (not wall time) keeps other processes on a shared machine out of
    the figures; reading files is included (system time counts).
    """
    first()  # warm the page cache and the interpreter
    second()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        times[0].append(cpu_seconds(first))
        times[1].append(cpu_seconds(second))
    return times


def bench_load(size: int, runs: int, profile: bool) -> Path:
    directory = Path(tempfile.mkdtemp(prefix=f"kiosk-bench-{size}-"))
    write_deck(directory, size)
    result = load_deck(directory)
    assert not result.problems, result.problems[:3]
    parses, loads = paired_times(lambda: parse_only(directory), lambda: load_deck(directory), runs)
    parse, load = statistics.median(parses), statistics.median(loads)
    print(
        f"{size:>6} cards: tomllib parse {parse * 1000:8.1f} ms   load_deck {load * 1000:8.1f} ms"
        f"   ratio {load / parse:5.2f} (best runs: {min(loads) / min(parses):4.2f})"
        f"   per card: parse {parse / size * 1e6:6.1f} us, load {load / size * 1e6:6.1f} us"
    )
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        load_deck(directory)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    return directory


def bench_search(directory: Path) -> None:
    deck = load_deck(directory).deck
    cards = deck.cards_for("en")
    start = time.perf_counter()
    index = SearchIndex(cards)
    build = time.perf_counter() - start
    keystrokes = []
    for query in QUERIES:
        for end in range(1, len(query) + 1):
            start = time.perf_counter()
            index.search(query[:end])
            keystrokes.append(time.perf_counter() - start)
        index.search("")  # the visitor clears the field
    cold = []
    for query in QUERIES:  # no previous query to narrow from
        fresh = SearchIndex(cards)
        start = time.perf_counter()
        fresh.search(query)
        cold.append(time.perf_counter() - start)
    print(
        f"search at {len(cards)} cards: index built in {build * 1000:.1f} ms;"
        f" per keystroke median {statistics.median(keystrokes) * 1000:.3f} ms,"
        f" worst {max(keystrokes) * 1000:.3f} ms over {len(keystrokes)} keystrokes;"
        f" whole query on a fresh index worst {max(cold) * 1000:.3f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"Python {sys.version.split()[0]}, parser {toml.loads.__module__}")
    directory = None
    for size in sizes:
        directory = bench_load(size, args.runs, args.profile and size == sizes[-1])
    if directory is not None:
        bench_search(directory)


if __name__ == "__main__":
    main()
