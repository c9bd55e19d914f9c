"""The operator's silent failure (shared/reviews/operator.md, step 2j): a second deck
update on the same day. The README's old hand-typed procedure copied the new deck
*into* yesterday's folder (``cp -r`` onto an existing folder nests it), checked the
old deck, swapped to it and reported success: the kiosk kept the old cards. The same
two updates with ``kiosk deck install`` leave the new cards live."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deckops.conftest import REPO_ROOT, kiosk, make_deck, seizure_title

pytestmark = [pytest.mark.e2e]

# The "Updating the deck safely" block of the README before kiosk deck install, as
# the operator ran it (update-deck.sh), with the paths made variables.
OLD_README_PROCEDURE = """
set -e
new=$DECKS/$(date +%Y-%m-%d)
cp -r "$SOURCE" "$new"
$KIOSK check --cards "$new" || exit 1
ln -sfn "$new" $DECKS/current.new
mv -T $DECKS/current.new $DECKS/current
"""


def old_procedure(source: Path, decks: Path) -> None:
    env = dict(os.environ, SOURCE=str(source), DECKS=str(decks), KIOSK=f"{sys.executable} -m kiosk")
    run = subprocess.run(
        ["bash", "-c", OLD_README_PROCEDURE], env=env, cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr  # it reports success either way


def new_command(source: Path, decks: Path) -> None:
    run = kiosk("deck", "install", str(source), "--decks", str(decks))
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize(
    "update",
    [
        pytest.param(
            old_procedure,
            id="old README procedure",
            marks=pytest.mark.xfail(strict=True, reason="silently keeps the old deck (step 2j)"),
        ),
        pytest.param(new_command, id="kiosk deck install"),
    ],
)
def test_a_second_update_on_the_same_day_goes_live(tmp_path: Path, update) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    update(make_deck(tmp_path / "v2" / "cards", "Seizure (fit) v2"), decks)
    assert seizure_title(decks / "current") == "Seizure (fit) v2"
    update(make_deck(tmp_path / "v3" / "cards", "Seizure (fit) v3"), decks)
    assert seizure_title(decks / "current") == "Seizure (fit) v3"
