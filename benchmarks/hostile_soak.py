"""Hostile soak: the real ``kiosk --kiosk`` in tmux under seeded hostile input, for long.

Batches of hostile input from every class in ``benchmarks/hostile_inputs.py`` (with taps
mixed in) go to the kiosk's terminal as raw bytes; after each batch a health check: no
traceback on screen, the process alive and not stopped, no restart logged, the emergency
number shown, and a tap on "1 Seizure" opening the seizure card. It prints how many
inputs went in, per class, what held, the kiosk's RSS and the machine's load.

Usage: ``.venv/bin/python benchmarks/hostile_soak.py [--batches 200] [--batch 40] [--seed 1]``
The short run is ``tests/hostile/test_terminal_hostile.py``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import shlex
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SITE = 'name = "Riverside Pool"\nemergency_number = "999"\nkiosk = true\nstaff_pin = "2468"\n'


def load_hostile_inputs():
    spec = importlib.util.spec_from_file_location(
        "kiosk_hostile_inputs", Path(__file__).resolve().parent / "hostile_inputs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Pane:
    def __init__(self) -> None:
        self.socket = f"kiosk-hostile-soak-{os.getpid()}"

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout

    def capture(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "k")

    def wait_for(self, text: str, timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.capture():
                return True
            time.sleep(0.1)
        return False

    def send(self, data: bytes) -> None:
        for start in range(0, len(data), 2000):
            chunk = data[start : start + 2000]
            self.tmux("send-keys", "-t", "k", "-H", *(f"{byte:02x}" for byte in chunk))

    def tap(self, text: str) -> None:
        for row, line in enumerate(self.capture().splitlines(), start=1):
            column = line.find(text)
            if column >= 0:
                x = column + 1 + len(text) // 2
                self.send(f"\x1b[<0;{x};{row}M\x1b[<0;{x};{row}m".encode())
                return


def kiosk_pid(pane: Pane) -> int:
    shell = int(pane.tmux("display", "-p", "-t", "k", "#{pane_pid}").strip())
    children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
    return int(children[0]) if children else shell


def state_and_rss(pid: int) -> tuple[str, int]:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        status = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return "gone", 0
    rss = next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
    return state, rss


def answers(pane: Pane, action, text: str, attempts: int = 4, wait: float = 4.0) -> bool:
    """Do ``action`` until ``text`` shows (input that comes while the kiosk is still busy
    with an attack's inputs is dropped by design: a visitor presses again)."""
    for _ in range(attempts):
        action()
        if pane.wait_for(text, wait):
            return True
    return False


def health(pane: Pane, pid: int, log: Path) -> dict[str, bool]:
    time.sleep(1.2)
    state, _rss = state_and_rss(pid)
    held = {"alive and not stopped": state not in ("gone", "T", "t", "Z")}
    # Escape goes home; Home scrolls back to the first row (injected wheel events may
    # have scrolled the home screen, which is input a mouse can send too).
    held["home after Escape"] = answers(
        pane, lambda: pane.tmux("send-keys", "-t", "k", "Escape", "Home"), "1 Seizure"
    )
    screen = pane.capture()
    held["no traceback on screen"] = "Traceback" not in screen
    held["emergency number shown"] = "999" in screen
    time.sleep(0.3)
    held["a tap opens the right card"] = answers(
        pane, lambda: pane.tap("1 Seizure"), "Seizure (fit)"
    )
    answers(pane, lambda: pane.tmux("send-keys", "-t", "k", "Escape"), "1 Seizure")
    text = log.read_text(errors="replace") if log.is_file() else ""
    held["no crash or restart logged"] = "starting it again" not in text
    return held


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--batch", type=int, default=40, help="hostile inputs per batch")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    hostile = load_hostile_inputs()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="kiosk-hostile-soak-"))
    (work / "site.toml").write_text(SITE, encoding="utf-8")
    log = work / "logs" / "kiosk.log"
    pane = Pane()
    command = (
        f"cd {shlex.quote(str(REPO_ROOT))} && env KIOSK_LOG_DIR={shlex.quote(str(log.parent))} "
        f"{shlex.quote(sys.executable)} -m kiosk run --kiosk --site {work / 'site.toml'}; "
        "echo KIOSK-EXIT:$?; exec sleep 100000"
    )
    pane.tmux("new-session", "-d", "-s", "k", "-x", "80", "-y", "24", command)
    started = time.monotonic()
    classes: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    taps = 0
    try:
        if not pane.wait_for("1 Seizure", 60):
            print("the kiosk did not start:\n" + pane.capture())
            return 1
        pid = kiosk_pid(pane)
        _state, rss_start = state_and_rss(pid)
        for batch in range(args.batches):
            data = b""
            for _ in range(args.batch):
                name, chunk = hostile.hostile(rng)
                classes[name] += 1
                data += chunk
                if rng.random() < 0.3:
                    x, y = rng.randrange(1, 80), rng.randrange(1, 24)
                    data += f"\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m".encode()
                    taps += 1
            pane.send(data)
            for what, ok in health(pane, pid, log).items():
                if not ok:
                    if not failures:
                        print(f"  first failure, batch {batch}: {what}; screen:\n{pane.capture()}")
                    failures[what] += 1
            if (batch + 1) % 20 == 0:
                _state, rss = state_and_rss(pid)
                print(
                    f"  batch {batch + 1}: {sum(classes.values())} hostile inputs,"
                    f" RSS {rss / 1024:.1f} MiB, {time.monotonic() - started:.0f} s",
                    flush=True,
                )
        state, rss_end = state_and_rss(pid)
    finally:
        pane.tmux("kill-server")
    total = sum(classes.values())
    print(f"Hostile soak: {total} hostile inputs and {taps} taps in {args.batches} batches,")
    print(f"  seed {args.seed}, {time.monotonic() - started:.0f} s, load {os.getloadavg()}")
    print("  by class: " + ", ".join(f"{k} {n}" for k, n in sorted(classes.items())))
    print(f"  RSS {rss_start / 1024:.1f} -> {rss_end / 1024:.1f} MiB (state {state})")
    checks = (
        "alive and not stopped",
        "home after Escape",
        "no traceback on screen",
        "emergency number shown",
        "a tap opens the right card",
        "no crash or restart logged",
    )
    for what in checks:
        verdict = "held" if not failures[what] else f"FAILED in {failures[what]} batches"
        print(f"  {what:<30} {verdict}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
