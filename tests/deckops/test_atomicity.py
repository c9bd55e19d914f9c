"""Interrupted and failing installs: ``current`` always names a complete, checked deck.

An install killed with SIGKILL at each step (and at random moments), a full disk (a
small tmpfs, and a faked ENOSPC), a read-only or unwritable decks root, two installs at
once, a decks root that would vanish at reboot (tmpfs, an overlay in memory).
The mount tests run in a private mount namespace (``unshare``) and skip where that is
not allowed.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from benchmarks.gen_deck import write_deck
from kiosk.cli import main
from kiosk.deck import bundle as bundles
from kiosk.deck import install as installs
from kiosk.deck.install import DecksRoot, read_metadata
from kiosk.deck.loader import load_deck
from tests.deckops.conftest import REPO_ROOT, kiosk, make_deck, seizure_title

pytestmark = [pytest.mark.data]


def assert_live_deck_is_whole(decks: Path, titles: set[str]) -> str:
    """``current`` names an installed version, complete and without errors; its title."""
    target = os.readlink(decks / "current")
    folder = decks / target
    assert read_metadata(folder) is not None, f"{target} is not a complete install"
    result = load_deck(folder)
    assert not result.errors, [p.format() for p in result.errors]
    title = seizure_title(folder)
    assert title in titles, title
    assert all(v.name != target or True for v in DecksRoot(decks).versions())
    return title


FAILPOINTS = ["copied", "checked", "renamed", "previous-linked", "swapped"]


@pytest.mark.e2e
@pytest.mark.parametrize("step", FAILPOINTS)
def test_killed_at_each_step_leaves_old_or_new_deck_whole(tmp_path: Path, step: str) -> None:
    decks = tmp_path / "decks"
    assert (
        kiosk(
            "deck", "install", str(make_deck(tmp_path / "v1", "Old")), "--decks", str(decks)
        ).returncode
        == 0
    )
    new = make_deck(tmp_path / "v2", "New")
    run = kiosk(
        "deck", "install", str(new), "--decks", str(decks), env={"KIOSK_DECK_FAILPOINT": step}
    )
    assert run.returncode == -signal.SIGKILL
    title = assert_live_deck_is_whole(decks, {"Old", "New"})
    assert title == ("New" if step == "swapped" else "Old")
    listed = kiosk("deck", "list", "--decks", str(decks))
    assert ".staging" not in listed.stdout
    # the next install cleans up and succeeds
    again = kiosk(
        "deck", "install", str(make_deck(tmp_path / "v3", "Newer")), "--decks", str(decks)
    )
    assert again.returncode == 0, again.stderr
    assert DecksRoot(decks).leftovers() == []
    assert seizure_title(decks / "current") == "Newer"


@pytest.mark.e2e
@pytest.mark.slow
def test_killed_at_random_moments_leaves_a_whole_deck(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    old = tmp_path / "old"
    write_deck(old, 300, seed=1)
    assert kiosk("deck", "install", str(old), "--decks", str(decks)).returncode == 0
    old_title = seizure_title_of(decks)
    sources = []
    for seed in (2, 3):
        folder = tmp_path / f"new{seed}"
        write_deck(folder, 300, seed=seed)
        sources.append(folder)
    titles = {old_title} | {first_title(load_deck(s)) for s in sources}
    started = time.monotonic()
    probe = kiosk("deck", "install", str(sources[0]), "--decks", str(decks))
    duration = time.monotonic() - started
    assert probe.returncode == 0
    rng = random.Random(14)
    killed = 0
    for round_number in range(12):
        source = sources[round_number % 2]
        env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
        env["KIOSK_SITE"] = ""
        process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "deck", "install", str(source), "--decks", str(decks)],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.05, duration))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.wait(timeout=60)
        whole = assert_live_deck_is_whole_by_title(decks, titles)
        assert whole
        for version in DecksRoot(decks).versions():
            assert read_metadata(version.path) is not None
    assert killed >= 3, "the kills all came too late to test anything"
    final = kiosk("deck", "install", str(old), "--decks", str(decks))
    assert final.returncode == 0 and DecksRoot(decks).leftovers() == []


def first_title(result) -> str:
    return result.deck.cards_for("en")[0].title


def seizure_title_of(decks: Path) -> str:
    return first_title(load_deck(decks / "current"))


def assert_live_deck_is_whole_by_title(decks: Path, titles: set[str]) -> bool:
    folder = decks / os.readlink(decks / "current")
    assert read_metadata(folder) is not None
    result = load_deck(folder)
    assert not result.errors and len(result.deck.cards_for("en")) == 300
    assert first_title(result) in titles
    return True


def test_a_faked_full_disk_mid_copy_changes_nothing(tmp_path, capsys, monkeypatch) -> None:
    decks = tmp_path / "decks"
    assert (
        main(["deck", "install", str(make_deck(tmp_path / "v1", "Old")), "--decks", str(decks)])
        == 0
    )
    capsys.readouterr()
    real_write, calls = os.write, []

    def filling_write(fd: int, data) -> int:
        calls.append(1)
        if len(calls) > 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(bundles.os, "write", filling_write)
    status = main(
        ["deck", "install", str(make_deck(tmp_path / "v2", "New")), "--decks", str(decks)]
    )
    err = capsys.readouterr().err
    assert status == 1 and "is full" in err and "Nothing was changed" in err
    monkeypatch.undo()
    assert seizure_title(decks / "current") == "Old"
    assert DecksRoot(decks).leftovers() == [] and len(DecksRoot(decks).versions()) == 1


def test_a_second_install_waits_then_refuses_clearly(tmp_path, capsys) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    with open(decks / installs.LOCK_NAME, "w") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        holder.write("4242\n")
        holder.flush()
        started = time.monotonic()
        status = main(
            [
                "deck",
                "install",
                str(make_deck(tmp_path / "v")),
                "--decks",
                str(decks),
                "--wait",
                "0.5",
            ]
        )
        waited = time.monotonic() - started
    err = capsys.readouterr().err
    assert status == 1 and "another kiosk deck command (pid 4242)" in err
    assert waited >= 0.5
    assert not (decks / "current").exists()


def test_installs_one_after_the_other_both_succeed(tmp_path) -> None:
    decks = tmp_path / "decks"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env["KIOSK_SITE"] = ""
    sources = [make_deck(tmp_path / f"v{n}", f"S{n}") for n in (1, 2)]
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kiosk",
                "deck",
                "install",
                str(s),
                "--decks",
                str(decks),
                "--wait",
                "60",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for s in sources
    ]
    assert [p.wait(timeout=120) for p in processes] == [0, 0]
    assert len(DecksRoot(decks).versions()) == 2


# Mounts, in a private mount namespace


def in_namespace(script: str, tmp: Path) -> dict:
    """Run Python ``script`` as root in a private mount namespace; its JSON result."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare not available")
    probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"no private mount namespace here: {probe.stderr.decode().strip()}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env["KIOSK_SITE"] = ""
    env["PYTHONPATH"] = str(REPO_ROOT)
    run = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", sys.executable, "-c", script, str(tmp)],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        cwd=REPO_ROOT,
    )
    if run.returncode == 77:
        pytest.skip(run.stdout.strip())
    assert run.returncode == 0, run.stdout + run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


PRELUDE = """
import contextlib, io, json, os, subprocess, sys
from pathlib import Path
from kiosk.cli import main
from tests.deckops.conftest import make_deck, seizure_title
tmp = Path(sys.argv[1])

def mount(*args):
    if subprocess.run(["mount", *args], capture_output=True).returncode != 0:
        print("cannot mount here"); sys.exit(77)

def deck(*args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["deck", *args])
    return status, out.getvalue() + err.getvalue()
"""


@pytest.mark.e2e
def test_a_full_disk_is_refused_early_or_mid_copy_and_nothing_is_lost(tmp_path: Path) -> None:
    script = (
        PRELUDE
        + """
small = tmp / "small"; small.mkdir()
mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(small))
decks = small / "decks"
old = make_deck(tmp / "v1", "Old")
first = deck("install", str(old), "--decks", str(decks), "--allow-volatile")
from benchmarks.gen_deck import write_deck
write_deck(tmp / "big", 400)
early = deck("install", str(tmp / "big"), "--decks", str(decks), "--allow-volatile")
from kiosk.deck import install
install._free_bytes = lambda path: 10**12   # skip the estimate: hit ENOSPC while writing
late = deck("install", str(tmp / "big"), "--decks", str(decks), "--allow-volatile")
print(json.dumps({"first": first, "early": early, "late": late,
                  "title": seizure_title(decks / "current"),
                  "left": sorted(os.listdir(decks))}))
"""
    )
    result = in_namespace(script, tmp_path)
    assert result["first"][0] == 0, result["first"]
    assert result["early"][0] == 1 and "not enough free space" in result["early"][1]
    assert result["late"][0] == 1 and "is full" in result["late"][1]
    assert result["title"] == "Old"
    assert [n for n in result["left"] if n.startswith(".staging")] == []


@pytest.mark.e2e
def test_a_read_only_decks_root_says_what_to_do(tmp_path: Path) -> None:
    script = (
        PRELUDE
        + """
decks = tmp / "decks"
first = deck("install", str(make_deck(tmp / "v1", "Old")), "--decks", str(decks))
mount("--bind", str(decks), str(decks))
mount("-o", "remount,ro,bind", str(decks))
second = deck("install", str(make_deck(tmp / "v2", "New")), "--decks", str(decks))
rollback = deck("rollback", "--decks", str(decks))
print(json.dumps({"first": first, "second": second, "rollback": rollback,
                  "title": seizure_title(decks / "current")}))
"""
    )
    result = in_namespace(script, tmp_path)
    assert result["first"][0] == 0
    status, text = result["second"]
    assert status == 1 and "read-only file system" in text and "Read-only root" in text
    assert result["title"] == "Old"


@pytest.mark.e2e
@pytest.mark.parametrize("layer", ["tmpfs", "overlay"])
def test_a_decks_root_lost_at_reboot_is_refused(tmp_path: Path, layer: str) -> None:
    script = (
        PRELUDE
        + f"""
memory = tmp / "memory"; memory.mkdir()
mount("-t", "tmpfs", "tmpfs", str(memory))
root = memory
if "{layer}" == "overlay":
    (memory / "upper").mkdir(); (memory / "work").mkdir()
    lower = tmp / "lower"; lower.mkdir(); root = tmp / "merged"; root.mkdir()
    mount("-t", "overlay", "overlay", "-o",
          f"lowerdir={{lower}},upperdir={{memory}}/upper,workdir={{memory}}/work", str(root))
refused = deck("install", str(make_deck(tmp / "v1")), "--decks", str(root / "decks"))
print(json.dumps({{"refused": refused, "made": (root / "decks" / "current").exists()}}))
"""
    )
    result = in_namespace(script, tmp_path)
    status, text = result["refused"]
    assert status == 1 and "lost at the next reboot" in text and "Read-only root" in text
    assert not result["made"]


@pytest.mark.e2e
def test_a_decks_root_this_user_cannot_write_says_use_sudo(tmp_path: Path) -> None:
    if shutil.which("setpriv") is None or os.geteuid() != 0:
        pytest.skip("needs root and setpriv to run as another user")
    base = Path(tempfile.mkdtemp(prefix="kiosk-decks-", dir="/tmp"))
    try:
        base.chmod(0o755)
        decks = base / "decks"
        source = make_deck(base / "src")
        assert main(["deck", "install", str(source), "--decks", str(decks)]) == 0
        before = os.readlink(decks / "current")
        env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
        env.update(KIOSK_SITE="", PYTHONPATH=str(REPO_ROOT))
        run = subprocess.run(
            [
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                sys.executable,
                "-m",
                "kiosk",
                "deck",
                "install",
                str(source),
                "--decks",
                str(decks),
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd="/",
            timeout=120,
        )
        if (
            "No module named" in run.stderr
            or "Permission denied" in run.stderr
            and "kiosk deck" not in run.stderr
        ):
            pytest.skip(f"the test Python cannot run as nobody here: {run.stderr[-200:]}")
        assert run.returncode == 1, run.stdout + run.stderr
        assert "not writable by this user" in run.stderr and "sudo" in run.stderr
        assert os.readlink(decks / "current") == before
    finally:
        shutil.rmtree(base, ignore_errors=True)
