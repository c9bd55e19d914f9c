"""The units in deploy/ pass `systemd-analyze verify`, and the launcher really
starts under a headless cage: the kiosk runs inside foot with the right arguments,
and the browser variant runs chromium-kiosk.sh. (No panel here: nothing about
touch or the picture is checked; docs/raspberry-pi.md says what was run where.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY = REPO_ROOT / "deploy"
UNITS = sorted(DEPLOY.glob("*.service"))


def executable(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)


@pytest.mark.data
@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
@pytest.mark.parametrize("unit", UNITS, ids=[u.name for u in UNITS])
def test_unit_passes_systemd_analyze_verify(tmp_path: Path, unit: Path) -> None:
    # The units name /opt/kiosk; verify wants every command to exist, so point
    # them at a copy of deploy/ (and a stand-in kiosk) under tmp_path.
    install = tmp_path / "opt" / "kiosk"
    shutil.copytree(DEPLOY, install / "deploy")
    executable(install / ".venv" / "bin" / "kiosk", "#!/bin/sh\n")
    copy = tmp_path / unit.name
    copy.write_text(
        unit.read_text(encoding="utf-8").replace("/opt/kiosk/", f"{install}/"), encoding="utf-8"
    )
    out = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert unit.name not in out.stderr, out.stderr  # no warnings about this unit


def cage_user() -> list[str]:
    """cage refuses to run as root: drop to nobody when we are root."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv")
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


def headless_cage(tmp_path: Path, extra_env: dict[str, str]) -> tuple[Path, str]:
    """Run deploy/kiosk-cage.sh under a headless wlroots until the stand-in app
    writes its arguments (or 60 s pass); return that file and cage's log."""
    for tool in ("cage", "Xwayland"):
        if shutil.which(tool) is None:
            pytest.skip(f"needs {tool} (apt-get install cage xwayland)")
    tmp_path.chmod(0o777)  # the stand-in app writes its arguments here
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    args_file = tmp_path / "args.txt"
    user = cage_user()
    if user:
        shutil.chown(runtime, "nobody", "nogroup")
    env = {
        "PATH": f"{tmp_path / 'bin'}{os.pathsep}/usr/bin:/bin",
        "XDG_RUNTIME_DIR": str(runtime),
        "WLR_BACKENDS": "headless",
        "WLR_RENDERER": "pixman",
        "WLR_LIBINPUT_NO_DEVICES": "1",
        "ARGS_FILE": str(args_file),
        **extra_env,
    }
    log = tmp_path / "cage.log"
    with log.open("w") as handle:
        process = subprocess.Popen(
            [*user, "sh", str(DEPLOY / "kiosk-cage.sh")],
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and process.poll() is None:
                if args_file.exists() and args_file.read_text().endswith("END\n"):
                    break
                time.sleep(0.2)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    return args_file, log.read_text(errors="replace")


@pytest.fixture
def open_tmp() -> Iterator[Path]:
    """A scratch folder the unprivileged cage user can reach (pytest's own
    tmp_path sits in a folder only its owner may enter)."""
    folder = Path(tempfile.mkdtemp(prefix="kiosk-cage-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# A stand-in program: writes its arguments and Wayland socket, then stays up.
RECORD_ARGS = (
    "#!/bin/sh\n"
    '{ printf "%s\\n" "$@"; echo "WAYLAND_DISPLAY=$WAYLAND_DISPLAY"; echo END; } > "$ARGS_FILE"\n'
    "sleep 30\n"
)


@pytest.mark.e2e
@pytest.mark.slow
def test_terminal_path_starts_the_kiosk_in_foot_under_headless_cage(open_tmp: Path) -> None:
    tmp_path = open_tmp
    if shutil.which("foot") is None:
        pytest.skip("needs foot")
    home = tmp_path / "kiosk"
    executable(home / ".venv" / "bin" / "kiosk", RECORD_ARGS)
    site = tmp_path / "site.toml"
    site.write_text('name = "Pool"\n', encoding="utf-8")
    site.chmod(0o644)
    args_file, log = headless_cage(
        tmp_path,
        {
            "KIOSK_HOME": str(home),
            "KIOSK_SITE": str(site),
            "KIOSK_CARDS": "/opt/kiosk-decks/current",
            "KIOSK_FONT_SIZE": "24",
        },
    )
    assert args_file.exists(), log
    lines = args_file.read_text().splitlines()
    assert lines[:5] == ["--kiosk", "--site", str(site), "--cards", "/opt/kiosk-decks/current"]
    assert lines[5].startswith("WAYLAND_DISPLAY=wayland-"), lines
    assert "Cannot create XWayland server" not in log


@pytest.mark.e2e
@pytest.mark.slow
def test_browser_path_starts_chromium_kiosk_under_headless_cage(open_tmp: Path) -> None:
    tmp_path = open_tmp
    # A stand-in chromium and curl: the real script's waiting and flags, under cage.
    bin_dir = tmp_path / "bin"
    executable(bin_dir / "curl", "#!/bin/sh\nexit 0\n")
    executable(bin_dir / "chromium", RECORD_ARGS)
    args_file, log = headless_cage(tmp_path, {"KIOSK_CAGE_APP": "browser"})
    assert args_file.exists(), log
    lines = args_file.read_text().splitlines()
    assert "--ozone-platform=wayland" in lines  # native Wayland: touch without Xwayland
    assert "--kiosk" in lines and "--app=http://127.0.0.1:8000/" in lines
    assert "--touch-events=enabled" in lines
