"""The fleet modules wired into the real app: usage counts, metrics file, watchdog pings."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import time
from dataclasses import replace
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kiosk.app import KioskApp, make_app
from kiosk.deck import load_deck
from kiosk.fleet.usage import DATABASE_NAME, EVENTS, read_rows
from tests.app.conftest import FIXTURES, SITE
from tests.fleet.conftest import received
from tests.support.clock import FakeClock
from tests.support.polling import until

pytestmark = [pytest.mark.ui]

SIZE = (80, 24)


def kiosk_app(tmp_path: Path, **site_fields: object) -> KioskApp:
    site = replace(
        SITE,
        state_dir=str(tmp_path / "state"),
        metrics_file=str(tmp_path / "kiosk.prom"),
        **site_fields,
    )
    return make_app(load_deck(FIXTURES / "cards"), site, clock=FakeClock())


def usage_samples(path: Path) -> dict[tuple[str, str, str], float]:
    """``kiosk_usage_total`` from the metrics file, parsed by prometheus_client's parser."""
    found = {}
    for family in text_string_to_metric_families(path.read_text()):
        for sample in family.samples:
            if sample.name == "kiosk_usage_total":
                labels = sample.labels
                found[(labels["event"], labels["card"], labels["language"])] = sample.value
    return found


def gauge(path: Path, name: str) -> float:
    for family in text_string_to_metric_families(path.read_text()):
        for sample in family.samples:
            if sample.name == name:
                return sample.value
    raise AssertionError(f"{name} not in {path}")


async def test_a_scripted_visit_is_counted_in_the_database_and_the_metrics_file(
    tmp_path: Path,
) -> None:
    app = kiosk_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        metrics = tmp_path / "kiosk.prom"
        assert await until(pilot, metrics.exists)  # written right after the first paint
        assert gauge(metrics, "kiosk_up") == 1.0
        assert gauge(metrics, "kiosk_cards_loaded") > 0
        await pilot.press("1")  # the seizure card, step 1 (stopwatch)
        await pilot.click("#stopwatch-start")
        await pilot.press("right", "right")  # steps 2 and 3: the last step
        await pilot.press("home")
        await pilot.press("slash")  # the search screen
        await pilot.press("c", "r", "a", "m", "p")
        app.fleet.flush()
        assert usage_samples(metrics) == {
            ("opened", "seizure", "en"): 1.0,
            ("steps_reached", "seizure", "en"): 3.0,
            ("finished", "seizure", "en"): 1.0,
            ("timers_started", "seizure", "en"): 1.0,
            ("searches", "", "en"): 1.0,
        }
    assert gauge(metrics, "kiosk_up") == 0.0  # a clean stop
    today = dt.date.today().isoformat()
    rows = {
        (row.day, row.card, row.language): dict(zip(EVENTS, row.counts))
        for row in read_rows(tmp_path / "state" / DATABASE_NAME)
    }
    zero = dict.fromkeys(EVENTS, 0)
    assert rows == {
        (today, "", "en"): {**zero, "searches": 1},
        (today, "seizure", "en"): {
            **zero,
            "opened": 1,
            "steps_reached": 3,
            "finished": 1,
            "timers_started": 1,
        },
    }
    assert "cramp" not in (tmp_path / "state" / DATABASE_NAME).read_bytes().decode("latin-1")


async def test_an_unwritable_state_dir_and_metrics_path_never_stop_the_kiosk(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    site = replace(SITE, state_dir=str(blocker / "state"), metrics_file=str(blocker / "kiosk.prom"))
    app = make_app(load_deck(FIXTURES / "cards"), site, clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "right")
        app.fleet.flush()
        assert app.card_place is not None and app.card_place.page == 1
    assert app.return_code in (None, 0)


async def test_the_running_app_says_ready_then_pings_from_its_loop(
    tmp_path: Path, notify_socket: socket.socket, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOTIFY_SOCKET", notify_socket.getsockname())
    monkeypatch.setenv("WATCHDOG_USEC", "600000")  # a ping every 0.5 s (the shortest)
    app = kiosk_app(tmp_path)
    messages: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        deadline = time.monotonic() + 20
        while messages.count("WATCHDOG=1") < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            messages += received(notify_socket)
        assert messages[0] == "READY=1"
        assert messages.count("WATCHDOG=1") >= 2
        # The loop is blocked (a frozen UI): no ping arrives meanwhile.
        received(notify_socket)
        time.sleep(1.2)
        assert received(notify_socket) == []
        await pilot.pause()
    messages = received(notify_socket)
    assert messages and messages[-1] == "STOPPING=1"
