"""The metrics file: parsed by prometheus-client's own parser, values follow the kiosk."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kiosk import __version__
from kiosk.deck.model import Problem
from kiosk.fleet.metrics import KioskMetrics
from kiosk.fleet.usage import UsageCounts

pytestmark = [pytest.mark.data]


def samples(path: Path) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(path.read_text(encoding="utf-8")):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_the_file_says_what_the_kiosk_was_told(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.prom"
    usage = UsageCounts(None)
    metrics = KioskMetrics(path, usage=usage, started=1_700_000_000.0)
    metrics.deck_loaded(
        deck_version="2026-12-01.1",
        cards=24,
        past_review=2,
        problems=[Problem(Path("a.toml"), "E001", "x"), Problem(Path("b.toml"), "W003", "y")],
    )
    metrics.site_checked([Problem(Path("site.toml"), "W101", "no pin")])
    metrics.error_handled()
    metrics.idle_reset()
    metrics.idle_reset()
    assert metrics.write()
    first = samples(path)
    assert first[("kiosk_up", ())] == 1
    assert first[("kiosk_start_time_seconds", ())] == 1_700_000_000
    info = (("deck_version", "2026-12-01.1"), ("version", __version__))
    assert first[("kiosk_build_info", info)] == 1
    assert first[("kiosk_cards_loaded", ())] == 24
    assert first[("kiosk_cards_past_review", ())] == 2
    assert first[("kiosk_deck_problems", (("severity", "error"),))] == 1
    assert first[("kiosk_deck_problems", (("severity", "warning"),))] == 1
    assert first[("kiosk_site_problems", (("severity", "error"),))] == 0
    assert first[("kiosk_site_problems", (("severity", "warning"),))] == 1
    assert first[("kiosk_unexpected_errors_total", ())] == 1
    assert first[("kiosk_idle_resets_total", ())] == 2
    assert not [name for name, _ in first if name == "kiosk_usage_total"]

    # Open a card: its counter rises in the next file.
    usage.opened("choking", "en")
    usage.opened("choking", "en")
    usage.search_used("uk")
    metrics.write()
    second = samples(path)
    opened = (("card", "choking"), ("event", "opened"), ("language", "en"))
    assert second[("kiosk_usage_total", opened)] == 2
    searched = (("card", ""), ("event", "searches"), ("language", "uk"))
    assert second[("kiosk_usage_total", searched)] == 1

    metrics.stopped()
    metrics.write()
    assert samples(path)[("kiosk_up", ())] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kiosk.prom"]


def test_no_metrics_file_is_off(tmp_path: Path) -> None:
    assert KioskMetrics("").write()
    assert KioskMetrics(None).write()


def test_an_unwritable_folder_never_stops_the_kiosk_and_logs_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "node_exporter"
    blocker.write_text("a file where the folder should be")
    metrics = KioskMetrics(blocker / "kiosk.prom")
    assert not metrics.write()
    assert not metrics.write()
    assert len([r for r in caplog.records if "cannot write the metrics file" in r.message]) == 1


def test_a_read_only_folder_leaves_the_old_file_whole(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    path = tmp_path / "kiosk.prom"
    metrics = KioskMetrics(path)
    metrics.write()
    before = path.read_text()
    tmp_path.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        metrics.error_handled()
        assert not metrics.write()
    finally:
        tmp_path.chmod(stat.S_IRWXU)
    assert path.read_text() == before


def test_cards_past_review_counts_the_bundled_deck_against_a_day() -> None:
    import datetime as dt

    from kiosk.deck import bundled_cards_dir, load_deck
    from kiosk.fleet.metrics import cards_past_review

    deck = load_deck(bundled_cards_dir()).deck
    cards = [card for by_id in deck.cards.values() for card in by_id.values()]
    assert cards_past_review(cards, dt.date(2000, 1, 1)) == 0
    assert cards_past_review(cards, dt.date(2999, 1, 1)) == len(cards)
