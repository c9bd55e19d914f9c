"""`kiosk list | head` and the like: when the reader stops reading, the kiosk ends
quietly (status 141, as a shell reports SIGPIPE), never "internal error:
BrokenPipeError" or a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["list", "--lang", "uk"],
        ["check"],
        ["check", "--site", "deploy/site.example.toml"],
    ],
    ids=" ".join,
)
def test_output_cut_short_ends_quietly(command: list[str]) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO_ROOT,
    )
    # Close the reading end before the kiosk writes (it loads the deck first), as
    # `head` does once it has its lines: every write then fails with EPIPE.
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    errors = process.stderr.read().decode("utf-8", "replace")
    status = process.wait(timeout=120)
    assert errors == ""
    assert status == 141


def test_head_on_a_real_pipe_shows_the_first_card_and_nothing_else() -> None:
    out = subprocess.run(
        f'"{sys.executable}" -m kiosk list | head -n 1',
        shell=True,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
    )
    assert out.stderr == ""
    assert len(out.stdout.splitlines()) == 1
