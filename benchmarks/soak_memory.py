"""Where does the soak's memory go? tracemalloc and live objects over a window.

Runs :func:`soak.run_soak` (same seed, same inputs) and, after ``--warmup`` inputs,
starts tracemalloc; at ``--first`` and ``--second`` inputs it takes a snapshot, counts
live objects by type and reads how full the bounded caches are. It prints the
allocation sites (by traceback) that grew most between the two snapshots, the types
whose live count grew, and every cache that grew, with its bound.

Usage: ``.venv/bin/python benchmarks/soak_memory.py --seed 1 --warmup 1500 --first 2500
--second 4500``
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
    ``FIFOCache`` summed by the attribute that holds them (found through gc referrers).
    """
    from textual.cache import FIFOCache, LRUCache

    fill: dict[str, list[int]] = {}
    for obj in gc.get_objects():
        kind = type(obj)
        if kind is functools._lru_cache_wrapper:
            info = obj.cache_info()
            name = f"lru_cache {getattr(obj, '__module__', '?')}.{obj.__qualname__}"
            entry = fill.setdefault(name, [0, 0])
            entry[0] += info.currsize
            entry[1] += info.maxsize or 0
        elif kind is LRUCache or kind is FIFOCache:
            where = "?"
            for referrer in gc.get_referrers(obj):
                if isinstance(referrer, dict):
                    for key, value in referrer.items():
                        if value is obj:
                            where = str(key)
                            break
                elif hasattr(referrer, "__slots__"):
                    for slot in getattr(type(referrer), "__slots__", ()):
                        if getattr(referrer, slot, None) is obj:
                            where = f"{type(referrer).__name__}.{slot}"
                if where != "?":
                    break
            name = f"{kind.__name__} {where}"
            entry = fill.setdefault(name, [0, 0])
            entry[0] += len(obj)
            entry[1] += obj._maxsize
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
    parser.add_argument("--warmup", type=int, default=1500)
    parser.add_argument("--first", type=int, default=2500)
    parser.add_argument("--second", type=int, default=4500)
    parser.add_argument("--frames", type=int, default=12)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--clear-caches",
        action="store_true",
        help="after the second snapshot, empty every bounded cache and snapshot again",
    )
    args = parser.parse_args(argv)
    state: dict[str, object] = {}

    def on_input(n: int) -> None:
        if n == args.warmup:
            gc.collect()
            tracemalloc.start(args.frames)
            print(f"{n} inputs: tracemalloc started, RSS {rss_kib() / 1024:.1f} MiB", flush=True)
        elif n in (args.first, args.second):
            gc.collect()
            label = "first" if n == args.first else "second"
            state[label] = (tracemalloc.take_snapshot(), live_types(), cache_fill(), rss_kib())
            traced = tracemalloc.get_traced_memory()[0] / 1024 / 1024
            print(
                f"{n} inputs: {label} snapshot, RSS {rss_kib() / 1024:.1f} MiB,"
                f" traced {traced:.2f} MiB, blocks {sys.getallocatedblocks()}",
                flush=True,
            )
            if args.clear_caches:
                state[f"cleared_{label}"] = clear_caches()
                state[f"after_clear_{label}"] = tracemalloc.take_snapshot()
                traced = tracemalloc.get_traced_memory()[0] / 1024 / 1024
                print(
                    f"  caches emptied ({state[f'cleared_{label}']} entries):"
                    f" traced {traced:.2f} MiB, blocks {sys.getallocatedblocks()}",
                    flush=True,
                )
        elif n % 500 == 0:
            print(f"{n} inputs, RSS {rss_kib() / 1024:.1f} MiB", flush=True)

    report = asyncio.run(run_soak(args.second, args.seed, warmup=args.warmup, on_input=on_input))
    print(f"crashes {report.crashes}, logged errors {report.handled_errors}")
    if args.clear_caches:
        before, after = state["after_clear_first"], state["after_clear_second"]
        print(
            f"\n--- every bounded cache emptied at both snapshots"
            f" ({state['cleared_first']} and {state['cleared_second']} entries) ---"
        )
        residual = after.compare_to(before, "traceback")
        grown = sum(stat.size_diff for stat in residual) / 1024
        print(f"traced growth with the caches empty: {grown:+.1f} KiB")
        for stat in residual[:10]:
            print(f"{stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+7d} blocks")
            for line in stat.traceback.format(limit=args.frames)[-8:]:
                print("      " + line)
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
