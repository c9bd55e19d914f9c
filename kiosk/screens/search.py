"""The search screen: type a word, tap a result.

Results update on every keystroke, from a physical keyboard or the on-screen one. A
result is a :class:`~kiosk.widgets.buttons.CardButton` (``app.open_card``); Enter opens
the first one; Back and Escape go home.

One result button is built per card when the screen is composed; a keystroke only
shows, hides and reorders them, so typing stays quick on a Raspberry Pi. Card text is
shown as plain text, never as markup.

Nothing scrolls (issue 12): :meth:`SearchScreen._fit` gives the keyboard the rows the
results can spare, and the results come in pages of as many whole buttons as fit, with
Previous / Next and "1 of 2" under them when there are more; on a short screen the
query row and the results are one row tall. Where even then the keyboard leaves no row
for a result (36x10 in Ukrainian), the emergency bar keeps only its number line.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Key
from textual.widgets import Button, Input, Static

from kiosk.deck.model import Card, Deck
from kiosk.deck.search import SearchIndex
from kiosk.screens.base import KioskScreen
from kiosk.site import Site
from kiosk.strings import Strings
from kiosk.styles import SHORT_ROWS
from kiosk.widgets.buttons import CardButton, PagerButton
from kiosk.widgets.emergency_bar import EmergencyBar
from kiosk.widgets.keyboard import OnScreenKeyboard

MAX_QUERY_LENGTH = 40
"""Longer queries are never useful and only push the text out of sight."""

MIN_RESULT_ROWS = 11
"""Rows kept for results (two big buttons and their pager) before the keyboard may use
tall keys."""

MIN_RESULT_ROWS_LARGE = 15
"""The same with large or extra-large text, where each result is five rows tall."""


def result_id(card_id: str) -> str:
    """The widget id of the result button for ``card_id`` (ids may start with a digit)."""
    return f"result--{card_id}"


class ResultButton(CardButton):
    """One search result: a big button with the card's title, as plain text."""

    def __init__(self, card: Card) -> None:
        super().__init__(card.title, card.id, id=result_id(card.id), classes=card.urgency.value)


class ResultList(Vertical, can_focus=False, inherit_bindings=False):
    """The results of the page shown (never scrolled).

    Not focusable, so tapping a gap never takes focus from the input; no key
    bindings, so up and down move between results.
    """


class SearchScreen(KioskScreen[None]):
    """Find a card by a word in its title, keywords or steps."""

    BINDINGS = [
        Binding("escape", "app.home", "Back", show=False, id="search.back"),
        Binding("down", "move_focus(1)", "Next result", show=False, id="search.next"),
        Binding("up", "move_focus(-1)", "Previous result", show=False, id="search.previous"),
    ]

    def __init__(self, deck: Deck, language: str, site: Site, strings: Strings) -> None:
        super().__init__()
        self.deck = deck
        self.language = language
        self.site = site
        self.strings = strings
        self._cards = deck.cards_for(language)
        self._index = SearchIndex(self._cards)
        self._shown: list[str] = [card.id for card in self._cards]
        self._large_text = False
        self._pages: list[list[str]] = [self._shown]
        self.results_page = 0
        """The page of results shown, from 0."""
        self._result_rows = 0

    def compose(self) -> ComposeResult:
        yield EmergencyBar(self.site, self.strings)
        with Horizontal(id="search-bar"):
            yield Button(Content(self.strings["search.back"]), id="search-back", action="app.home")
            query = Input(
                placeholder=self.strings["search.placeholder"],
                max_length=MAX_QUERY_LENGTH,
                select_on_focus=False,
                id="search-query",
            )
            query.cursor_blink = False  # a steady cursor: no idle redraws, stable snapshots
            yield query
            # On a short screen the results' Previous / Next sit here, saving a row.
            yield PagerButton("◀", id="bar-previous", classes="bar-pager", action="screen.page(-1)")
            yield Static("", id="bar-page-of", classes="bar-pager", markup=False)
            yield PagerButton("▶", id="bar-next", classes="bar-pager", action="screen.page(1)")
        with ResultList(id="search-results"):
            for card in self._cards:
                yield ResultButton(card)
            yield Static(self.strings["search.no_results"], id="search-no-results", markup=False)
        with Horizontal(id="results-pager"):
            yield PagerButton(
                self.strings["home.previous"], id="results-previous", action="screen.page(-1)"
            )
            yield Static("", id="results-page-of", markup=False)
            yield PagerButton(self.strings["home.next"], id="results-next", action="screen.page(1)")
        yield OnScreenKeyboard(self.strings["keyboard.letters"], self.strings)

    def on_mount(self) -> None:
        self.query_one("#search-no-results").display = not self._cards
        self.query_one("#search-query", Input).focus()
        self.watch(self.kiosk, "text_size", self._text_size_changed)

    def _text_size_changed(self, text_size: str) -> None:
        self._large_text = text_size != "normal"
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def on_screen_resume(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Give the keyboard the rows the results can spare, then page the results."""
        width, height = self.app.size
        if width <= 0 or height <= 0:
            return
        short = height < SHORT_ROWS
        self.set_class(short, "-compact")
        emergency_bar = self.query_one(EmergencyBar)
        emergency_bar.limit_rows(None)  # measured with the AED and kit line first
        bar = emergency_bar.rows_for(width)
        search_bar = 1 if short else 3
        self.query_one("#search-bar").styles.height = search_bar
        for widget in (self.query_one("#search-back"), self.query_one("#search-query")):
            widget.styles.height = search_bar
        keyboard = self.query_one(OnScreenKeyboard)
        large = self._large_text and not short
        results = MIN_RESULT_ROWS_LARGE if large else MIN_RESULT_ROWS
        if short:
            results = 2  # one one-row result with a free row (the pager is in the query row)
        inner = width - keyboard.styles.padding.width
        keyboard.fit_to(inner, height - bar - search_bar - results, large_keys=large)
        keyboard_rows = keyboard.rows_needed(inner)
        if bar + search_bar + keyboard_rows + 1 > height:
            # No row left for a result (36x10 in Ukrainian: six rows of keys): the bar
            # keeps only its number line, as on the PIN prompt; AED and kit are on
            # every other screen.
            emergency_bar.limit_rows(0)  # the number line only: it is never left out
            bar = emergency_bar.rows_for(width)
            keyboard.fit_to(inner, height - bar - search_bar - results, large_keys=large)
            keyboard_rows = keyboard.rows_needed(inner)
        self._result_rows = max(1, height - bar - search_bar - keyboard_rows)
        self._paginate()

    def _result_height(self, card_id: str, width: int) -> int:
        """Rows one result takes with the gap after it: its title wrapped, plus the border."""
        button = self.query_one(f"#{result_id(card_id)}", ResultButton)
        compact = self.has_class("-compact")
        chrome = 0 if compact else 2
        padding = 0 if compact else 4  # line-pad 2 each side
        title = Content.from_text(button.label)
        lines = len(title.wrap(max(1, width - 2 - padding - chrome)))
        if not compact:
            lines += 2 * int(self._large_text)  # padding 1 0 in the large sizes
            return max(3, lines + chrome) + 1
        return lines + 1

    def _paginate(self, keep: str | None = None) -> None:
        """Split the results shown into pages of whole buttons; show the page with ``keep``."""
        width = self.app.size.width
        pager = 0 if self.has_class("-compact") else 3
        space = self._result_rows
        heights = {cid: self._result_height(cid, width) for cid in self._shown}
        pages: list[list[str]] = [[]]
        used = 0
        total = sum(heights.values())
        room = space + 1 if total <= space + 1 or not pager else space - pager
        for card_id in self._shown:
            if pages[-1] and used + heights[card_id] > room:
                pages.append([])
                used = 0
            pages[-1].append(card_id)
            used += heights[card_id]
        self._pages = pages
        page = 0
        if keep is not None:
            page = next((n for n, ids in enumerate(pages) if keep in ids), 0)
        self._show_results_page(page)

    def _show_results_page(self, page: int) -> None:
        self.results_page = page % max(1, len(self._pages))
        shown = set(self._pages[self.results_page]) if self._pages else set()
        compact = self.has_class("-compact")
        results = self.query_one("#search-results", ResultList)
        with self.app.batch_update():
            for button in results.query_children(ResultButton):
                button.display = button.card_id in shown
                button.styles.line_pad = 0 if compact else 2
                if compact:  # one row per line of title, in every theme and text size
                    button.styles.border = ("none", "black")
                    button.styles.min_height = 1
                    button.styles.padding = (0, 0)
                else:
                    for rule in ("border", "min_height", "padding"):
                        button.styles.clear_rule(rule)
            several = len(self._pages) > 1
            self.query_one("#results-pager").display = several and not compact
            for widget in self.query(".bar-pager"):
                widget.display = several and compact
            page_of = self.strings.format(
                "home.page", n=self.results_page + 1, total=len(self._pages)
            )
            self.query_one("#results-page-of", Static).update(page_of)
            self.query_one("#bar-page-of", Static).update(
                f"{self.results_page + 1}/{len(self._pages)}"
            )

    def action_page(self, step: int) -> None:
        """Previous or Next under the results (they stay where they are)."""
        if len(self._pages) > 1:
            self._show_results_page(self.results_page + step)

    @property
    def query_text(self) -> str:
        """What the visitor has typed so far."""
        return self.query_one("#search-query", Input).value

    @property
    def shown_card_ids(self) -> list[str]:
        """Ids of every result found, in order (over all pages)."""
        return list(self._shown)

    @property
    def page_card_ids(self) -> list[str]:
        """Ids of the results on the page shown, in order."""
        return list(self._pages[self.results_page]) if self._pages else []

    def reset(self) -> None:
        """Empty the query."""
        self.query_one("#search-query", Input).clear()

    @on(Input.Changed, "#search-query")
    def _query_changed(self, event: Input.Changed) -> None:
        self._show_results([card.id for card in self._index.search(event.value)])

    def _show_results(self, card_ids: list[str]) -> None:
        """Show exactly ``card_ids``, in that order, without rebuilding any widget."""
        results = self.query_one("#search-results", ResultList)
        buttons = {button.card_id: button for button in results.query_children(ResultButton)}
        wanted = set(card_ids)
        with self.app.batch_update():
            for card_id, button in buttons.items():
                button.display = card_id in wanted
            if card_ids != [card_id for card_id in buttons if card_id in wanted]:
                for position, card_id in enumerate(card_ids):
                    results.move_child(buttons[card_id], before=position)
            self.query_one("#search-no-results").display = not card_ids
        self._shown = card_ids
        self._paginate()

    @on(Input.Submitted, "#search-query")
    def _open_first(self) -> None:
        if self._shown:
            self.query_one(f"#{result_id(self._shown[0])}", ResultButton).press()

    def action_move_focus(self, direction: int) -> None:
        """Arrow keys: from the input down into the results, and back up."""
        visible = [self.query_one(f"#{result_id(cid)}", ResultButton) for cid in self.page_card_ids]
        query = self.query_one("#search-query", Input)
        focused = self.focused
        if isinstance(focused, ResultButton) and focused in visible:
            position = visible.index(focused) + direction
            if position < 0:
                query.focus()
            elif position < len(visible):
                visible[position].focus()
        elif direction > 0 and visible:
            visible[0].focus()

    @on(OnScreenKeyboard.Typed)
    def _typed(self, event: OnScreenKeyboard.Typed) -> None:
        query = self.query_one("#search-query", Input)
        query.insert_text_at_cursor(event.text)
        query.focus()

    @on(OnScreenKeyboard.Backspace)
    def _backspace(self) -> None:
        query = self.query_one("#search-query", Input)
        query.action_delete_left()
        query.focus()

    @on(OnScreenKeyboard.Cleared)
    def _cleared(self) -> None:
        query = self.query_one("#search-query", Input)
        query.clear()
        query.focus()

    def on_key(self, event: Key) -> None:
        """A letter typed while a result has focus goes to the query, not nowhere."""
        query = self.query_one("#search-query", Input)
        if self.focused is not query and event.is_printable and event.character:
            if event.character == " ":
                return
            event.stop()
            query.focus()
            query.insert_text_at_cursor(event.character)
