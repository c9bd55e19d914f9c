"""Logging: a rotating file where possible; with an unwritable folder or home the
kiosk still runs, says so once on stderr, and keeps the records in memory."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import logs
from kiosk.site import Site

pytestmark = [pytest.mark.data]


@pytest.fixture(autouse=True)
def clean_logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("KIOSK_LOG_DIR", raising=False)
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    level = logging.getLogger().level
    yield
    logs.shutdown_logging()
    logging.getLogger().setLevel(level)


def unwritable_dir(tmp_path: Path) -> Path:
    """A folder nobody can create, even root: its parent is a regular file."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    return blocker / "logs"


def test_logs_to_rotating_file_in_site_log_dir(tmp_path: Path) -> None:
    folder = tmp_path / "var" / "kiosk"
    path = logs.setup_logging(Site(log_dir=str(folder)))
    assert path == folder / "kiosk.log"
    logging.getLogger("kiosk.test").warning("card failed to load: seizure")
    assert "card failed to load: seizure" in path.read_text(encoding="utf-8")
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.FileHandler)]
    assert any(
        isinstance(h, logging.handlers.RotatingFileHandler) and h.maxBytes == logs.MAX_BYTES
        for h in handlers
    )
    assert logs.log_file() == path


def test_argument_beats_site_and_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_LOG_DIR", str(tmp_path / "env"))
    assert logs.setup_logging(Site(log_dir=str(tmp_path / "site")), log_dir=tmp_path / "arg") == (
        tmp_path / "arg" / "kiosk.log"
    )
    assert logs.setup_logging(Site(log_dir=str(tmp_path / "site"))) == (
        tmp_path / "site" / "kiosk.log"
    )
    assert logs.setup_logging(Site()) == tmp_path / "env" / "kiosk.log"


def test_default_is_the_user_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    path = logs.setup_logging(Site())
    assert path is not None
    assert path.is_file()
    assert tmp_path in path.parents


def test_calling_twice_does_not_duplicate_lines(tmp_path: Path) -> None:
    logs.setup_logging(Site(log_dir=str(tmp_path)))
    path = logs.setup_logging(Site(log_dir=str(tmp_path)))
    logging.getLogger("kiosk").warning("once only")
    assert path is not None
    assert path.read_text(encoding="utf-8").count("once only") == 1


@pytest.mark.expected_errors  # logs an error to see it kept in memory
def test_unwritable_log_dir_falls_back_to_memory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = unwritable_dir(tmp_path)
    assert logs.setup_logging(Site(log_dir=str(folder))) is None
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert str(folder) in err and "memory only" in err
    logging.getLogger("kiosk").error("handler crashed")
    assert any("handler crashed" in line for line in logs.recent_lines())
    assert logs.log_file() is None
    # Nothing more reaches stderr once the app may be running.
    assert capsys.readouterr().err == ""


def test_log_file_that_is_a_folder_falls_back(tmp_path: Path) -> None:
    (tmp_path / "kiosk.log").mkdir()
    assert logs.setup_logging(Site(log_dir=str(tmp_path))) is None


def test_unwritable_home_runs_with_memory_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HOME", str(unwritable_dir(tmp_path)))
    assert logs.setup_logging(Site()) is None
    assert "memory only" in capsys.readouterr().err


def test_import_creates_no_folders(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_STATE_HOME", "KIOSK_LOG_DIR")}
    env["HOME"] = str(home)
    code = "import kiosk.logs, kiosk.site, kiosk.cli, kiosk.app; kiosk.logs.default_log_dir()"
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=tmp_path)
    assert list(home.iterdir()) == []
