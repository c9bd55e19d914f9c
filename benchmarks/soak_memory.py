"""Where does the soak's memory go? tracemalloc, live objects and caches over a window.

Runs :func:`soak.run_soak` (same seed, same inputs as ``soak.py``). From ``--warmup``
inputs tracemalloc runs; at ``--first`` and ``--second`` it takes a snapshot, counts live
objects by type and reads how full every bounded cache is (Textual's ``LRUCache`` and
``FIFOCache`` by owning attribute, every ``functools.lru_cache`` by name). It prints the
allocation sites (by traceback) that grew most between the two, the types whose live count
grew, and every cache that grew, with its bound. Then, with tracemalloc stopped, at each
``--clear-at`` input it counts allocated blocks and gc-tracked objects, empties every
bounded cache and counts again: if the counts with the caches empty do not grow from one
such point to the next, the growth was the caches filling, not objects kept alive.

Usage: ``.venv/bin/python benchmarks/soak_memory.py --seed 1 --warmup 1500 --first 1700
--second 2200 --clear-at 2200 3500``  (tracemalloc makes each input about 8 times slower)
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import sys
import tracemalloc
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from soak import rss_kib, run_soak  # noqa: E402


def live_types() -> Counter:
    counts: Counter = Counter()
    for obj in gc.get_objects():
        kind = type(obj)
        counts[f"{kind.__module__}.{kind.__qualname__}"] += 1
    return counts


def cache_fill() -> dict[str, tuple[int, int]]:
    """Entries and bound of every bounded cache, keyed by where it lives.

    ``functools.lru_cache`` wrappers by qualified name; Textual's ``LRUCache`` and
    ``FIFOCache`` summed by the class and attribute that hold them (one pass over the
    live objects' ``__dict__`` and ``__slots__``).
    """
    from textual.cache import FIFOCache, LRUCache

    fill: dict[str, list[int]] = {}
    slots_of: dict[type, tuple[str, ...]] = {}
    for obj in gc.get_objects():
        kind = type(obj)
        if kind is functools._lru_cache_wrapper:
            info = obj.cache_info()
            name = f"lru_cache {getattr(obj, '__module__', '?')}.{obj.__qualname__}"
            entry = fill.setdefault(name, [0, 0])
            entry[0] += info.currsize
            entry[1] += info.maxsize or 0
            continue
        if kind not in slots_of:
            slots_of[kind] = tuple(
                slot for klass in kind.__mro__ for slot in getattr(klass, "__slots__", ())
            )
        attributes = list(getattr(obj, "__dict__", {}).items()) if hasattr(obj, "__dict__") else []
        attributes += [(slot, getattr(obj, slot, None)) for slot in slots_of[kind]]
        for attribute, value in attributes:
            if type(value) is LRUCache or type(value) is FIFOCache:
                name = f"{type(value).__name__} {kind.__name__}.{attribute}"
                entry = fill.setdefault(name, [0, 0])
                entry[0] += len(value)
                entry[1] += value._maxsize
    return {name: (n, bound) for name, (n, bound) in fill.items()}


def clear_caches() -> int:
    """Empty every bounded cache (functools and Textual's); return how many entries went."""
    from textual.cache import FIFOCache, LRUCache

    dropped = 0
    for obj in gc.get_objects():
        kind = type(obj)
        if kind is functools._lru_cache_wrapper:
            info = obj.cache_info()
            if info.maxsize is not None:
                dropped += info.currsize
                obj.cache_clear()
        elif kind is LRUCache or kind is FIFOCache:
            dropped += len(obj)
            obj.clear()
    gc.collect()
    return dropped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=1500, help="start tracemalloc here")
    parser.add_argument("--first", type=int, default=1800, help="0: no tracemalloc")
    parser.add_argument("--second", type=int, default=2500)
    parser.add_argument("--frames", type=int, default=8)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--clear-at",
        type=int,
        nargs="*",
        default=[2500, 4000],
        help="after the snapshots (tracemalloc stopped): at these inputs, count live"
        " allocations, empty every bounded cache and count again",
    )
    args = parser.parse_args(argv)
    state: dict[str, object] = {}
    cleared: list[tuple[int, int, int, int, int]] = []

    tracing = args.first > 0

    def on_input(n: int) -> None:
        if tracing and n == args.warmup:
            gc.collect()
            tracemalloc.start(args.frames)
            print(f"{n} inputs: tracemalloc started, RSS {rss_kib() / 1024:.1f} MiB", flush=True)
        if tracing and n in (args.first, args.second):
            gc.collect()
            label = "first" if n == args.first else "second"
            state[label] = (tracemalloc.take_snapshot(), live_types(), cache_fill(), rss_kib())
            traced = tracemalloc.get_traced_memory()[0] / 1024 / 1024
            print(
                f"{n} inputs: {label} snapshot, RSS {rss_kib() / 1024:.1f} MiB,"
                f" traced {traced:.2f} MiB",
                flush=True,
            )
            if label == "second":
                tracemalloc.stop()
        if n in args.clear_at:
            gc.collect()
            blocks, objects = sys.getallocatedblocks(), len(gc.get_objects())
            entries = clear_caches()
            row = (n, blocks, objects, sys.getallocatedblocks(), len(gc.get_objects()))
            cleared.append(row)
            types_now = live_types()
            if "types_cleared" in state:
                grown = (types_now - state["types_cleared"]).most_common(12)
                shrunk = (state["types_cleared"] - types_now).most_common(6)
                print(
                    "  live types with the caches empty, grown since the last point: "
                    + ", ".join(f"{name} +{k}" for name, k in grown)
                )
                print("  ... and shrunk: " + ", ".join(f"{name} -{k}" for name, k in shrunk))
            state["types_cleared"] = types_now
            print(
                f"{n} inputs: RSS {rss_kib() / 1024:.1f} MiB, {blocks} blocks, {objects} objects;"
                f" {entries} cache entries emptied: {row[3]} blocks, {row[4]} objects",
                flush=True,
            )
        elif n % (250 if tracing else 1000) == 0:
            print(f"{n} inputs, RSS {rss_kib() / 1024:.1f} MiB", flush=True)

    inputs = max([args.second if tracing else 0, *args.clear_at])
    report = asyncio.run(run_soak(inputs, args.seed, warmup=args.warmup, on_input=on_input))
    print(f"crashes {report.crashes}, logged errors {report.handled_errors}")
    for (n0, _, _, b0, o0), (n1, _, _, b1, o1) in zip(cleared, cleared[1:]):
        print(
            f"with every bounded cache empty: {b1 - b0:+d} allocated blocks,"
            f" {o1 - o0:+d} gc-tracked objects from input {n0} to {n1}"
        )
    if not tracing:
        return 0
    snap1, types1, caches1, rss1 = state["first"]
    snap2, types2, caches2, rss2 = state["second"]
    print(f"\nRSS {rss1 / 1024:.1f} -> {rss2 / 1024:.1f} MiB ({(rss2 - rss1) / 1024:+.2f})")
    filtered = [tracemalloc.Filter(False, tracemalloc.__file__)]
    stats = snap2.filter_traces(filtered).compare_to(snap1.filter_traces(filtered), "traceback")
    total = sum(stat.size_diff for stat in stats)
    print(f"traced growth between snapshots: {total / 1024:+.1f} KiB")
    print(f"\n--- top {args.top} allocation sites by growth (traceback) ---")
    for stat in stats[: args.top]:
        print(f"{stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+7d} blocks")
        for line in stat.traceback.format(limit=args.frames)[-2 * min(6, args.frames) :]:
            print("      " + line)
    print("\n--- by file:line (last frame) ---")
    for stat in snap2.filter_traces(filtered).compare_to(snap1.filter_traces(filtered), "lineno")[
        : args.top
    ]:
        print(f"{stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+7d}  {stat.traceback[0]}")
    print("\n--- live objects by type: grew most ---")
    for name, n in (types2 - types1).most_common(args.top):
        print(f"  {n:+7d}  {name}  (now {types2[name]})")
    print("\n--- bounded caches that grew (entries now / bound) ---")
    for name, (n, bound) in sorted(caches2.items(), key=lambda kv: -kv[1][0]):
        before = caches1.get(name, (0, 0))[0]
        if n != before:
            print(f"  {n - before:+7d}  {n:>6}/{bound:<7}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
