"""Log destinations that cannot hold a log (D2, D3, C4): refused at check time and at
start, the kiosk running on memory-only logs with the reason kept for the staff screen;
a disk that fills up while running never prints onto the terminal."""

from __future__ import annotations

import errno
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import logs
from kiosk.site import E_LOG_DESTINATION, Site, load_site

pytestmark = pytest.mark.data


@pytest.fixture(autouse=True)
def clean_logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("KIOSK_LOG_DIR", raising=False)
    level = logging.getLogger().level
    yield
    logs.shutdown_logging()
    logging.getLogger().setLevel(level)


def fifo_folder(tmp_path: Path) -> Path:
    os.mkfifo(tmp_path / "kiosk.log")
    return tmp_path


def symlink_folder(tmp_path: Path) -> Path:
    (tmp_path / "kiosk.log").symlink_to("/dev/null")
    return tmp_path


BAD = {
    "/etc/passwd": lambda tmp: Path("/etc/passwd"),
    "/etc": lambda tmp: Path("/etc"),
    "/proc": lambda tmp: Path("/proc/self"),
    "/dev": lambda tmp: Path("/dev"),
    "/usr/lib": lambda tmp: Path("/usr/lib/kiosk"),
    "a FIFO": fifo_folder,
    "a symlink to a device": symlink_folder,
    "a link to /etc": lambda tmp: (tmp / "etc").symlink_to("/etc") or tmp / "etc",
    "a file": lambda tmp: (tmp / "f").write_text("x") and tmp / "f",
}


@pytest.mark.parametrize("name", list(BAD))
def test_kiosk_check_names_log_dir(tmp_path: Path, name: str) -> None:
    folder = BAD[name](tmp_path)
    site = tmp_path / "site.toml"
    site.write_text(f'log_dir = "{folder}"\n', encoding="utf-8")
    problems = load_site(site).problems
    assert [p.code for p in problems] == [E_LOG_DESTINATION]
    assert "log_dir" in problems[0].message and "memory only" in problems[0].message


@pytest.mark.parametrize("name", list(BAD))
def test_at_start_the_log_is_memory_only_with_the_reason(tmp_path: Path, name: str) -> None:
    folder = BAD[name](tmp_path)
    assert logs.setup_logging(Site(log_dir=str(folder))) is None
    assert logs.log_file() is None
    assert logs.memory_only_reason()
    logging.getLogger("kiosk").warning("kept in memory")
    assert any("kept in memory" in line for line in logs.recent_lines())
    assert any(logs.memory_only_reason() in line for line in logs.recent_lines())


def test_a_fifo_log_does_not_hang_the_start(tmp_path: Path) -> None:
    """D3: the kiosk hung for ever in open() on a FIFO named kiosk.log."""
    folder = fifo_folder(tmp_path)
    code = (
        "from kiosk import logs; from kiosk.site import Site; "
        f"print(logs.setup_logging(Site(), log_dir={str(folder)!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=20
    )
    assert result.stdout.strip() == "None"


def test_opening_refuses_a_fifo_and_a_link_even_if_they_appear_late(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "link").symlink_to(tmp_path / "plain")
    for name in ("fifo", "link"):
        with pytest.raises(OSError):
            logs.open_log_file(tmp_path / name)
    logs.open_log_file(tmp_path / "plain").close()


def test_a_full_disk_at_start_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    full = os.statvfs_result((4096, 4096, 100, 0, 0, 100, 0, 0, 0, 255))
    monkeypatch.setattr(os, "statvfs", lambda path: full)
    assert logs.setup_logging(Site(log_dir=str(tmp_path))) is None
    assert "full" in (logs.memory_only_reason() or "")


def test_disk_filling_up_while_running_switches_to_memory_quietly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """D2: a full log disk printed '--- Logging error ---' and a traceback on the terminal."""
    path = logs.setup_logging(Site(log_dir=str(tmp_path)))
    assert path is not None

    class FullDisk:
        def seek(self, *args: object) -> int:
            return 0

        tell = seek

        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        def flush(self) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

    handler = next(h for h in logging.getLogger().handlers if isinstance(h, logs.KioskLogFile))
    handler.stream = FullDisk()  # type: ignore[assignment]
    for number in range(3):
        logging.getLogger("kiosk").warning("wrong staff PIN %d", number)
    err = capsys.readouterr().err
    assert "Logging error" not in err and "Traceback" not in err
    assert logs.log_file() is None
    assert "No space left on device" in (logs.memory_only_reason() or "")
    lines = logs.recent_lines()
    assert sum("keeping the log in memory only" in line for line in lines) == 1
    assert any("wrong staff PIN 2" in line for line in lines)


def test_a_good_folder_still_gets_a_file(tmp_path: Path) -> None:
    assert logs.setup_logging(Site(log_dir=str(tmp_path / "new"))) == tmp_path / "new" / "kiosk.log"
    assert logs.memory_only_reason() is None
    assert load_site(None).problems == ()
