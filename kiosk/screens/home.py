"""The home screen: one big numbered tile per scenario, in deck order.

A frightened visitor taps a tile (or presses its number) and the card opens.
Below the tiles: search, language, text size and colours, then where the
first-aid kit and defibrillator are, and a discreet notice for staff when
cards failed to load. The screen is built once and updated in place when
the language changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Static

from kiosk.deck.model import Card, Deck
from kiosk.site import Site
from kiosk.strings import Strings
from kiosk.widgets.emergency_bar import EmergencyBar
from kiosk.widgets.guard import guarded

#: Textual's Button gives itself this class when it mounts (its ``flat`` watcher), which
#: restyles it once more; a button created with it skips that (13 restyles at start).
STARTING_BUTTON_CLASS = "-style-default"
TILE = f"tile {STARTING_BUTTON_CLASS}"
CONTROL = f"control {STARTING_BUTTON_CLASS}"

#: Narrowest useful tile, in cells; the grid gets as many columns as fit.
TILE_MIN_WIDTH = {"normal": 22, "large": 30, "extra-large": 38}


def tile_label(number: int, card: Card) -> Content:
    """The plain-text label of a tile: ``"1 Seizure"`` (never parsed as markup)."""
    prefix = f"{number} " if number <= 9 else ""
    return Content(f"{prefix}{card.label}")


class SiteName(Static):
    """The site's name; staff tap it five times quickly to reach the staff screen."""

    class Tapped(Message):
        """The site name was tapped."""

    def on_click(self, event: events.Click) -> None:
        self.post_message(self.Tapped())


class Body(VerticalScroll, can_focus=False):
    """Scrolls when the screen is small; focus moves between buttons, never to the scroller."""


class HomeScreen(Screen[None]):
    """Tiles for every card of the current language, plus the visitor's controls."""

    #: A keypad user starts on tile 1: Enter opens it, arrows move from there.
    AUTO_FOCUS = ".tile"

    BINDINGS = [
        *(Binding(str(n), f"open_tile({n})", show=False) for n in range(1, 10)),
        Binding("left", "move(-1, 0)", show=False),
        Binding("right", "move(1, 0)", show=False),
        Binding("up", "move(0, -1)", show=False),
        Binding("down", "move(0, 1)", show=False),
        Binding("space", "press_focused", show=False),
    ]

    class OpenCard(Message):
        """The visitor chose a card."""

        def __init__(self, card_id: str) -> None:
            super().__init__()
            self.card_id = card_id

    class Control(Message):
        """One of the visitor's controls: ``search``, ``language``, ``size`` or ``theme``."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(
        self,
        deck: Deck,
        site: Site,
        strings: Strings,
        *,
        unavailable: int = 0,
        text_size: str = "normal",
        classes: str | None = None,
    ) -> None:
        super().__init__(classes=classes)
        self.deck = deck
        self.site = site
        self.strings = strings
        self.unavailable = unavailable
        self.text_size = text_size
        self._card_ids: list[str] = []
        self._columns = 1

    def compose(self) -> ComposeResult:
        yield EmergencyBar(self.site, self.strings)
        with Body(id="home-body"):
            yield SiteName(Content(self.site.wording("name", self.strings)), id="site-name")
            yield Static(self.strings["home.pick"], id="pick", markup=False)
            # The tiles are composed with the screen (not mounted after it): one styling
            # and layout pass at start instead of two.
            cards = self.deck.cards_for(self.strings.language)
            self._card_ids = [card.id for card in cards]
            with Grid(id="tiles"):
                yield from self._tiles(cards)
            with Grid(id="controls"):
                yield Button(self.strings["home.search"], id="search", classes=CONTROL)
                yield Button("", id="language", classes=CONTROL)
                yield Button("", id="size", classes=CONTROL)
                yield Button(self.strings["home.theme"], id="theme", classes=CONTROL)
            yield Static("", id="first-aid-kit", classes="site-detail", markup=False)
            yield Static("", id="defibrillator", classes="site-detail", markup=False)
            yield Static("", id="staff-notice", markup=False)

    @staticmethod
    def _tiles(cards: Iterable[Card]) -> Iterator[Button]:
        for n, card in enumerate(cards, start=1):
            yield Button(tile_label(n, card), id=f"tile-{card.id}", classes=TILE)

    def on_mount(self) -> None:
        self.show_language(self.strings)
        self.call_after_refresh(self.scroll_to_top)

    def scroll_to_top(self) -> None:
        """Show the site name and the first tiles (focusing tile 1 may have scrolled)."""
        self.query_one("#home-body", Body).scroll_home(animate=False)

    # -- updates in place --------------------------------------------------------------

    def show_language(self, strings: Strings) -> None:
        """Show tiles and text in ``strings.language`` (tiles rebuilt only if the set changed)."""
        self.strings = strings
        cards = self.deck.cards_for(strings.language)
        ids = [card.id for card in cards]
        grid = self.query_one("#tiles", Grid)
        if ids != self._card_ids:
            grid.remove_children()
            grid.mount_all(self._tiles(cards))
            self._card_ids = ids
        else:
            for n, card in enumerate(cards, start=1):
                grid.query_one(f"#tile-{card.id}", Button).label = tile_label(n, card)
        self.query_one(EmergencyBar).set_strings(strings)
        self.query_one("#site-name", SiteName).update(Content(self.site.wording("name", strings)))
        self.query_one("#pick", Static).update(strings["home.pick"])
        self.query_one("#search", Button).label = strings["home.search"]
        self.query_one("#theme", Button).label = strings["home.theme"]
        self.query_one("#language", Button).label = Content(strings["language.code"])
        self._show_size_label()
        self._show_details()

    def show_text_size(self, text_size: str) -> None:
        """Relabel the size button and reflow the tiles for ``text_size``."""
        self.text_size = text_size
        self._show_size_label()
        self._reflow(self.size.width)

    def _show_size_label(self) -> None:
        size = self.strings[f"home.size.{self.text_size}"]
        self.query_one("#size", Button).label = Content(self.strings.format("home.size", size=size))

    def _show_details(self) -> None:
        kit = self.query_one("#first-aid-kit", Static)
        kit.display = bool(self.site.first_aid_kit)
        kit.update(self.strings.format("home.first_aid_kit", where=self.site.first_aid_kit))
        aed = self.query_one("#defibrillator", Static)
        aed.display = bool(self.site.defibrillator)
        aed.update(self.strings.format("home.defibrillator", where=self.site.defibrillator))
        notice = self.query_one("#staff-notice", Static)
        notice.display = self.unavailable > 0
        if self.unavailable == 1:
            notice.update(self.strings["home.unavailable.one"])
        else:
            notice.update(self.strings.format("home.unavailable", count=self.unavailable))

    # -- layout ------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._reflow(event.size.width)

    def _reflow(self, width: int) -> None:
        """As many tile columns as fit the width at this text size (one at least)."""
        usable = max(1, width - 4)
        columns = max(1, min(4, usable // TILE_MIN_WIDTH.get(self.text_size, 22)))
        columns = min(columns, max(1, len(self._card_ids)))
        if columns != self._columns:
            self._columns = columns
            self.query_one("#tiles", Grid).styles.grid_size_columns = columns

    # -- input -------------------------------------------------------------------------

    @guarded
    def action_open_tile(self, number: int) -> None:
        if 1 <= number <= len(self._card_ids):
            self.post_message(self.OpenCard(self._card_ids[number - 1]))

    def action_press_focused(self) -> None:
        """Space opens the focused tile as Enter does (Textual buttons only bind Enter)."""
        if isinstance(self.focused, Button):
            self.focused.press()

    @guarded
    def action_move(self, dx: int, dy: int) -> None:
        """Arrow keys move between tiles as in the grid; off the grid they move between controls."""
        tiles = list(self.query(".tile").results(Button))
        focused = self.focused
        if focused in tiles:
            index = tiles.index(focused) + dx + dy * self._columns
            if 0 <= index < len(tiles):
                tiles[index].focus()
            elif index >= len(tiles):
                self.query_one("#search", Button).focus()
            return
        if dy < 0 and focused is not None and focused.has_class("control") and tiles:
            tiles[-1].focus()
        elif dx + dy > 0:
            self.focus_next()
        else:
            self.focus_previous()

    @on(Button.Pressed, ".tile")
    @guarded
    def _tile_pressed(self, event: Button.Pressed) -> None:
        card_id = (event.button.id or "").removeprefix("tile-")
        self.post_message(self.OpenCard(card_id))

    @on(Button.Pressed, ".control")
    @guarded
    def _control_pressed(self, event: Button.Pressed) -> None:
        self.post_message(self.Control(event.button.id or ""))
