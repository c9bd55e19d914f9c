"""The printed handout: what the PDF and the receipt say, in both languages."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from escpos.printer import Dummy
from handouthelpers import GS_V0, pdf_fonts, pdf_pages, pdf_text, raster_images, stack, zbar

from kiosk.deck import Deck, Source
from kiosk.handout.document import Kind, card_document
from kiosk.handout.pdf import render_pdf
from kiosk.handout.receipt import DOTS, receipt_image, receipt_profile, write_receipt
from kiosk.site import Site

pytestmark = [pytest.mark.data]

PRINTED_AT = dt.datetime(2026, 12, 1, 14, 5)
LONG_URL = "https://example.org/" + "very-long-path/" * 30


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("language", ["en", "uk"])
def test_the_pdf_holds_title_steps_lists_and_the_sites_number(
    deck: Deck, site: Site, tmp_path: Path, language: str
) -> None:
    card = deck.cards[language]["seizure"]
    text = squash(pdf_text(render_pdf(card_document(card, site, PRINTED_AT)), tmp_path))
    assert card.title in text
    for line in (*[s.text for s in card.steps], *card.call_emergency_if, *card.do_not):
        assert squash(line) in text, line
    for line in card.see_doctor_if:
        assert squash(line) in text, line
    assert "0800123" in text
    assert {"en": "Emergency: call 0800123", "uk": "телефонуйте 0800123"}[language] in text
    assert card.sources[0].url in text
    assert card.reviewed.isoformat() in text  # the review date
    assert "Riverside Pool" in text


def test_the_pdf_fonts_are_embedded_and_have_the_ukrainian_letters(
    deck: Deck, site: Site, tmp_path: Path
) -> None:
    card = deck.cards["uk"]["febrile-seizure"]
    pdf = render_pdf(card_document(card, site, PRINTED_AT))
    fonts = pdf_fonts(pdf, tmp_path)
    assert len(fonts) == 2  # DejaVu Sans and its bold
    for row in fonts:
        assert "DejaVuSans" in row[0]
        assert row[-5:-2] == ["yes", "yes", "yes"], row  # emb, sub, uni
    text = pdf_text(pdf, tmp_path)
    assert "і" in text and "ї" in text  # extracted as the letters, not as boxes


def test_the_pdf_qr_decodes_to_the_source(deck: Deck, site: Site, tmp_path: Path) -> None:
    card = deck.cards["en"]["night-cramps"]
    pages = pdf_pages(render_pdf(card_document(card, site, PRINTED_AT)), tmp_path, dpi=150)
    found = [url for page in pages for url in zbar(page, tmp_path)]
    assert found == [card.sources[0].url]


def test_a_url_too_long_for_a_qr_is_printed_as_text_only(
    deck: Deck, site: Site, tmp_path: Path
) -> None:
    card = replace(deck.cards["en"]["leg-cramp"], sources=(Source("NHS", "Cramp", LONG_URL),))
    document = card_document(card, site, PRINTED_AT)
    kinds = [block.kind for block in document.blocks]
    assert Kind.QR not in kinds and Kind.LINK in kinds
    printed = "".join(pdf_text(render_pdf(document), tmp_path).split())  # joined across lines
    assert LONG_URL in printed
    image = receipt_image(document, 58)
    assert zbar(image, tmp_path) == []


@pytest.mark.parametrize(("language", "width"), [("uk", 58), ("uk", 80), ("en", 58)])
def test_the_receipt_starts_with_esc_at_and_is_a_raster_that_scans(
    deck: Deck, site: Site, tmp_path: Path, language: str, width: int
) -> None:
    card = deck.cards[language]["seizure"]
    printer = Dummy(profile=receipt_profile(width))
    write_receipt(printer, receipt_image(card_document(card, site, PRINTED_AT), width))
    output = printer.output
    assert output.startswith(b"\x1b@")  # ESC @: initialise
    assert GS_V0 in output  # GS v 0: raster bit image
    assert output.endswith(b"\x1bd\x06\x1dV\x00")  # feed 6 lines, full cut
    images = raster_images(output)
    assert {image.width for image in images} == {DOTS[width]}
    # The picture the printer gets holds the source's QR, readable by a phone.
    assert zbar(stack(images), tmp_path) == [card.sources[0].url]
    # Ukrainian is never sent as printer text: no Cyrillic code-page bytes outside rasters.
    assert b"\x1bt" not in output  # ESC t: select a character code table


def test_the_receipt_is_as_wide_as_the_paper(deck: Deck, site: Site) -> None:
    document = card_document(deck.cards["uk"]["leg-cramp"], site, PRINTED_AT)
    assert receipt_image(document, 58).width == 384
    assert receipt_image(document, 80).width == 576
    assert receipt_image(document, 58).mode == "1"


@pytest.mark.slow
def test_every_bundled_card_makes_both_printouts(deck: Deck, site: Site) -> None:
    for by_id in deck.cards.values():
        for card in by_id.values():
            document = card_document(card, site, PRINTED_AT)
            assert render_pdf(document).startswith(b"%PDF")
            assert receipt_image(document, 58).height > 1000
