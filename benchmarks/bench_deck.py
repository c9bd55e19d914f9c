"""Benchmark: loading and checking a deck versus bare TOML parsing, and search per keystroke.

    python benchmarks/bench_deck.py [--sizes 100,1000,10000] [--runs 5] [--profile]

For each size it generates a valid deck in a temporary directory and times
(a) the baseline, bare ``tomllib``/``tomli``: ``deck.toml`` and every card
file, each read in binary mode, decoded as UTF-8 and parsed (exactly what
``tomllib.load`` does; the loader reads and decodes the same way), each
result dropped at once, nothing else; and (b) ``load_deck`` on the same
directory, whose result is dropped only after the clock stops. Runs are interleaved, in alternating
order (a b, b a, ...), each after a ``gc.collect()`` with no earlier deck kept
alive, so both see the same machine and the same heap. It prints the median
and best CPU times, the ratio of the medians (target: at most 1.3), of the
best runs, and the median of the per-round ratios (each load divided by the
parse run next to it: the steadiest figure on a busy machine, since both
halves of a pair see the same load), and the time per card (should stay flat
as the deck grows: linear). At the largest size it then types a set of
queries letter by letter into ``SearchIndex`` (two of them misspelt, which
takes the one-slip path) and prints the median and worst time per keystroke,
wall and CPU (target: at most 5 ms). ``--profile`` prints a cProfile of
one ``load_deck`` at the largest size. This is a script that prints figures,
not a test: it never fails on a slow machine.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
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
    # Misspelt: no card holds them, so each keystroke from the fifth letter on is
    # matched with one slip (the slowest path).
    "strech the calff",
    "zzzzzzzz",
)


def parse_only(cards_dir: Path) -> int:
    """The baseline: every file ``load_deck`` parses, read and parsed as ``tomllib.load`` does."""
    with open(cards_dir / "deck.toml", "rb") as file:
        toml.loads(file.read().decode("utf-8"))
    count = 0
    for language in sorted(os.listdir(cards_dir)):
        directory = cards_dir / language
        if language.startswith((".", "_")) or not directory.is_dir():
            continue
        for name in sorted(os.listdir(directory)):
            with open(directory / name, "rb") as file:
                toml.loads(file.read().decode("utf-8"))
            count += 1
    return count


def cpu_seconds(function: Callable[[], object]) -> float:
    """CPU time of one call, on a collected heap; freeing its result is not timed."""
    gc.collect()
    start = time.process_time()
    result = function()
    elapsed = time.process_time() - start
    del result
    return elapsed


def paired_times(
    first: Callable[[], object], second: Callable[[], object], runs: int
) -> tuple[list[float], list[float]]:
    """CPU times of each function, interleaved in alternating order so both see the same load.

    CPU time (not wall time) keeps other processes on a shared machine out of
    the figures; reading files is included (system time counts).
    """
    first()  # warm the page cache and the interpreter
    second()
    times: tuple[list[float], list[float]] = ([], [])
    for run in range(runs):
        order = (0, 1) if run % 2 == 0 else (1, 0)
        for which in order:
            times[which].append(cpu_seconds((first, second)[which]))
    return times


def bench_load(size: int, runs: int, profile: bool) -> Path:
    directory = Path(tempfile.mkdtemp(prefix=f"kiosk-bench-{size}-"))
    write_deck(directory, size)
    problems = load_deck(directory).problems
    assert not problems, problems[:3]
    assert parse_only(directory) == size
    parses, loads = paired_times(lambda: parse_only(directory), lambda: load_deck(directory), runs)
    parse, load = statistics.median(parses), statistics.median(loads)
    best_parse, best_load = min(parses), min(loads)
    paired = statistics.median(one / other for other, one in zip(parses, loads))
    print(
        f"{size:>6} cards: parse median {parse * 1000:7.1f} ms best {best_parse * 1000:7.1f} ms"
        f" | load_deck median {load * 1000:7.1f} ms best {best_load * 1000:7.1f} ms"
        f" | ratio median {load / parse:4.2f} best {best_load / best_parse:4.2f}"
        f" paired {paired:4.2f}"
        f" | per card: parse {parse / size * 1000:5.3f} ms, load {load / size * 1000:5.3f} ms"
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
    keystrokes, keystrokes_cpu = [], []
    for query in QUERIES:
        for end in range(1, len(query) + 1):
            start, start_cpu = time.perf_counter(), time.process_time()
            index.search(query[:end])
            keystrokes_cpu.append(time.process_time() - start_cpu)
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
        f" whole query on a fresh index worst {max(cold) * 1000:.3f} ms;"
        # CPU time leaves out the other processes of a shared machine, as the load figures do.
        f" CPU per keystroke median {statistics.median(keystrokes_cpu) * 1000:.3f} ms,"
        f" worst {max(keystrokes_cpu) * 1000:.3f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print(
        f"Python {sys.version.split()[0]}, parser {toml.loads.__module__};"
        f" {args.runs} runs per size; load average {_load_average()}"
    )
    directories = []
    for size in sizes:
        directories.append(bench_load(size, args.runs, args.profile and size == sizes[-1]))
    if directories:
        bench_search(directories[-1])
    print(f"load average at the end {_load_average()}")
    for directory in directories:
        shutil.rmtree(directory, ignore_errors=True)


def _load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
