"""Start-up benchmark: cold process start to the first painted home screen, and peak memory.

Each run is a fresh Python process (``paint_probe.py``) that builds the app as its real
entry point would, runs it headless and reports the moment its first screen is painted.
The kiosk is compared with a bare Textual app painting one widget (``bare_app.py``),
measured in the same run and interleaved with it, since absolute times on shared
machines drift. Peak RSS comes from ``os.wait4`` on each child (its own ``ru_maxrss``).

Goals (issue 6): start-up at most 1.25x the bare app; peak RSS at most 1.25x.

Usage: ``.venv/bin/python benchmarks/bench_startup.py [--runs 7] [--cards DIR]``
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
GOAL_RATIO = 1.25


@dataclass
class Run:
    seconds_to_paint: float
    peak_rss_kib: int
    cpu_seconds: float  # user + system time of the whole child, steadier on a busy machine


def run_once(which: str, cards: Path | None) -> Run:
    """Launch one fresh child and time it from just before ``exec`` to its first paint."""
    command = [sys.executable, str(PROBE), which]
    if cards is not None:
        command += ["--cards", str(cards)]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
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
    painted = [line for line in out.decode().splitlines() if line.startswith("PAINTED ")]
    if child.returncode != 0 or not painted:
        raise RuntimeError(f"{which} probe failed ({child.returncode}): {err.decode()[-2000:]}")
    return Run(
        float(painted[-1].split()[1]) - started,
        usage.ru_maxrss,
        usage.ru_utime + usage.ru_stime,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each app (median taken)")
    parser.add_argument("--cards", type=Path, default=None, help="deck (default: bundled)")
    args = parser.parse_args(argv)

    # Byte-code as a set-up leaves it (scripts/ensure_venv.sh compiles the kiosk package;
    # Textual's was compiled by pip). The children never write byte-code themselves.
    compileall.compile_dir(KIOSK_PACKAGE, quiet=1)
    compileall.compile_file(HERE / "bare_app.py", quiet=1)
    for which in ("bare", "kiosk"):  # warm the page cache first
        run_once(which, args.cards)
    runs: dict[str, list[Run]] = {"bare": [], "kiosk": []}
    for _ in range(args.runs):
        for which in runs:
            runs[which].append(run_once(which, args.cards))

    def median_ms(which: str) -> float:
        return statistics.median(r.seconds_to_paint for r in runs[which]) * 1000

    def peak_mib(which: str) -> float:
        return statistics.median(r.peak_rss_kib for r in runs[which]) / 1024

    def cpu_ms(which: str) -> float:
        return statistics.median(r.cpu_seconds for r in runs[which]) * 1000

    time_ratio = median_ms("kiosk") / median_ms("bare")
    cpu_ratio = cpu_ms("kiosk") / cpu_ms("bare")
    rss_ratio = peak_mib("kiosk") / peak_mib("bare")
    print(f"Start-up to first painted screen, headless 80x24, {args.runs} runs each (median)")
    print(f"{'app':<8}{'median ms':>11}{'min ms':>9}{'max ms':>9}{'CPU ms':>9}{'peak RSS MiB':>14}")
    for which in runs:
        times = [r.seconds_to_paint * 1000 for r in runs[which]]
        print(
            f"{which:<8}{median_ms(which):>11.0f}{min(times):>9.0f}{max(times):>9.0f}"
            f"{cpu_ms(which):>9.0f}{peak_mib(which):>14.1f}"
        )
    verdict_time = "met" if time_ratio <= GOAL_RATIO else "MISSED"
    verdict_rss = "met" if rss_ratio <= GOAL_RATIO else "MISSED"
    print(f"start-up ratio kiosk/bare: {time_ratio:.2f}x (goal <= {GOAL_RATIO}x: {verdict_time})")
    best_ratio = min(r.seconds_to_paint for r in runs["kiosk"]) / min(
        r.seconds_to_paint for r in runs["bare"]
    )
    print(f"best-run ratio kiosk/bare (fastest of each, less load noise): {best_ratio:.2f}x")
    print(f"process CPU ratio kiosk/bare (whole run, same goal): {cpu_ratio:.2f}x")
    print(f"peak RSS ratio kiosk/bare: {rss_ratio:.2f}x (goal <= {GOAL_RATIO}x: {verdict_rss})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
