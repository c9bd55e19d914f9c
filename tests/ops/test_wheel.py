"""The wheel carries everything the kiosk needs: installed outside the repo, in a
fresh virtual environment, `kiosk check` and `kiosk list` give the same answers
as the repo and every data file (deck, interface text, styles, schema, web
templates) is there.

Offline: the wheel is built with --no-build-isolation (setuptools comes with the
test extras) and installed with --no-index --no-deps; the fresh venv reaches the
dependencies through a .pth file pointing at this venv's site-packages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO_ROOT = Path(__file__).resolve().parents[2]
IGNORED = shutil.ignore_patterns(
    ".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", "*.pyc", "tests", "wheelhouse"
)


def run(*args: object, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def repo_files(folder: Path) -> set[str]:
    """Files under folder that an installed package must carry, relative to it."""
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "src"
    shutil.copytree(REPO_ROOT, source, ignore=IGNORED)
    dist = tmp / "dist"
    built = run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
        "--no-index", "-q", "-w", dist, source, cwd=tmp,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("first_aid_kiosk-*.whl")

    venv = tmp / "venv"
    made = run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    site_packages = Path(
        run(
            python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp
        ).stdout.strip()
    )
    # Dependencies (textual, platformdirs, ...) come from this venv, read-only.
    (site_packages / "_kiosk_test_deps.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    done = run(
        sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
        "-q", wheel, cwd=tmp,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    workdir = tmp / "elsewhere"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return {
        "wheel": wheel,
        "python": python,
        "kiosk": venv / "bin" / "kiosk",
        "site_packages": site_packages,
        "cwd": workdir,
        "env": env,
    }


def test_installed_copy_is_imported_not_the_repo(installed: dict) -> None:
    out = run(
        installed["python"],
        "-c",
        "import kiosk; from kiosk.deck import bundled_cards_dir;"
        " print(kiosk.__file__); print(bundled_cards_dir())",
        cwd=installed["cwd"],
        env=installed["env"],
    )
    assert out.returncode == 0, out.stderr
    module_file, cards_dir = (Path(line) for line in out.stdout.splitlines())
    assert installed["site_packages"] in module_file.parents
    assert REPO_ROOT not in module_file.parents
    assert cards_dir == installed["site_packages"] / "kiosk" / "cards"


def test_wheel_carries_every_package_and_data_file(installed: dict) -> None:
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    expected = {f"kiosk/{name}" for name in repo_files(REPO_ROOT / "kiosk")}
    expected |= {f"kiosk/cards/{name}" for name in repo_files(REPO_ROOT / "cards")}
    missing = sorted(expected - names)
    assert not missing, (
        "missing from the wheel (add the subpackage to [tool.setuptools] packages or the"
        f" file pattern to package-data in pyproject.toml): {missing}"
    )


def test_console_script_check_and_list_match_the_repo(installed: dict) -> None:
    repo_check = run(sys.executable, "-m", "kiosk", "check", cwd=REPO_ROOT)
    repo_list = run(sys.executable, "-m", "kiosk", "list", cwd=REPO_ROOT)
    check = run(installed["kiosk"], "check", cwd=installed["cwd"], env=installed["env"])
    listing = run(installed["kiosk"], "list", cwd=installed["cwd"], env=installed["env"])
    assert "Traceback" not in check.stderr + listing.stderr
    assert check.returncode == repo_check.returncode, check.stdout + check.stderr
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout == repo_list.stdout
    card_ids = sorted(p.stem for p in (REPO_ROOT / "cards").glob("*/*.toml"))
    if (REPO_ROOT / "cards" / "deck.toml").is_file() and card_ids:
        assert check.returncode == 0, check.stdout
        listed = {line.split("\t")[0] for line in listing.stdout.splitlines()}
        assert listed and listed <= set(card_ids)
