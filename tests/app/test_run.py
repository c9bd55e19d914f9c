"""``kiosk run``: --kiosk locks the site down; in kiosk mode only a staff exit ends the loop."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from kiosk import app as app_module
from kiosk import run as run_module

pytestmark = [pytest.mark.data]

FIXTURE_CARDS = Path(__file__).parent / "fixtures" / "cards"


def _args(kiosk: bool) -> argparse.Namespace:
    return argparse.Namespace(cards=FIXTURE_CARDS, site=None, kiosk=kiosk)


def test_run_without_kiosk_runs_once(monkeypatch) -> None:
    runs = []
    monkeypatch.setattr(app_module.KioskApp, "run", lambda self: runs.append(self.site))
    assert run_module.run_from_args(_args(kiosk=False)) == 0
    assert len(runs) == 1 and runs[0].kiosk is False


@pytest.mark.expected_errors  # the restart is logged as an error
def test_kiosk_flag_locks_down_and_restarts_until_staff_exit(monkeypatch) -> None:
    runs = []

    def fake_run(self) -> None:
        runs.append(self.site)
        self.staff_exit = len(runs) == 2  # the first run "crashes", the second is a staff exit

    monkeypatch.setenv("TEXTUAL_ALLOW_SIGNALS", "1")
    monkeypatch.setattr(app_module.KioskApp, "run", fake_run)
    monkeypatch.setattr(run_module.time, "sleep", lambda seconds: None)
    assert run_module.run_from_args(_args(kiosk=True)) == 0
    assert len(runs) == 2 and all(site.kiosk for site in runs)
    import os

    assert "TEXTUAL_ALLOW_SIGNALS" not in os.environ
