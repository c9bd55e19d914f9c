"""deploy/install.sh in its --root mode: a fresh layout on the first run, nothing
changed on the second, an operator's site file never overwritten, an unsupported
release refused. (apt-get, useradd and systemctl are only printed in that mode.)"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO_ROOT = Path(__file__).resolve().parents[2]
INSTALL = REPO_ROOT / "deploy" / "install.sh"

TRIXIE = 'ID=debian\nVERSION_CODENAME=trixie\nPRETTY_NAME="Debian GNU/Linux 13 (trixie)"\n'
BOOKWORM_PI = 'ID=raspbian\nVERSION_CODENAME=bookworm\nPRETTY_NAME="Raspbian GNU/Linux 12"\n'


def fresh_root(tmp_path: Path, os_release: str = TRIXIE) -> Path:
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    (root / "etc" / "os-release").write_text(os_release, encoding="utf-8")
    return root


def install(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(INSTALL), "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def snapshot(root: Path) -> dict[str, tuple[str, int, str]]:
    """Every path under root: its kind, mode and content hash or link target."""
    found: dict[str, tuple[str, int, str]] = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        key = str(path.relative_to(root))
        if stat.S_ISLNK(info.st_mode):
            found[key] = ("link", 0, os.readlink(path))
        elif stat.S_ISDIR(info.st_mode):
            found[key] = ("dir", stat.S_IMODE(info.st_mode), "")
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            found[key] = ("file", stat.S_IMODE(info.st_mode), digest)
    return found


def test_second_run_changes_nothing_and_says_so(tmp_path: Path) -> None:
    root = fresh_root(tmp_path)
    first = install(root)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "change(s) made" in first.stdout
    before = snapshot(root)

    second = install(root)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Nothing to change" in second.stdout
    assert "changed:" not in second.stdout
    assert snapshot(root) == before


def test_the_layout_is_what_the_units_expect(tmp_path: Path) -> None:
    root = fresh_root(tmp_path)
    out = install(root)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "kiosk path: terminal" in out.stdout  # trixie's foot has touch
    site = root / "etc/kiosk/site.toml"
    assert stat.S_IMODE(site.stat().st_mode) == 0o640
    assert "would run: chown root:kiosk /etc/kiosk/site.toml" in out.stdout
    assert site.read_bytes() == (REPO_ROOT / "deploy/site.example.toml").read_bytes()
    assert (root / "opt/kiosk/run_kiosk.sh").is_file()
    assert not (root / "opt/kiosk/.venv").exists()
    # The first deck is an installed copy, never a link into the software's folder.
    current = root / "opt/kiosk-decks/current"
    assert current.is_symlink()
    target = current.resolve()
    assert target.parent == (root / "opt/kiosk-decks").resolve()
    assert (target / "deck.toml").is_file()
    units = root / "etc/systemd/system"
    assert (units / "kiosk.service").read_bytes() == (
        REPO_ROOT / "deploy/kiosk.service"
    ).read_bytes()
    assert (units / "multi-user.target.wants/kiosk.service").is_symlink()
    assert not (units / "kiosk-browser.service").exists()
    assert "OK: nothing missing" in out.stdout


def test_bookworm_gets_the_browser_path_with_xwayland(tmp_path: Path) -> None:
    root = fresh_root(tmp_path, BOOKWORM_PI)
    out = install(root)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "kiosk path: browser" in out.stdout
    packages = next(line for line in out.stdout.splitlines() if line.startswith("Packages:"))
    for package in ("cage", "xwayland", "chromium", "curl"):
        assert package in packages.split(), package
    wants = root / "etc/systemd/system/multi-user.target.wants"
    assert sorted(p.name for p in wants.iterdir()) == [
        "kiosk-browser.service",
        "kiosk-serve.service",
    ]


def test_switching_path_disables_the_other_paths_units(tmp_path: Path) -> None:
    root = fresh_root(tmp_path, BOOKWORM_PI)
    assert install(root).returncode == 0
    out = install(root, "--path", "terminal")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "ignores taps" in out.stdout  # bookworm's foot 1.13 has no touch
    wants = root / "etc/systemd/system/multi-user.target.wants"
    assert sorted(p.name for p in wants.iterdir()) == ["kiosk.service"]


def test_an_operators_site_file_is_never_overwritten(tmp_path: Path) -> None:
    root = fresh_root(tmp_path)
    site = root / "etc/kiosk/site.toml"
    site.parent.mkdir(parents=True)
    site.write_text('name = "Basin Dnipro"\nstaff_pin = "4071"\n', encoding="utf-8")
    site.chmod(0o644)
    out = install(root)
    assert out.returncode == 0, out.stdout + out.stderr
    assert site.read_text(encoding="utf-8") == 'name = "Basin Dnipro"\nstaff_pin = "4071"\n'
    assert stat.S_IMODE(site.stat().st_mode) == 0o640  # it holds the staff PIN
    assert "was mode 644" in out.stdout


@pytest.mark.parametrize(
    "os_release",
    [
        'ID=debian\nVERSION_CODENAME=bullseye\nPRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\n',
        'ID=ubuntu\nVERSION_CODENAME=noble\nPRETTY_NAME="Ubuntu 24.04 LTS"\n',
    ],
)
def test_an_unsupported_release_is_refused_before_anything_changes(
    tmp_path: Path, os_release: str
) -> None:
    root = fresh_root(tmp_path, os_release)
    out = install(root)
    assert out.returncode == 1
    assert "is not supported" in out.stderr
    assert "bookworm" in out.stderr and "trixie" in out.stderr
    assert sorted(p.name for p in root.rglob("*")) == ["etc", "os-release"]


def test_an_unknown_path_is_refused(tmp_path: Path) -> None:
    out = install(fresh_root(tmp_path), "--path", "kiosk")
    assert out.returncode == 1
    assert "use terminal or browser" in out.stderr


def test_the_self_check_checks_the_installed_deck_and_site_file(tmp_path: Path) -> None:
    venv = Path(sys.prefix)
    if not (venv / "bin" / "kiosk").exists():
        pytest.skip("needs the kiosk installed in the running environment")
    root = fresh_root(tmp_path)
    assert install(root).returncode == 0
    (root / "opt/kiosk/.venv").symlink_to(venv)  # stands in for run_kiosk.sh's .venv
    out = install(root)
    assert out.returncode == 0, out.stdout + out.stderr
    site = root / "etc/kiosk/site.toml"
    assert f"kiosk check: site file {site}: 0 errors, 1 warning" in out.stdout, out.stdout
    assert "W105" in out.stdout  # the example's PIN: change it
    assert "kiosk check: 0 errors, 1 warning" in out.stdout
    assert "Nothing to change" in out.stdout


def test_with_a_python_environment_the_first_deck_comes_from_kiosk_deck_install(
    tmp_path: Path,
) -> None:
    venv = Path(sys.prefix)
    if not (venv / "bin" / "kiosk").exists():
        pytest.skip("needs the kiosk installed in the running environment")
    root = fresh_root(tmp_path)
    (root / "opt/kiosk").mkdir(parents=True)
    (root / "opt/kiosk/.venv").symlink_to(venv)
    out = install(root)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "(kiosk deck install)" in out.stdout
    current = (root / "opt/kiosk-decks/current").resolve()
    assert current.parent == (root / "opt/kiosk-decks").resolve()
    assert (current / ".kiosk-deck.json").is_file()  # a checked, recorded version
    assert "Nothing to change" in install(root).stdout
