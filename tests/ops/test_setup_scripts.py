"""run_kiosk.sh / run_tests.sh set-up (scripts/ensure_venv.sh), run against a stub
virtual environment so that nothing is installed and nothing touches the network:
clear messages for a missing or old python3, install once then skip, arguments
passed through, offline installs with --no-index."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO_ROOT = Path(__file__).resolve().parents[2]
BASH = shutil.which("bash") or "/bin/bash"


def executable(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


@pytest.fixture
def stub_venv(tmp_path: Path) -> Path:
    """A venv whose python records its arguments and whose kiosk echoes them."""
    venv = tmp_path / "venv"
    calls = tmp_path / "calls.log"
    executable(venv / "bin" / "python", f'#!/bin/sh\necho "$*" >> "{calls}"\n')
    executable(
        venv / "bin" / "kiosk", '#!/bin/sh\nprintf "kiosk got:"; printf " [%s]" "$@"; echo\n'
    )
    return venv


def script_env(venv: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env["KIOSK_VENV"] = str(venv)
    env.update(extra)
    return env


def run(args: list, env: dict, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(a) for a in args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )


def pip_installs(tmp_path: Path) -> list[str]:
    calls = tmp_path / "calls.log"
    if not calls.exists():
        return []
    return [line for line in calls.read_text().splitlines() if "pip install" in line]


def test_first_run_installs_later_runs_skip(stub_venv: Path, tmp_path: Path) -> None:
    env = script_env(stub_venv)
    first = run([BASH, REPO_ROOT / "run_kiosk.sh", "list"], env, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Installing" in first.stderr
    (install,) = pip_installs(tmp_path)
    assert f"-c {REPO_ROOT / 'constraints.txt'}" in install
    assert f"-e {REPO_ROOT}" in install
    assert "--no-index" not in install

    second = run([BASH, REPO_ROOT / "run_kiosk.sh", "list"], env, tmp_path)
    assert second.returncode == 0, second.stderr
    assert "Installing" not in second.stderr
    assert second.stderr == ""
    assert len(pip_installs(tmp_path)) == 1


def test_arguments_pass_through_unchanged(stub_venv: Path, tmp_path: Path) -> None:
    out = run(
        [BASH, REPO_ROOT / "run_kiosk.sh", "--kiosk", "--site", "/etc/kiosk/my site.toml"],
        script_env(stub_venv),
        tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "kiosk got: [--kiosk] [--site] [/etc/kiosk/my site.toml]"


def test_run_tests_installs_test_extras_and_passes_args_to_pytest(
    stub_venv: Path, tmp_path: Path
) -> None:
    out = run(
        [BASH, REPO_ROOT / "run_tests.sh", "-q", "-k", "x y"], script_env(stub_venv), tmp_path
    )
    assert out.returncode == 0, out.stderr
    calls = (tmp_path / "calls.log").read_text().splitlines()
    assert f"-e {REPO_ROOT}[test]" in calls[0]
    assert calls[-1] == "-m pytest -q -k x y"


def test_wheelhouse_installs_offline(stub_venv: Path, tmp_path: Path) -> None:
    wheelhouse = tmp_path / "wheelhouse"
    wheelhouse.mkdir()
    out = run(
        [BASH, REPO_ROOT / "run_kiosk.sh"],
        script_env(stub_venv, KIOSK_WHEELHOUSE=str(wheelhouse)),
        tmp_path,
    )
    assert out.returncode == 0, out.stderr
    (install,) = pip_installs(tmp_path)
    assert f"--no-index --find-links {wheelhouse}" in install


def test_missing_wheelhouse_is_a_clear_error(stub_venv: Path, tmp_path: Path) -> None:
    out = run(
        [BASH, REPO_ROOT / "run_kiosk.sh"],
        script_env(stub_venv, KIOSK_WHEELHOUSE=str(tmp_path / "nope")),
        tmp_path,
    )
    assert out.returncode == 3
    assert "not a folder of wheels" in out.stderr
    assert pip_installs(tmp_path) == []


def test_old_python_is_refused_with_a_clear_message(stub_venv: Path, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    executable(
        bin_dir / "python3",
        '#!/bin/sh\nif [ "$1" = "-c" ]; then echo 3.8; else echo "Python 3.8.18"; fi\n',
    )
    env = script_env(stub_venv, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    out = run([BASH, REPO_ROOT / "run_kiosk.sh"], env, tmp_path)
    assert out.returncode == 3
    assert "Python 3.8" in out.stderr and "3.9 or newer" in out.stderr
    assert "Traceback" not in out.stderr
    assert pip_installs(tmp_path) == []


def test_missing_python_is_refused_with_a_clear_message(stub_venv: Path, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("dirname", "cat", "cksum"):
        found = shutil.which(tool)
        assert found, tool
        (bin_dir / tool).symlink_to(found)
    out = run(
        [BASH, REPO_ROOT / "run_kiosk.sh"], script_env(stub_venv, PATH=str(bin_dir)), tmp_path
    )
    assert out.returncode == 3
    assert "python3 not found" in out.stderr
    assert "apt-get install python3" in out.stderr


def test_failed_install_shows_pip_output_and_does_not_start(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    executable(venv / "bin" / "python", '#!/bin/sh\necho "pip says: no such version" >&2\nexit 1\n')
    executable(venv / "bin" / "kiosk", "#!/bin/sh\necho started\n")
    out = run([BASH, REPO_ROOT / "run_kiosk.sh"], script_env(venv), tmp_path)
    assert out.returncode == 4
    assert "pip says: no such version" in out.stderr
    assert "installing the kiosk failed" in out.stderr
    assert "started" not in out.stdout
    assert not (venv / ".kiosk-install-stamp").exists()


def test_kiosk_after_tests_reuses_the_test_install(stub_venv: Path, tmp_path: Path) -> None:
    env = script_env(stub_venv)
    assert run([BASH, REPO_ROOT / "run_tests.sh"], env, tmp_path).returncode == 0
    out = run([BASH, REPO_ROOT / "run_kiosk.sh"], env, tmp_path)
    assert out.returncode == 0, out.stderr
    assert "Installing" not in out.stderr
    assert len(pip_installs(tmp_path)) == 1


def test_tests_after_kiosk_add_the_test_extras(stub_venv: Path, tmp_path: Path) -> None:
    env = script_env(stub_venv)
    assert run([BASH, REPO_ROOT / "run_kiosk.sh"], env, tmp_path).returncode == 0
    out = run([BASH, REPO_ROOT / "run_tests.sh"], env, tmp_path)
    assert out.returncode == 0, out.stderr
    installs = pip_installs(tmp_path)
    assert len(installs) == 2 and installs[1].endswith(f"-e {REPO_ROOT}[test]")


def test_after_an_offline_install_plain_runs_do_not_reinstall(
    stub_venv: Path, tmp_path: Path
) -> None:
    wheelhouse = tmp_path / "wheelhouse"
    wheelhouse.mkdir()
    offline = script_env(stub_venv, KIOSK_WHEELHOUSE=str(wheelhouse))
    assert run([BASH, REPO_ROOT / "run_kiosk.sh"], offline, tmp_path).returncode == 0
    out = run([BASH, REPO_ROOT / "run_kiosk.sh", "check"], script_env(stub_venv), tmp_path)
    assert out.returncode == 0, out.stderr
    assert len(pip_installs(tmp_path)) == 1
