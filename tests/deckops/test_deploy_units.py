"""Deployment for deck updates: every unit reads the same current deck, the USB stick
path (udev rule, unit, script) is valid and harmless without a key, and the README
installs the first deck as a copy."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main
from tests.deckops.conftest import REPO_ROOT, make_deck, make_keys, seizure_title, write_site

DEPLOY = REPO_ROOT / "deploy"
CURRENT = "/opt/kiosk-decks/current"
pytestmark = [pytest.mark.data]


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser


def test_every_kiosk_unit_reads_the_same_current_deck() -> None:
    terminal = unit("kiosk.service")["Service"]
    assert f"KIOSK_CARDS={CURRENT}" in terminal["Environment"] or any(
        line.strip() == f"Environment=KIOSK_CARDS={CURRENT}"
        for line in (DEPLOY / "kiosk.service").read_text(encoding="utf-8").splitlines()
    )
    for name in ("kiosk-console.service", "kiosk-serve.service"):
        command = unit(name)["Service"]["ExecStart"].split()
        assert command[command.index("--cards") + 1] == CURRENT, name


def fake_install_tree(tmp_path: Path) -> Path:
    """/opt/kiosk as the units expect it: the deploy scripts and an executable kiosk."""
    home = tmp_path / "opt-kiosk"
    shutil.copytree(DEPLOY, home / "deploy")
    fake = home / ".venv" / "bin" / "kiosk"
    fake.parent.mkdir(parents=True)
    fake.write_text("#!/bin/sh\n", encoding="utf-8")
    fake.chmod(0o755)
    return home


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("name", "instance"),
    [
        ("kiosk-deck-usb@.service", "kiosk-deck-usb@sda1.service"),
        ("kiosk.service", "kiosk.service"),
        ("kiosk-console.service", "kiosk-console.service"),
        ("kiosk-serve.service", "kiosk-serve.service"),
    ],
)
def test_systemd_accepts_the_units(tmp_path: Path, name: str, instance: str) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze not installed (Debian package systemd)")
    home = fake_install_tree(tmp_path)
    text = (DEPLOY / name).read_text(encoding="utf-8").replace("/opt/kiosk/", f"{home}/")
    path = tmp_path / "units" / instance
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    run = subprocess.run(["systemd-analyze", "verify", str(path)], capture_output=True, text=True)
    problems = [line for line in (run.stdout + run.stderr).splitlines() if instance in line]
    assert run.returncode == 0 and problems == [], run.stdout + run.stderr


def test_the_udev_rule_starts_the_usb_unit_for_usb_file_systems() -> None:
    rules = [
        line
        for line in (DEPLOY / "kiosk-deck-usb.rules").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(rules) == 1
    pairs = dict(re.findall(r'(\S+?)[=!+]=?"([^"]*)"', rules[0]))
    assert pairs["ACTION"] == "add" and pairs["SUBSYSTEM"] == "block"
    assert pairs["ENV{ID_BUS}"] == "usb" and pairs["ENV{ID_FS_USAGE}"] == "filesystem"
    assert pairs["ENV{SYSTEMD_WANTS}"] == "kiosk-deck-usb@%k.service"
    assert (DEPLOY / "kiosk-deck-usb@.service").exists()
    service = unit("kiosk-deck-usb@.service")["Service"]
    assert service["ExecStart"] == "/opt/kiosk/deploy/kiosk-deck-usb.sh /dev/%I"
    assert service["PrivateMounts"] == "yes" and service["ProtectSystem"] == "strict"
    assert "/opt/kiosk-decks" in service["ReadWritePaths"]


# The script the unit runs, against a folder standing in for the mounted stick


def run_usb(tmp_path: Path, stick: Path, site: Path) -> subprocess.CompletedProcess[str]:
    wrapper = tmp_path / "kiosk-wrapper"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m kiosk "$@"\n', encoding="utf-8")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env.update(
        KIOSK=str(wrapper),
        KIOSK_SITE=str(site),
        KIOSK_USB_MOUNTED=str(stick),
        PYTHONPATH=str(REPO_ROOT),
    )
    return subprocess.run(
        ["sh", str(DEPLOY / "kiosk-deck-usb.sh"), "/dev/sdz1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=REPO_ROOT,
    )


def stick_with_bundle(tmp_path: Path, keys, signed: bool = True, title: str = "From USB") -> Path:
    stick = tmp_path / "stick"
    (stick / "kiosk-deck").mkdir(parents=True)
    bundle = stick / "kiosk-deck" / "pool-2026-12-01.kdeck"
    args = ["deck", "build", str(make_deck(tmp_path / "src", title)), "--out", str(bundle)]
    assert main([*args, "--sign", str(keys.secret)] if signed else args) == 0
    return stick


@pytest.mark.e2e
def test_usb_installs_a_signed_bundle_once(tmp_path: Path) -> None:
    keys = make_keys(tmp_path / "keys")
    decks = tmp_path / "decks"
    site = write_site(
        tmp_path / "site.toml", decks_dir=str(decks), deck_public_key=str(keys.public)
    )
    stick = stick_with_bundle(tmp_path, keys)
    first = run_usb(tmp_path, stick, site)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "signed with key" in first.stdout and "the stick can be removed" in first.stdout
    assert seizure_title(decks / "current") == "From USB"
    again = run_usb(tmp_path, stick, site)  # the stick left in the port at the next boot
    assert again.returncode == 0 and "nothing changed" in again.stdout
    assert len(os.listdir(decks)) == 3  # .lock, current, one version


@pytest.mark.e2e
def test_usb_is_off_without_a_key_and_says_so(tmp_path: Path) -> None:
    keys = make_keys(tmp_path / "keys")
    decks = tmp_path / "decks"
    site = write_site(tmp_path / "site.toml", decks_dir=str(decks))
    run = run_usb(tmp_path, stick_with_bundle(tmp_path, keys), site)
    assert run.returncode == 1 and "USB install) is off" in run.stderr
    assert not (decks / "current").exists()


@pytest.mark.e2e
@pytest.mark.parametrize("attack", ["unsigned", "tampered", "other key"])
def test_an_untrusted_stick_is_harmless(tmp_path: Path, attack: str) -> None:
    keys = make_keys(tmp_path / "keys")
    decks = tmp_path / "decks"
    assert (
        main(["deck", "install", str(make_deck(tmp_path / "live", "Live")), "--decks", str(decks)])
        == 0
    )
    signer = make_keys(tmp_path / "other") if attack == "other key" else keys
    stick = stick_with_bundle(tmp_path, signer, signed=attack != "unsigned", title="Evil")
    if attack == "tampered":
        bundle = stick / "kiosk-deck" / "pool-2026-12-01.kdeck"
        data = bundle.read_bytes()
        bundle.write_bytes(data.replace(b"Evil", b"EviL"))
    site = write_site(
        tmp_path / "site.toml", decks_dir=str(decks), deck_public_key=keys.public_text
    )
    run = run_usb(tmp_path, stick, site)
    assert run.returncode == 1 and "refused" in run.stderr and "unchanged" in run.stderr
    assert seizure_title(decks / "current") == "Live"


@pytest.mark.e2e
def test_a_stick_without_a_bundle_does_nothing(tmp_path: Path) -> None:
    (tmp_path / "stick").mkdir()
    run = run_usb(tmp_path, tmp_path / "stick", write_site(tmp_path / "site.toml", name="x"))
    assert run.returncode == 0 and "nothing to do" in run.stdout


def test_readme_installs_the_first_deck_as_a_copy_and_updates_with_three_commands() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "ln -sfn /opt/kiosk/cards" not in readme  # never a link into the git checkout
    deployment = readme.split("## Deployment on a Raspberry Pi")[1].split("\n## ")[0]
    assert "kiosk deck install cards" in deployment
    update = readme.split("### Updating the deck safely")[1].split("\n### ")[0]
    for command in ("kiosk deck build", "kiosk deck install", "kiosk deck rollback"):
        assert command in update, command
    assert "cp -r" not in update
