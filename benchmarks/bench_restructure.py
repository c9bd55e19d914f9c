"""Issue 19's two goals, measured side by side in one run (public API only).

1. Start-up to the first painted home screen: the kiosk on the bundled deck (9 tiles)
   against a plain Textual app with the same widgets, sheets and breakpoints
   (``same_tree_app.py``, 9 tiles), fresh processes,
   interleaved (``bench_startup.run_once``). Goal: at most 1.1x.
2. A tap to the next card step in a real terminal: tmux panes (80x24) run the kiosk on the
   UI fixture deck and a bare Textual app whose button updates one Static
   (``bare_tap_app.py``); a tap is the SGR mouse press and release a touch terminal
   sends, and the time runs until ``tmux capture-pane`` shows the new text. Taps
   alternate between the two apps. Goal: at most 1.2x.

Prints medians and ratios. Usage:
``.venv/bin/python benchmarks/bench_restructure.py [--runs 7] [--taps 20]``
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from bench_startup import run_once  # noqa: E402

FIXTURE_CARDS = REPO / "tests" / "app" / "fixtures" / "cards"
SOCKET = f"kiosk-bench-{os.getpid()}"


def tmux(*args: str) -> str:
    command = ["tmux", "-L", SOCKET, "-f", "/dev/null", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=20).stdout


def capture(pane: str) -> str:
    return tmux("capture-pane", "-p", "-t", pane)


def wait_for(pane: str, text: str, timeout: float = 30.0) -> float:
    """Poll the pane until it shows ``text``; the monotonic time it was first seen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in capture(pane):
            return time.monotonic()
    raise RuntimeError(f"{pane}: {text!r} never showed:\n{capture(pane)}")


def tap(pane: str, text: str) -> float:
    """Tap the middle of the first place showing ``text``; the moment the bytes went."""
    for row, line in enumerate(capture(pane).splitlines(), start=1):
        column = line.find(text)
        if column >= 0:
            x, y = column + 1 + len(text) // 2, row
            sent = time.monotonic()
            tmux("send-keys", "-t", pane, "-l", f"\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m")
            return sent
    raise RuntimeError(f"{pane}: nothing shows {text!r}:\n{capture(pane)}")


def start(name: str, command: str) -> str:
    tmux("new-session", "-d", "-s", name, "-x", "80", "-y", "24", command)
    return f"{name}:0.0"


def measure_taps(taps: int) -> tuple[list[float], list[float]]:
    python = shlex.quote(sys.executable)
    env = f"env KIOSK_LOG_DIR={shlex.quote(str(Path('/tmp') / SOCKET))}"
    kiosk = start("kiosk", f"{env} {python} -m kiosk run --cards {shlex.quote(str(FIXTURE_CARDS))}")
    bare = start("bare", f"{python} {shlex.quote(str(HERE / 'bare_tap_app.py'))}")
    wait_for(kiosk, "1 Seizure")
    wait_for(bare, "Next")
    tap(kiosk, "1 Seizure")
    wait_for(kiosk, "Step 1 of 3")
    kiosk_times: list[float] = []
    bare_times: list[float] = []
    bare_step = 1
    for n in range(taps):
        time.sleep(0.3)  # a button ignores a second tap during its 0.2 s press effect
        target, label = ("Step 2 of 3", "Next ▶") if n % 2 == 0 else ("Step 1 of 3", "◀ Back")
        sent = tap(kiosk, label)
        kiosk_times.append(wait_for(kiosk, target) - sent)
        time.sleep(0.3)
        bare_step += 1
        sent = tap(bare, "Next")
        bare_times.append(wait_for(bare, f"Step {bare_step}") - sent)
    return kiosk_times, bare_times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="start-ups of each app")
    parser.add_argument("--taps", type=int, default=20, help="taps on each app")
    args = parser.parse_args(argv)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    for which in ("same-tree", "kiosk"):  # warm the page cache
        run_once(which, None)
    starts: dict[str, list[float]] = {"same-tree": [], "kiosk": []}
    cpu: dict[str, list[float]] = {"same-tree": [], "kiosk": []}
    for _ in range(args.runs):
        for which in ("same-tree", "kiosk"):
            run = run_once(which, None)
            starts[which].append(run.seconds_to_paint)
            cpu[which].append(run.cpu_seconds)

    try:
        kiosk_taps, bare_taps = measure_taps(args.taps)
    finally:
        tmux("kill-server")

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:8.1f}"

    print(f"\nStart-up to the first painted home screen, headless 80x24, {args.runs} runs")
    print(f"{'app':<12}{'median ms':>10}{'cpu ms':>10}")
    for which in ("same-tree", "kiosk"):
        print(f"{which:<12}{ms(starts[which]):>10}{ms(cpu[which]):>10}")
    ratio = statistics.median(starts["kiosk"]) / statistics.median(starts["same-tree"])
    cpu_ratio = statistics.median(cpu["kiosk"]) / statistics.median(cpu["same-tree"])
    print(f"start-up ratio kiosk/same-tree: {ratio:.2f}x wall, {cpu_ratio:.2f}x CPU (goal <= 1.1x)")

    print(f"\nTap to the next step in tmux, 80x24, {args.taps} taps each (medians)")
    print(f"{'kiosk card step':<22}{ms(kiosk_taps)} ms")
    print(f"{'bare Static update':<22}{ms(bare_taps)} ms")
    tap_ratio = statistics.median(kiosk_taps) / statistics.median(bare_taps)
    print(f"tap ratio kiosk/bare: {tap_ratio:.2f}x (goal <= 1.2x)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
