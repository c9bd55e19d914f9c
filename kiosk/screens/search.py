"""The search screen: type a word, tap a result.

Results update on every keystroke, from a physical keyboard or the on-screen one. A
result is a :class:`~kiosk.widgets.buttons.CardButton` (``app.open_card``); Enter opens
the first one; Back and Escape go home.

One result button is built per card when the screen is composed; a keystroke only
shows, hides and reorders them, so typing stays quick on a Raspberry Pi. Card text is
shown as plain text, never as markup.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.events import Key
from textual.widgets import Button, Input, Static

from kiosk.deck.model import Card, Deck
from kiosk.deck.search import SearchIndex
from kiosk.screens.base import KioskScreen
from kiosk.site import Site
from kiosk.strings import Strings
from kiosk.styles import SHORT_ROWS
from kiosk.widgets.buttons import CardButton
from kiosk.widgets.emergency_bar import EmergencyBar
from kiosk.widgets.keyboard import OnScreenKeyboard

MAX_QUERY_LENGTH = 40
"""Longer queries are never useful and only push the text out of sight."""

MIN_RESULT_ROWS = 7
"""Rows kept for results (two big buttons) before the keyboard may use tall keys."""

MIN_RESULT_ROWS_LARGE = 11
"""The same with large or extra-large text, where each result is five rows tall."""


def result_id(card_id: str) -> str:
    """The widget id of the result button for ``card_id`` (ids may start with a digit)."""
    return f"result--{card_id}"


class ResultButton(CardButton):
    """One search result: a big button with the card's title, as plain text."""

    def __init__(self, card: Card) -> None:
        super().__init__(card.title, card.id, id=result_id(card.id), classes=card.urgency.value)


class ResultList(VerticalScroll, can_focus=False, inherit_bindings=False):
    """The results.

    Not focusable, so tapping a gap never takes focus from the input; no key
    bindings, so up and down move between results (which scroll into view).
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
        with ResultList(id="search-results"):
            for card in self._cards:
                yield ResultButton(card)
            yield Static(self.strings["search.no_results"], id="search-no-results", markup=False)
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
        """Give the keyboard the rows the results can spare (see :mod:`kiosk.widgets.keyboard`)."""
        width, height = self.app.size
        short = height < SHORT_ROWS
        bar = self.query_one(EmergencyBar).outer_size.height or 2
        search_bar = self.query_one("#search-bar").outer_size.height or 3
        keyboard = self.query_one(OnScreenKeyboard)
        large = self._large_text and not short
        results = MIN_RESULT_ROWS_LARGE if large else MIN_RESULT_ROWS
        keyboard.fit_to(
            width - keyboard.styles.padding.width,
            height - bar - search_bar - results,
            large_keys=large,
        )

    @property
    def query_text(self) -> str:
        """What the visitor has typed so far."""
        return self.query_one("#search-query", Input).value

    @property
    def shown_card_ids(self) -> list[str]:
        """Ids of the results on screen, in order."""
        return list(self._shown)

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
            results.scroll_home(animate=False)
        self._shown = card_ids

    @on(Input.Submitted, "#search-query")
    def _open_first(self) -> None:
        if self._shown:
            self.query_one(f"#{result_id(self._shown[0])}", ResultButton).press()

    def action_move_focus(self, direction: int) -> None:
        """Arrow keys: from the input down into the results, and back up."""
        visible = [self.query_one(f"#{result_id(cid)}", ResultButton) for cid in self._shown]
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
