"""Text and sizes for the card screen's pages (helpers kept out of :mod:`card`)."""

from __future__ import annotations

from collections.abc import Iterable

from textual.widget import Widget

from kiosk.deck.model import Source
from kiosk.session import PageBudget, source_text

#: A page's heading takes one row above its list, two on a page narrower than this
#: ("Джерела (перевірено 2026-12-01)" is 31 cells).
ONE_ROW_HEADING_CELLS = 32


def bullet_list(items: Iterable[str]) -> str:
    return "\n".join(f"• {item}" for item in items)


def sources_text(sources: Iterable[Source], *, full: bool = True) -> str:
    return "\n".join(source_text(s.publisher, s.title, s.url, full=full) for s in sources)


def page_budget(page: Widget, *, short: bool) -> PageBudget | None:
    """What one page of this size holds below its heading (None before the first layout).

    One cell is kept spare at the right: the page's wrapping is counted in Python, and a
    word Rich puts on the next line must still fit.
    """
    region = page.content_region
    if region.height <= 0 or region.width <= 0:
        return None
    button_rows = 1 if short else 3  # related-card buttons: 3 rows at every text size
    heading_rows = 1 if region.width >= ONE_ROW_HEADING_CELLS else 2
    return PageBudget(
        lines=max(1, region.height - heading_rows),
        cells=max(8, region.width - 1),
        button_lines=button_rows + 1,
        full_sources=not short,
    )
