"""Stopping the kiosk process: what systemd and an operator see (scripts/mutation.py A31,
A33, A36). The rest of the signal handling is tested in a real terminal in
test_signals.py."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.run import STOP_GRACE_SECONDS

STOP_BY_SIGNAL = """
import asyncio, os, signal, sys
from kiosk import run

class App:
    def __init__(self):
        self.done = asyncio.Event()
    def exit(self):
        self.done.set()

async def main():
    app = App()
    with run.exit_on_stop_signals(app):
        asyncio.get_running_loop().call_later(0.2, os.kill, os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(app.done.wait(), 10)
    print("restored" if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL else "not restored")

asyncio.run(main())
"""


@pytest.mark.e2e
def test_a_stop_signal_ends_the_process_at_once_with_status_0() -> None:
    """systemd stops the kiosk with SIGTERM: the process ends at once and cleanly (a
    watchdog that outlived it would hold the stop for the grace period, then exit 143),
    and the signal handlers it replaced are back."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", STOP_BY_SIGNAL], capture_output=True, text=True, timeout=60
    )
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "restored"
    assert took < STOP_GRACE_SECONDS
    assert done.returncode != 128 + signal.SIGTERM


@pytest.mark.data
def test_the_stop_watchdog_fires_before_systemd_kills_the_kiosk() -> None:
    """deploy/*.service give the kiosk TimeoutStopSec to stop; the watchdog that ends a
    hung kiosk (and logs why) must come well before systemd's SIGKILL."""
    units = list((Path(__file__).parents[2] / "deploy").glob("*.service"))
    limits = [
        float(found.group(1))
        for unit in units
        for found in [re.search(r"^TimeoutStopSec=(\d+)", unit.read_text(), re.M)]
        if found
    ]
    assert limits, "no TimeoutStopSec in deploy/*.service"
    assert min(limits) / 2 >= STOP_GRACE_SECONDS
