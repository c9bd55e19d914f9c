"""SIGTERM and SIGHUP end the kiosk cleanly and give the terminal back, on a real terminal.

The kiosk runs in a tmux pane (a real pseudo-terminal). After the signal the process must
end, the shell must get its prompt back, and the terminal must be out of the alternate
screen, with mouse reporting off, the cursor visible and line editing (echo, icanon) on.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PYTHON = shlex.quote(sys.executable)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("kiosk_mode", [False, True], ids=["normal", "kiosk"])
def test_signal_exits_cleanly_and_restores_terminal(tmux_pane, signum, kiosk_mode) -> None:
    pane = tmux_pane
    pane.start()
    flags = " --kiosk" if kiosk_mode else ""
    pane.type(f"{PYTHON} -m kiosk run{flags}; echo EXIT-STATUS:$?")
    pane.wait_for(lambda: pane.flag("alternate_on") == "1", "the kiosk to take the screen")
    pane.wait_for(lambda: "Emergency" in pane.capture(), "the home screen")
    pid = pane.foreground_child()
    assert pid is not None

    os.kill(pid, signum)

    pane.wait_for(lambda: not os.path.exists(f"/proc/{pid}"), "the kiosk process to end")
    pane.wait_for(lambda: "EXIT-STATUS:" in pane.capture(), "the shell to carry on")
    assert pane.flag("alternate_on") == "0", "still on the alternate screen"
    assert pane.flag("mouse_any_flag") == "0", "mouse reporting left on"
    assert pane.flag("cursor_flag") == "1", "cursor left hidden"
    assert "Traceback" not in pane.capture()
    # The quotes keep the marker out of the echoed command line itself.
    pane.type(
        "stty -a | tr ' ;' '\\n\\n' | grep -x -e echo -e icanon -e -echo -e -icanon"
        " | sed 's/^/MO''DE=/'"
    )
    pane.wait_for(lambda: "MODE=" in pane.capture(), "stty's answer")
    modes = {line[5:] for line in pane.capture().split() if line.startswith("MODE=")}
    assert modes == {"echo", "icanon"}, f"terminal modes not restored: {modes}"


STUCK_APP = """
import asyncio, os, signal, threading
from kiosk import run as kiosk_run

kiosk_run.STOP_GRACE_SECONDS = 0.5

class StuckApp:
    def exit(self):
        # What Textual's shutdown does when the terminal has hung up: a write that
        # blocks the main thread forever (its output thread has died).
        threading.Event().wait()

async def main():
    asyncio.get_running_loop().call_later(0.2, os.kill, os.getpid(), signal.SIGHUP)
    await asyncio.sleep(60)

with kiosk_run.exit_on_stop_signals(StuckApp()):
    asyncio.run(main())
print("NOT FORCED")
"""


def test_a_stop_signal_ends_the_process_even_if_the_app_cannot_stop() -> None:
    """A SIGHUP during start-up once left a kiosk running with no terminal, deaf to
    SIGTERM (Textual's shutdown blocked on a dead terminal). The process must end."""
    run = subprocess.run(
        [sys.executable, "-c", STUCK_APP], capture_output=True, text=True, timeout=30
    )
    assert run.returncode == 128 + signal.SIGHUP, run.stderr
    assert "NOT FORCED" not in run.stdout
