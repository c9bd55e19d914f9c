"""The "For the ambulance" page: the right clock times and durations, in both languages,
from an injected clock; gone after a clear; printable; never logged."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from escpos.printer import Dummy
from handouthelpers import GS_V0, pdf_text

from kiosk.deck import Deck
from kiosk.handout.document import lines_document
from kiosk.handout.handover import HandoverRecord, ManualClock, Tool, duration_text
from kiosk.handout.pdf import render_pdf
from kiosk.handout.printing import Printing
from kiosk.handout.receipt import receipt_profile
from kiosk.site import Site
from kiosk.strings import Strings

pytestmark = [pytest.mark.data]

T = dt.datetime(2026, 12, 1, 14, 2, 0)


def seizure_record() -> tuple[HandoverRecord, ManualClock]:
    """A seizure timed from 14:02 for 6 min 10 s, the recovery position step reached."""
    clock = ManualClock(T)
    record = HandoverRecord(clock)
    record.reached("seizure", 0)
    record.started(Tool.STOPWATCH, "seizure", 0)
    for step in range(1, 6):
        clock.advance(60)
        record.reached("seizure", step)
    clock.advance(70)
    record.stopped(Tool.STOPWATCH, "seizure", 0)
    clock.advance(125)
    return record, clock


def test_seizure_in_english(deck: Deck) -> None:
    record, _ = seizure_record()
    assert record.has_timed_events(deck)
    page = record.page(deck, "en")
    assert page.title == "For the ambulance"
    assert page.now == "Time now 14:10"
    assert page.lines == (
        "Seizure: started 14:02, lasted 6 min 10 s",
        "Reached step 6 of 8: " + deck.cards["en"]["seizure"].steps[5].text,
    )


def test_seizure_in_ukrainian(deck: Deck) -> None:
    record, _ = seizure_record()
    page = record.page(deck, "uk")
    assert page.title == "Для швидкої допомоги"
    assert page.now == "Зараз 14:10"
    assert page.lines[0] == "Судомний напад: початок о 14:02, тривалість 6 хв 10 с"
    assert page.lines[1].startswith("Дійшли до кроку 6 з 8: ")
    assert page.lines[1].endswith(deck.cards["uk"]["seizure"].steps[5].text)


def test_a_running_stopwatch_and_cpr_say_so_far(deck: Deck) -> None:
    clock = ManualClock(dt.datetime(2026, 12, 1, 9, 58, 30))
    record = HandoverRecord(clock)
    record.started(Tool.STOPWATCH, "febrile-seizure", 0)
    clock.advance(45)
    record.started(Tool.CPR_BEAT, "seizure", 6)  # a stand-in card for the CPR step
    clock.advance(3 * 3600 + 65)
    lines = record.page(deck, "en").lines
    en_label = deck.cards["en"]["febrile-seizure"].label
    assert lines[0] == f"{en_label}: started 09:58, still going: 3 h 1 min so far"
    assert "CPR: started 09:59, still going: 3 h 1 min so far" in lines
    uk = record.page(deck, "uk").lines
    uk_label = deck.cards["uk"]["febrile-seizure"].label
    assert uk[0] == f"{uk_label}: початок о 09:58, триває вже 3 год 1 хв"


def test_a_restarted_stopwatch_is_two_seizures(deck: Deck) -> None:
    clock = ManualClock(T)
    record = HandoverRecord(clock)
    record.started(Tool.STOPWATCH, "seizure", 0)
    clock.advance(130)
    record.started(Tool.STOPWATCH, "seizure", 0)  # "Start again from 0:00"
    clock.advance(40)
    record.stopped(Tool.STOPWATCH, "seizure", 0)
    lines = record.page(deck, "en").lines
    assert lines[:2] == (
        "Seizure: started 14:02, lasted 2 min 10 s",
        "Seizure: started 14:04, lasted 40 s",
    )


def test_a_stretch_timer_is_not_for_the_ambulance(deck: Deck) -> None:
    clock = ManualClock(T)
    record = HandoverRecord(clock)
    record.started(Tool.COUNTDOWN, "leg-cramp", 2)
    clock.advance(30)
    record.stopped(Tool.COUNTDOWN, "leg-cramp", 2)
    assert not record.has_timed_events(deck)
    assert record.page(deck, "en").lines == ("Nothing was timed.",)


def test_a_countdown_on_an_emergency_card_counts(deck: Deck) -> None:
    # No bundled emergency card has a countdown yet (anaphylaxis will); the heat-illness
    # card is emergency urgency and stands in for it.
    clock = ManualClock(T)
    record = HandoverRecord(clock)
    record.started(Tool.COUNTDOWN, "heat-illness", 0)
    clock.advance(300)
    assert record.has_timed_events(deck)
    assert record.page(deck, "en").lines[0] == (
        "Heat illness: timer started 14:02, running: 5 min 0 s so far"
    )


def test_clear_forgets_everything(deck: Deck) -> None:
    record, _ = seizure_record()
    record.clear()
    assert not record.has_timed_events(deck)
    assert record.events == [] and record.reached_steps == {}
    assert record.page(deck, "en").lines == ("Nothing was timed.",)


def test_a_wall_clock_jump_cannot_change_a_duration(deck: Deck) -> None:
    class JumpyClock(ManualClock):
        def wall(self) -> dt.datetime:  # NTP sets the clock an hour back mid-seizure
            return super().wall() - dt.timedelta(hours=1 if self.monotonic() > 10 else 0)

    clock = JumpyClock(T)
    record = HandoverRecord(clock)
    record.started(Tool.STOPWATCH, "seizure", 0)
    clock.advance(90)
    record.stopped(Tool.STOPWATCH, "seizure", 0)
    assert record.page(deck, "en").lines[0] == "Seizure: started 14:02, lasted 1 min 30 s"


def test_stray_calls_are_harmless(deck: Deck) -> None:
    record = HandoverRecord(ManualClock(T))
    record.stopped(Tool.CPR_BEAT, "seizure", 3)  # a stop with no start
    record.reached("no-such-card", 99)
    record.started(Tool.STOPWATCH, "no-such-card", 0)
    assert record.page(deck, "en").lines == ("Nothing was timed.",)


@pytest.mark.parametrize(
    ("seconds", "en", "uk"),
    [(0, "0 s", "0 с"), (59.9, "59 s", "59 с"), (370, "6 min 10 s", "6 хв 10 с"),
     (3600, "1 h 0 min", "1 год 0 хв")],
)  # fmt: skip
def test_durations(seconds: float, en: str, uk: str) -> None:
    assert duration_text(seconds, Strings("en")) == en
    assert duration_text(seconds, Strings("uk")) == uk


def test_the_slip_prints_as_pdf_and_receipt_and_nothing_is_logged(
    deck: Deck, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = Site(name="Riverside Pool", printer="escpos-net:192.0.2.7", printer_width=80)
    made: list[Dummy] = []

    def connect(spec: object, width_mm: int, timeout: float) -> Dummy:
        made.append(Dummy(profile=receipt_profile(width_mm)))
        return made[-1]

    with caplog.at_level(logging.DEBUG):
        record, clock = seizure_record()
        page = record.page(deck, "uk")
        result = Printing(site, clock=clock, connect=connect).print_handover(page, "uk")
        pdf = render_pdf(lines_document(page.title, page.lines, "uk", site, T, page.now))
    assert result.ok
    assert made[0].output.startswith(b"\x1b@") and GS_V0 in made[0].output
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert "Для швидкої допомоги" in text and "Зараз 14:10" in text
    assert "початок о 14:02, тривалість 6 хв 10 с" in text
    assert "14:02" not in caplog.text and "Судом" not in caplog.text


@pytest.mark.parametrize("name", ["handover.toml", "handout.toml"])
def test_both_languages_have_every_key(name: str) -> None:
    from kiosk.deck import toml
    from kiosk.strings import I18N_DIR

    en = toml.loads((I18N_DIR / "en" / name).read_text(encoding="utf-8"))
    uk = toml.loads((I18N_DIR / "uk" / name).read_text(encoding="utf-8"))
    assert set(en) == set(uk)
    for key in en:  # the same {placeholders}, so a format() never fails in one language
        assert sorted(_fields(en[key])) == sorted(_fields(uk[key])), key


def _fields(text: str) -> list[str]:
    import string

    return [field for _, field, _, _ in string.Formatter().parse(text) if field]
