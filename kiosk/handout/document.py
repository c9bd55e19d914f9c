"""What a printout says, as a list of blocks that the PDF and the receipt both draw.

Keeping the words apart from the drawing means the two formats cannot drift: a test
of :func:`card_document` covers what both print, and each renderer only decides sizes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from kiosk.deck.model import Card
from kiosk.handout.qr import QrUnavailable, card_url, qr_matrix
from kiosk.site import Site
from kiosk.strings import Strings


class Kind(str, Enum):
    """How a block is drawn; each renderer has one style per kind."""

    EMERGENCY = "emergency"  # the number to call, in a box
    TITLE = "title"
    URGENCY = "urgency"  # EMERGENCY / SEE A DOCTOR / SELF-CARE
    TEXT = "text"
    HEADING = "heading"
    STEP = "step"  # numbered with ``number``
    BULLET = "bullet"
    LINK = "link"  # a URL: may break anywhere
    QR = "qr"  # the QR of the URL in ``text``
    SMALL = "small"


@dataclass(frozen=True)
class Block:
    kind: Kind
    text: str = ""
    number: int = 0


@dataclass(frozen=True)
class Document:
    """A printout: ``title`` names the print job; ``blocks`` are drawn in order."""

    title: str
    language: str
    blocks: tuple[Block, ...]

    def text(self) -> str:
        """Every block's words, one per line (what a reader of the page would find)."""
        return "\n".join(block.text for block in self.blocks if block.kind is not Kind.QR)


def emergency_line(site: Site, strings: Strings) -> str:
    """'Emergency: call 112' in the language of ``strings``, with the site's number."""
    label = site.wording("emergency_label", strings)
    return strings.format("emergency.bar", label=label, number=site.emergency_number)


def card_document(card: Card, site: Site, printed_at: dt.datetime) -> Document:
    """The handout of ``card``, in the card's language.

    The interface words (headings, the emergency line) follow the card's language, so a
    card that fell back to English is not printed under Ukrainian headings.
    """
    strings = Strings(card.language)
    blocks = [
        Block(Kind.EMERGENCY, emergency_line(site, strings)),
        Block(Kind.TITLE, card.title),
        Block(Kind.URGENCY, strings[f"urgency.{card.urgency.value}"]),
        Block(Kind.TEXT, card.summary),
        Block(Kind.HEADING, strings["print.steps"]),
    ]
    blocks += [Block(Kind.STEP, step.text, n) for n, step in enumerate(card.steps, 1)]
    for heading, items in (
        ("card.call_emergency_if", card.call_emergency_if),
        ("card.do_not", card.do_not),
        ("card.see_doctor_if", card.see_doctor_if),
        ("card.prevention", card.prevention),
    ):
        if items:
            blocks.append(Block(Kind.HEADING, strings[heading]))
            blocks += [Block(Kind.BULLET, item) for item in items]
    url = card_url(card)
    if card.sources:
        source = card.sources[0]
        blocks.append(Block(Kind.HEADING, strings["print.source"]))
        blocks.append(Block(Kind.TEXT, f"{source.publisher}: {source.title}"))
        blocks.append(Block(Kind.LINK, url))
        if not isinstance(qr_matrix(url), QrUnavailable):  # too long for a QR: text only
            blocks.append(Block(Kind.QR, url))
            blocks.append(Block(Kind.SMALL, strings["print.scan"]))
    blocks.append(Block(Kind.SMALL, strings.format("print.reviewed", date=card.reviewed)))
    blocks.append(Block(Kind.SMALL, printed_line(site, strings, printed_at)))
    return Document(card.title, card.language, tuple(blocks))


def printed_line(site: Site, strings: Strings, printed_at: dt.datetime) -> str:
    when = printed_at.strftime("%Y-%m-%d %H:%M")
    return strings.format("print.printed", when=when, site=site.wording("name", strings))


def lines_document(
    title: str,
    lines: tuple[str, ...],
    language: str,
    site: Site,
    printed_at: dt.datetime,
    subtitle: str = "",
) -> Document:
    """A printout of plain lines under a title and an optional subtitle (the handover slip)."""
    strings = Strings(language)
    blocks = [Block(Kind.TITLE, title)]
    if subtitle:
        blocks.append(Block(Kind.HEADING, subtitle))
    blocks += [Block(Kind.BULLET, line) for line in lines]
    blocks.append(Block(Kind.SMALL, printed_line(site, strings, printed_at)))
    return Document(title, language, tuple(blocks))
