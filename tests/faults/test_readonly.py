"""A read-only deck, an unwritable home and an unwritable log folder stop nothing.

Tests run as root in CI, where ``chmod`` does not stop writes, so "unwritable" is made
by placing the path under a regular file (any mkdir or open there fails with
NotADirectoryError for every user). The deck is also chmod-ed read-only, which does
bite for ordinary users, and is compared before and after: nothing may be written there.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.app import make_app
from kiosk.deck import load_deck
from kiosk.site import Site

pytestmark = [pytest.mark.ui, pytest.mark.e2e, pytest.mark.slow]


def make_read_only(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        mode = path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
        os.chmod(path, mode)


@pytest.fixture
def blocked(tmp_path: Path) -> Path:
    """A regular file: nothing can be created beneath it."""
    wall = tmp_path / "not-a-directory"
    wall.write_text("a file where a directory is expected\n")
    return wall


@pytest.fixture
def unwritable_env(blocked: Path) -> dict[str, str]:
    """HOME and the XDG folders all under a regular file."""
    env = {**os.environ, "HOME": str(blocked / "home")}
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        env[name] = str(blocked / name.lower())
    return env


@pytest.fixture
def site_file(tmp_path: Path, blocked: Path) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(f'name = "Riverside Pool"\nlog_dir = "{blocked / "logs"}"\n', encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["check", "list"])
def test_cli_with_read_only_deck_and_unwritable_home(
    faults, deck_copy: Path, unwritable_env: dict[str, str], site_file: Path, command: str
) -> None:
    make_read_only(deck_copy)
    before = faults.tree_state(deck_copy)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            command,
            "--cards",
            str(deck_copy),
            "--site",
            str(site_file),
        ],
        env=unwritable_env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert faults.tree_state(deck_copy) == before, "something was written into the deck"


async def test_app_with_read_only_deck_unwritable_home_and_log_dir(
    faults, deck_copy: Path, blocked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_read_only(deck_copy)
    before = faults.tree_state(deck_copy)
    monkeypatch.setenv("HOME", str(blocked / "home"))
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(blocked / name.lower()))
    site = replace(Site(name="Riverside Pool"), log_dir=str(blocked / "logs"))
    app = make_app(load_deck(deck_copy), site, log_path=blocked / "logs" / "kiosk.log")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "right", "right", "escape", "home", "5", "right", "home")
        await pilot.press("f12", "f12", "f12", "f12", "f12", "escape")  # staff key: shows log path
        await pilot.pause()
        assert app.is_running
        assert "Riverside Pool" in faults.screen_text(app)
    assert faults.tree_state(deck_copy) == before, "something was written into the deck"


def test_kiosk_run_with_unwritable_home_and_log_dir(
    tmux_pane, deck_copy: Path, unwritable_env: dict[str, str], site_file: Path
) -> None:
    """The real entry point (which sets up logging) in a real terminal."""
    make_read_only(deck_copy)
    pane = tmux_pane
    pane.start({k: unwritable_env[k] for k in unwritable_env if k == "HOME" or k.startswith("XDG")})
    pane.type(
        f"{sys.executable} -m kiosk run --cards {deck_copy} --site {site_file}; echo EXIT-STATUS:$?"
    )
    pane.wait_for(lambda: "Riverside Pool" in pane.capture(), "the home screen")
    pane.tmux("send-keys", "-t", "t", "C-q")
    pane.wait_for(lambda: "EXIT-STATUS:0" in pane.capture(), "a clean exit")
    assert "Traceback" not in pane.capture()
