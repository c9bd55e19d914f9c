"""The take-home QR: what a phone camera reads off the terminal cells is the card's URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from handouthelpers import cells_to_image, zbar

from kiosk.deck import Deck
from kiosk.handout import qr
from kiosk.handout.qr import QrUnavailable, TerminalQr, card_qr, card_url, terminal_qr

pytestmark = [pytest.mark.data]

NHS = "https://www.nhs.uk/conditions/what-to-do-if-someone-has-a-seizure-fit/"


def all_cards(deck: Deck) -> list:
    return [card for by_id in deck.cards.values() for card in by_id.values()]


def test_every_bundled_cards_qr_decodes_back_to_its_first_source_url(
    deck: Deck, tmp_path: Path
) -> None:
    cards = all_cards(deck)
    assert len(cards) >= 18
    for card in cards:
        code = card_qr(card, max_columns=200, max_rows=60)
        assert isinstance(code, TerminalQr), (card.id, card.language, code)
        assert zbar(cells_to_image(code.lines), tmp_path) == [card.sources[0].url], card.id


def test_a_larger_scale_still_decodes_and_fits_the_space(tmp_path: Path) -> None:
    code = terminal_qr(NHS, max_columns=200, max_rows=60, max_scale=3)
    assert isinstance(code, TerminalQr)
    assert code.scale == 2  # 3 would need 123 rows
    assert code.columns <= 200 and code.rows <= 60
    assert zbar(cells_to_image(code.lines, pixel=3), tmp_path) == [NHS]


def test_the_lines_are_half_blocks_with_a_four_module_quiet_zone() -> None:
    code = terminal_qr(NHS, 80, 40)
    assert isinstance(code, TerminalQr)
    assert (code.version, code.columns, code.rows) == (4, 41, 21)
    assert len(code.lines) == code.rows
    assert all(len(line) == code.columns for line in code.lines)
    assert set("".join(code.lines)) <= set(" ▀▄█")
    assert code.lines[0].strip() == code.lines[1].strip() == ""  # 4 modules = 2 rows
    assert all(line[:4] == "    " and line[-4:] == "    " for line in code.lines)
    assert qr.FOREGROUND == "#000000" and qr.BACKGROUND == "#ffffff"


def test_a_screen_too_small_gets_the_size_the_code_needs() -> None:
    result = terminal_qr(NHS, max_columns=40, max_rows=20)
    assert isinstance(result, QrUnavailable)
    assert result.reason == qr.NO_ROOM and not result.is_card_problem
    assert (result.columns, result.rows) == (41, 21)
    assert "source URL too long for a QR in 40x20 cells" in result.message
    assert isinstance(terminal_qr(NHS, max_columns=41, max_rows=21), TerminalQr)


def test_a_url_too_long_for_any_kiosk_qr_is_a_card_problem_for_staff() -> None:
    long_url = "https://example.org/" + "a" * 300
    result = terminal_qr(long_url, max_columns=500, max_rows=500)
    assert isinstance(result, QrUnavailable)
    assert result.reason == qr.TOO_LONG and result.is_card_problem
    assert result.message.startswith("source URL too long for a QR (320 bytes")
    # the largest URL a version-10 code holds still makes one
    fits = "https://example.org/" + "a" * (qr.version_capacity(qr.MAX_VERSION) - 20)
    assert isinstance(terminal_qr(fits, 500, 500), TerminalQr)


def test_a_card_with_no_source_says_so(deck: Deck) -> None:
    from dataclasses import replace

    card = replace(deck.card("seizure", "en"), sources=())
    assert card_url(card) == ""
    result = card_qr(card, 200, 60)
    assert isinstance(result, QrUnavailable) and result.reason == qr.NO_URL
