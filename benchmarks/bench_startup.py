"""Start-up benchmark: cold process start to the first painted home screen, and peak memory.

Each run is a fresh Python process (``paint_probe.py``) that builds the app as its real
entry point would, runs it headless and reports the moment its first screen is painted.
Three apps are interleaved run by run, since absolute times on shared machines drift:

- ``kiosk``: the kiosk on the bundled deck (or ``--cards``);
- ``same-tree``: a plain Textual app with the home screen's widgets, sheets and
  breakpoints and no kiosk code (``same_tree_app.py``). Issue 19's goal: the kiosk at
  most 1.1x this app, wall and process CPU;
- ``same-tree-9`` (``--nine-tiles``): the same-tree app as it was until 2026-12-01, the
  home screen at 9 cards (the bundled deck has 17 since), for comparison with older figures;
- ``bare``: a bare Textual app painting one widget (``bare_app.py``). Issue 6's goals:
  start-up and peak RSS at most 1.25x this app.

``--before DIR`` adds ``kiosk-before``: the kiosk of another checkout (for example a
``git worktree`` of main), started by that checkout's own ``paint_probe.py`` with ``DIR``
first on ``PYTHONPATH``, so a change is measured before and after in the same run.
Peak RSS comes from ``os.wait4`` on each child (its own ``ru_maxrss``); CPU is the
child's own ``time.process_time()`` at the paint (interpreter start included; not what the
kiosk does after it, such as the rest of a staged deck load, whose completion is reported
as "whole deck" ms).

The kiosk starts as ``kiosk run`` does, with its deck cache (``kiosk.deck.cache``) in a
folder of the run's own that the warm-up run fills; ``--no-deck-cache`` measures the staged
load alone (every start reads the card files).

Usage: ``.venv/bin/python benchmarks/bench_startup.py [--runs 7] [--cards DIR] [--before DIR]
[--nine-tiles] [--no-deck-cache]``
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
KIOSK_PACKAGE = HERE.parent / "kiosk"
PROBE = HERE / "paint_probe.py"
GOAL_RATIO = 1.25  # issue 6, against the bare app
SAME_TREE_GOAL = 1.1  # issue 19, against the same-tree app


@dataclass
class Run:
    seconds_to_paint: float
    peak_rss_kib: int
    cpu_seconds: float  # the child's CPU time up to the paint, steadier on a busy machine
    seconds_to_whole_deck: float | None = None  # the kiosk's staged deck load complete


def run_once(
    which: str, cards: Path | None, tree: Path | None = None, deck_cache: Path | None = None
) -> Run:
    """Launch one fresh child and time it from just before ``exec`` to its first paint.

    ``tree``: another checkout whose kiosk to run instead of this one's (with this probe,
    which falls back to the loading of a kiosk from before issue 19's staged load).
    """
    command = [sys.executable, str(PROBE), which]
    if cards is not None:
        command += ["--cards", str(cards)]
    if deck_cache is not None and which == "kiosk":
        command += ["--deck-cache", str(deck_cache)]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    if tree is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tree), env.get("PYTHONPATH")]))
    with tempfile.TemporaryFile() as err_file:
        started = time.monotonic()
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err_file, env=env)
        assert child.stdout is not None
        out = child.stdout.read()
        child.stdout.close()
        # Reap the child ourselves: wait4 gives this child's own peak RSS.
        _pid, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        err_file.seek(0)
        err = err_file.read()
    lines = out.decode().splitlines()
    painted = [line.split() for line in lines if line.startswith("PAINTED ")]
    whole = [line.split() for line in lines if line.startswith("WHOLE ")]
    if child.returncode != 0 or not painted:
        raise RuntimeError(f"{which} probe failed ({child.returncode}): {err.decode()[-2000:]}")
    return Run(
        float(painted[-1][1]) - started,
        usage.ru_maxrss,
        float(painted[-1][2]),
        float(whole[-1][1]) - started if whole else None,
    )


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each app (median taken)")
    parser.add_argument("--cards", type=Path, default=None, help="deck (default: bundled)")
    parser.add_argument(
        "--before", type=Path, default=None, help="another checkout to run as kiosk-before"
    )
    parser.add_argument(
        "--nine-tiles",
        action="store_true",
        help="also run same-tree-9, the mirror of the home screen at 9 cards used before",
    )
    parser.add_argument(
        "--no-deck-cache",
        action="store_true",
        help="start the kiosk without its deck cache (the staged load every time)",
    )
    args = parser.parse_args(argv)
    print(f"load average before: {load_average()}")
    # As kiosk run starts: with the deck cache (in a folder of this run's own; the warm-up
    # run writes it, as the kiosk's first start on a machine would).
    cache_folder = tempfile.TemporaryDirectory(prefix="kiosk-bench-cache-")
    deck_cache = None if args.no_deck_cache else Path(cache_folder.name)

    # Byte-code as a set-up leaves it (scripts/ensure_venv.sh compiles the kiosk package;
    # Textual's was compiled by pip). The children never write byte-code themselves.
    compileall.compile_dir(KIOSK_PACKAGE, quiet=1)
    for name in ("bare_app.py", "same_tree_app.py"):
        compileall.compile_file(HERE / name, quiet=1)
    trees: dict[str, Path | None] = {"bare": None, "same-tree": None, "kiosk": None}
    if args.nine_tiles:
        trees["same-tree-9"] = None
    if args.before is not None:
        before = args.before.resolve()
        compileall.compile_dir(before / "kiosk", quiet=1)
        trees["kiosk-before"] = before

    def probe_name(which: str) -> str:
        return "kiosk" if which.startswith("kiosk") else which

    for which, tree in trees.items():  # warm the page cache first
        run_once(probe_name(which), args.cards, tree, deck_cache)
    runs: dict[str, list[Run]] = {which: [] for which in trees}
    for _ in range(args.runs):
        for which, tree in trees.items():
            runs[which].append(run_once(probe_name(which), args.cards, tree, deck_cache))
    cache_folder.cleanup()

    def median_ms(which: str) -> float:
        return statistics.median(r.seconds_to_paint for r in runs[which]) * 1000

    def best_ms(which: str) -> float:
        return min(r.seconds_to_paint for r in runs[which]) * 1000

    def peak_mib(which: str) -> float:
        return statistics.median(r.peak_rss_kib for r in runs[which]) / 1024

    def best_cpu_ms(which: str) -> float:
        return min(r.cpu_seconds for r in runs[which]) * 1000

    def cpu_ms(which: str) -> float:
        return statistics.median(r.cpu_seconds for r in runs[which]) * 1000

    print(f"Start-up to first painted screen, headless 80x24, {args.runs} runs each (median)")
    header = f"{'app':<13}{'median ms':>10}{'min ms':>8}{'max ms':>8}{'CPU ms':>8}{'RSS MiB':>9}"
    print(f"{header}{'whole deck':>12}")
    for which in runs:
        times = [r.seconds_to_paint * 1000 for r in runs[which]]
        whole = [r.seconds_to_whole_deck for r in runs[which] if r.seconds_to_whole_deck]
        whole_text = f"{statistics.median(whole) * 1000:>12.0f}" if whole else ""
        print(
            f"{which:<13}{median_ms(which):>10.0f}{min(times):>8.0f}{max(times):>8.0f}"
            f"{cpu_ms(which):>8.0f}{peak_mib(which):>9.1f}{whole_text}"
        )

    def verdict(ratio: float, goal: float) -> str:
        return "met" if ratio <= goal else "MISSED"

    for which in [w for w in runs if w.startswith("kiosk")]:
        wall = median_ms(which) / median_ms("same-tree")
        best = best_ms(which) / best_ms("same-tree")
        cpu = cpu_ms(which) / cpu_ms("same-tree")
        best_cpu = best_cpu_ms(which) / best_cpu_ms("same-tree")
        print(
            f"{which}/same-tree: wall {wall:.2f}x ({verdict(wall, SAME_TREE_GOAL)}), "
            f"best run {best:.2f}x, CPU {cpu:.2f}x ({verdict(cpu, SAME_TREE_GOAL)}), "
            f"best CPU {best_cpu:.2f}x (goal <= {SAME_TREE_GOAL}x)"
        )
        if "same-tree-9" in runs:
            wall = median_ms(which) / median_ms("same-tree-9")
            cpu = cpu_ms(which) / cpu_ms("same-tree-9")
            print(f"{which}/same-tree-9: wall {wall:.2f}x, CPU {cpu:.2f}x (the earlier baseline)")
        wall = median_ms(which) / median_ms("bare")
        rss = peak_mib(which) / peak_mib("bare")
        cpu = cpu_ms(which) / cpu_ms("bare")
        print(
            f"{which}/bare: wall {wall:.2f}x ({verdict(wall, GOAL_RATIO)}), CPU {cpu:.2f}x, "
            f"peak RSS {rss:.2f}x ({verdict(rss, GOAL_RATIO)}) (goal <= {GOAL_RATIO}x)"
        )
    if "kiosk-before" in runs:
        wall = median_ms("kiosk") / median_ms("kiosk-before")
        cpu = cpu_ms("kiosk") / cpu_ms("kiosk-before")
        print(f"kiosk/kiosk-before: wall {wall:.2f}x, CPU {cpu:.2f}x")
    print(f"load average after: {load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
