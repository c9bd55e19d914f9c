"""deploy/ansible run for real: ansible-core against two local "kiosks" in a tmp folder.

Each kiosk is connection local with every path (venv, wheelhouse, site file, decks,
metrics) under a temporary folder. The restart command is fake_kiosk_start.py, which
writes the metrics file as the kiosk does at start, so the playbook's health check reads
what it would read on a Pi.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deckops.conftest import make_deck
from tests.fleet.fake_kiosk_start import CRASH_TITLE

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO_ROOT = Path(__file__).resolve().parents[2]
PLAYBOOK = REPO_ROOT / "deploy" / "ansible" / "site.yml"
IGNORED = shutil.ignore_patterns(
    ".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", "*.pyc", "tests", "wheelhouse"
)
HOSTS = ("kiosk-a", "kiosk-b")
RECAP = re.compile(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)

if sys.version_info < (3, 11):
    pytest.skip(
        "ansible-core for a 3.9/3.10 controller (2.15, end of life) conflicts with the pinned"
        " importlib_resources; the playbook test runs on the 3.11+ suite",
        allow_module_level=True,
    )
ANSIBLE_PLAYBOOK = Path(sys.executable).with_name("ansible-playbook")


def run(*args: object, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=900, **kwargs
    )


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The kiosk's wheel and its pinned dependencies, as an operator builds it."""
    tmp = tmp_path_factory.mktemp("wheelhouse")
    source, house = tmp / "src", tmp / "wheelhouse"
    shutil.copytree(REPO_ROOT, source, ignore=IGNORED)
    built = run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--disable-pip-version-check",
        "-q",
        "-w",
        house,
        source,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = house.glob("first_aid_kiosk-*.whl")
    # sdnotify is published as source only: built to a (pure Python) wheel first.
    sdnotify = run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "--disable-pip-version-check",
        "-c",
        REPO_ROOT / "constraints.txt",
        "-w",
        house,
        "sdnotify",
    )
    fetched = (
        run(
            sys.executable,
            "-m",
            "pip",
            "download",
            "--disable-pip-version-check",
            "-q",
            "--only-binary=:all:",
            "--find-links",
            house,
            "-c",
            REPO_ROOT / "constraints.txt",
            "-d",
            house,
            wheel,
        )
        if sdnotify.returncode == 0
        else sdnotify
    )
    if fetched.returncode != 0:
        pytest.skip(f"cannot fill the wheelhouse (no package index?): {fetched.stderr[-500:]}")
    return house


class Fleet:
    """Two local kiosks and the inventory that names them."""

    def __init__(self, root: Path, wheelhouse: Path) -> None:
        self.root = root
        self.inventory = root / "inventory.json"
        hosts = {}
        for name in HOSTS:
            home = root / name
            site = {
                "name": f"Pool {name}",
                "decks_dir": str(home / "decks"),
                "metrics_file": str(home / "metrics" / "kiosk.prom"),
                "state_dir": str(home / "state"),
            }
            restart = (
                f"{sys.executable} {Path(__file__).with_name('fake_kiosk_start.py')}"
                f" --decks {home / 'decks'} --metrics {home / 'metrics' / 'kiosk.prom'}"
            )
            hosts[name] = {
                "ansible_connection": "local",
                "ansible_python_interpreter": sys.executable,
                "kiosk_python": sys.executable,
                "kiosk_home": str(home / "opt"),
                "kiosk_wheelhouse_src": str(wheelhouse),
                "kiosk_site_file": str(home / "etc" / "site.toml"),
                "kiosk_site_owner": "",
                "kiosk_site_group": "",
                "kiosk_site": site,
                "kiosk_deck_bundle": str(root / "bundles" / "deck.kdeck"),
                "kiosk_restart_command": restart,
                "kiosk_health_retries": 3,
                "kiosk_health_delay": 1,
            }
            (home / "metrics").mkdir(parents=True)
        self.inventory.write_text(json.dumps({"kiosks": {"hosts": hosts}}))
        (root / "bundles").mkdir()

    def bundle(self, title: str, name: str) -> None:
        """Build a deck bundle and make it the one the playbook rolls out."""
        deck = make_deck(self.root / "decks-src" / name, title)
        out = self.root / "bundles" / f"{name}.kdeck"
        built = run(sys.executable, "-m", "kiosk", "deck", "build", deck, "--out", out)
        assert built.returncode == 0, built.stderr
        shutil.copyfile(out, self.root / "bundles" / "deck.kdeck")

    def play(self) -> tuple[int, dict[str, tuple[int, int, int]], str]:
        """Run the playbook; (exit code, {host: (ok, changed, failed)}, output)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "ANSIBLE_"))}
        env.update(
            ANSIBLE_HOME=str(self.root / "ansible-home"),
            ANSIBLE_LOCAL_TEMP=str(self.root / "ansible-tmp"),
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_CONFIG=str(PLAYBOOK.with_name("ansible.cfg")),
            KIOSK_SITE="",
        )
        done = run(ANSIBLE_PLAYBOOK, "-i", self.inventory, PLAYBOOK, env=env, cwd=self.root)
        output = done.stdout + done.stderr
        recap = {h: (int(o), int(c), int(f)) for h, o, c, _, f in RECAP.findall(done.stdout)}
        return done.returncode, recap, output

    def live(self, name: str) -> str:
        return os.readlink(self.root / name / "decks" / "current")

    def metrics(self, name: str) -> str:
        return (self.root / name / "metrics" / "kiosk.prom").read_text()


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory, wheelhouse: Path) -> Iterator[Fleet]:
    yield Fleet(tmp_path_factory.mktemp("fleet"), wheelhouse)


def test_first_run_installs_everything_and_the_second_changes_nothing(fleet: Fleet) -> None:
    fleet.bundle("Seizure v2", "v2")
    code, recap, output = fleet.play()
    assert code == 0, output
    assert set(recap) == set(HOSTS) and all(r[1] > 0 and r[2] == 0 for r in recap.values())
    for name in HOSTS:
        site = (fleet.root / name / "etc" / "site.toml").read_text()
        assert f'name = "Pool {name}"' in site
        assert (fleet.root / name / "opt" / ".venv" / "bin" / "kiosk").exists()
        assert f'deck_version="{fleet.live(name)}"' in fleet.metrics(name)

    code, recap, output = fleet.play()
    assert code == 0, output
    assert {h: r[1] for h, r in recap.items()} == dict.fromkeys(HOSTS, 0), output


def test_a_tampered_bundle_stops_the_rollout_at_the_canary(fleet: Fleet) -> None:
    before = {name: fleet.live(name) for name in HOSTS}
    fleet.bundle("Seizure v3", "v3")
    bundle = fleet.root / "bundles" / "deck.kdeck"
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 0xFF
    bundle.write_bytes(bytes(data))
    code, recap, output = fleet.play()
    assert code != 0
    assert recap["kiosk-a"][2] == 1, output  # the canary failed ...
    assert "kiosk-b" not in recap, output  # ... and the next batch never started
    assert "the live deck was not changed" in output, output[-2500:]
    assert {name: fleet.live(name) for name in HOSTS} == before


def test_a_deck_the_kiosk_cannot_run_is_rolled_back_on_the_canary(fleet: Fleet) -> None:
    before = {name: fleet.live(name) for name in HOSTS}
    fleet.bundle(CRASH_TITLE, "crash")
    code, recap, output = fleet.play()
    assert code != 0
    assert recap["kiosk-a"][2] == 1 and "kiosk-b" not in recap, output
    assert "the deck was rolled back to" in output
    assert {name: fleet.live(name) for name in HOSTS} == before
    # The kiosk runs its previous deck again, and says so.
    assert f'deck_version="{before["kiosk-a"]}"' in fleet.metrics("kiosk-a")
    assert "kiosk_up 1.0" in fleet.metrics("kiosk-a")
