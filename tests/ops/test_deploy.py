"""The deployment files are real and say what the README promises: restart
forever as an unprivileged user, cage + foot at a large font with the dangerous
foot shortcuts off, and a launcher that runs the kiosk in lockdown."""

from __future__ import annotations

import configparser
import os
import stat
import subprocess
from pathlib import Path

import pytest

from kiosk.site import load_site

pytestmark = [pytest.mark.data]

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY = REPO_ROOT / "deploy"
INSTALL_DIR = "/opt/kiosk/"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser


@pytest.mark.parametrize("name", ["kiosk.service", "kiosk-console.service"])
def test_units_restart_forever_as_an_unprivileged_user(name: str) -> None:
    parsed = unit(name)
    assert parsed["Unit"]["StartLimitIntervalSec"] == "0"
    service = parsed["Service"]
    assert service["Restart"] == "always"
    assert service["User"] not in ("", "root")
    assert service["TTYPath"] == "/dev/tty1"
    assert "WantedBy" in parsed["Install"]
    executable = service["ExecStart"].split()[0]
    assert executable.startswith(INSTALL_DIR)
    # Everything the unit runs from the install folder is in the repository.
    relative = executable[len(INSTALL_DIR) :]
    if not relative.startswith(".venv/"):
        assert (REPO_ROOT / relative).is_file(), relative
    assert "--kiosk" in service["ExecStart"] or relative == "deploy/kiosk-cage.sh"


def test_foot_config_has_a_large_font_and_no_escape_hatches() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    text = (DEPLOY / "foot.ini").read_text(encoding="utf-8")
    parser.read_string("[main]\n" + text)
    font = parser["main"]["font"]
    assert font.startswith("monospace:size=")
    assert int(font.split("=")[1]) >= 16
    bindings = parser["key-bindings"]
    for action in ("spawn-terminal", "show-urls-launch", "clipboard-paste", "search-start"):
        assert bindings[action] == "none", action
    assert parser["url"]["launch"] == "true"


def executable(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def test_cage_launcher_runs_the_kiosk_in_lockdown_under_foot(tmp_path: Path) -> None:
    home = tmp_path / "kiosk"
    executable(home / ".venv" / "bin" / "kiosk", "#!/bin/sh\n")
    bin_dir = tmp_path / "bin"
    executable(bin_dir / "cage", '#!/bin/sh\nprintf "%s\\n" "$@"\n')
    site = tmp_path / "site.toml"
    site.write_text('name = "Pool"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{env['PATH']}",
        KIOSK_HOME=str(home),
        KIOSK_SITE=str(site),
        KIOSK_FONT_SIZE="30",
        KIOSK_CARDS="/opt/kiosk-decks/current",
    )
    out = subprocess.run(
        ["sh", str(DEPLOY / "kiosk-cage.sh")], env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "-d",
        "--",
        "foot",
        f"--config={DEPLOY / 'foot.ini'}",
        "--override=font=monospace:size=30",
        str(DEPLOY / "kiosk-run.sh"),
        "--kiosk",
        "--site",
        str(site),
        "--cards",
        "/opt/kiosk-decks/current",
    ]


def test_cage_launcher_says_how_to_set_up_when_the_venv_is_missing(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env["KIOSK_HOME"] = str(tmp_path)
    out = subprocess.run(
        ["sh", str(DEPLOY / "kiosk-cage.sh")], env=env, capture_output=True, text=True
    )
    assert out.returncode == 1
    assert "run_kiosk.sh check" in out.stderr


def test_example_site_enables_kiosk_mode_with_a_pin() -> None:
    site = load_site(DEPLOY / "site.example.toml").site
    assert site.kiosk and site.staff_pin
