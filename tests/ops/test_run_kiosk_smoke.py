"""The README's first command in a real terminal: ./run_kiosk.sh shows the home
screen with the emergency number and no traceback. Runs in tmux (installed by
.ci/run); the install step is stubbed so that this venv's kiosk is what runs."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
TMUX = shutil.which("tmux")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.skipif(TMUX is None, reason="needs tmux (.ci/apt-packages.txt)"),
]


def executable(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def test_run_kiosk_shows_the_home_screen_in_a_terminal(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    executable(
        venv / "bin" / "python",
        f'#!/bin/sh\n[ "$1 $2" = "-m pip" ] && exit 0\nexec "{sys.executable}" "$@"\n',
    )
    executable(venv / "bin" / "kiosk", f'#!/bin/sh\nexec "{sys.executable}" -m kiosk "$@"\n')
    site = tmp_path / "site.toml"
    site.write_text('name = "Riverside Pool"\nemergency_number = "999"\n', encoding="utf-8")
    socket = f"kiosk-smoke-{os.getpid()}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "TMUX"))}
    env.update(KIOSK_VENV=str(venv), KIOSK_LOG_DIR=str(tmp_path / "logs"), TERM="xterm-256color")
    command = f"cd {REPO_ROOT} && ./run_kiosk.sh --site {site}; sleep 30"
    tmux = [TMUX, "-L", socket, "-f", os.devnull]
    subprocess.run(
        [*tmux, "new-session", "-d", "-x", "80", "-y", "24", command], env=env, check=True
    )
    screen = ""
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            screen = subprocess.run(
                [*tmux, "capture-pane", "-p"], env=env, capture_output=True, text=True
            ).stdout
            if "999" in screen and "Riverside Pool" in screen:
                break
            time.sleep(0.5)
    finally:
        subprocess.run([*tmux, "kill-server"], env=env, capture_output=True)
    assert "Riverside Pool" in screen, screen
    assert "999" in screen, screen
    assert "Traceback" not in screen
