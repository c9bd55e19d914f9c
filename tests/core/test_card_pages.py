"""Card pages split to fit the screen, the card stack and the call-emergency jump (no
Textual: the session alone, on the bundled deck)."""

from __future__ import annotations

import pytest

from kiosk.deck import bundled_cards_dir, load_deck
from kiosk.session import IdlePhase, PageBudget, Session, card_pages, chunks, wrapped_lines
from kiosk.site import Site
from tests.support.clock import FakeClock

pytestmark = pytest.mark.data

DECK = load_deck(bundled_cards_dir()).deck


@pytest.fixture
def session() -> Session:
    return Session(DECK, Site(idle_timeout_seconds=90), FakeClock())


def test_wrapped_lines_counts_words_and_folds_long_ones() -> None:
    assert wrapped_lines("one two three", 7) == 2
    assert wrapped_lines("x" * 25, 10) == 3
    assert wrapped_lines("ab " + "x" * 20, 10) == 3


def test_chunks_fill_each_page_and_give_a_big_item_its_own() -> None:
    assert chunks([2, 2, 1, 5, 1], 4) == [(0, 2), (2, 1), (3, 1), (4, 1)]
    assert chunks([], 4) == []


def test_a_small_screen_gets_more_pages_with_every_item_once() -> None:
    card = DECK.card("resuscitation", "en")
    assert card is not None
    big = card_pages(card, PageBudget(lines=40, cells=100))
    small = card_pages(card, PageBudget(lines=4, cells=30))
    assert len(small) > len(big)
    for pages in (big, small):
        shown = [
            i for p in pages if p.section == "do_not" for i in range(p.first, p.first + p.length)
        ]
        assert shown == list(range(len(card.do_not)))


def test_a_new_budget_keeps_the_visitor_on_what_they_read(session: Session) -> None:
    session.set_page_budget(PageBudget(lines=4, cells=30))
    assert session.open_card("resuscitation")
    target = next(i for i, p in enumerate(session.pages) if p.section == "do_not" and p.first == 3)
    session.page_index = target
    assert session.set_page_budget(PageBudget(lines=40, cells=100))
    page = session.page
    assert page is not None and page.section == "do_not"
    assert page.first <= 3 < page.first + page.length


def test_call_page_and_back_to_the_step(session: Session) -> None:
    assert session.open_card("seizure")
    session.next_page()
    session.next_page()
    assert session.go_to_call_page()
    page = session.page
    assert page is not None and page.section == "call_emergency_if"
    assert session.previous_page() and session.page_index == 2


def test_follow_link_and_back_then_home_forgets(session: Session) -> None:
    assert session.open_card("seizure")
    session.tools.stopwatch.start(session.clock())
    session.page_index = 6
    assert session.follow_link("resuscitation")
    assert session.card is not None and session.card.id == "resuscitation"
    assert not session.tools.stopwatch.started, "the opened card has its own tools"
    assert session.tools.any_running(session.clock()), "the seizure stopwatch still counts"
    assert session.previous_page()
    assert session.card is not None and session.card.id == "seizure"
    assert session.page_index == 6 and session.tools.stopwatch.running()
    assert session.follow_link("resuscitation")
    session.close_card()
    assert not session.card_stack


def test_the_cpr_beat_outlives_the_reset(session: Session) -> None:
    assert session.open_card("resuscitation")
    session.tools.cpr.start(session.clock())
    session.reset()
    assert session.tools.cpr.running() and session.tools.cpr.beat is not None
    assert session.idle_check().phase is IdlePhase.HELD, "and it holds the idle reset"
