"""The home screen: one big numbered tile per scenario, in deck order.

A frightened visitor taps a tile (or presses its number) and the card opens. Below
the tiles: search, language, text size and colours, then where the first-aid kit and
defibrillator are, and a discreet notice for staff when cards failed to load. The
screen is built once; it follows the app's ``language`` and ``text_size`` reactives.
How many tile columns fit is CSS (``home.tcss``, by width class and text size).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from kiosk.deck.model import Card, Deck
from kiosk.screens.base import KioskScreen
from kiosk.site import Site
from kiosk.strings import Strings
from kiosk.widgets.buttons import CardButton
from kiosk.widgets.emergency_bar import EmergencyBar
from kiosk.widgets.site_name import SiteName

__all__ = ["HomeScreen", "SiteName", "tile_label"]


def tile_label(number: int, card: Card) -> str:
    """The plain-text label of a tile: ``"1 Seizure"`` (never parsed as markup)."""
    prefix = f"{number} " if number <= 9 else ""
    return f"{prefix}{card.label}"


class Body(VerticalScroll, can_focus=False):
    """Scrolls when the screen is small; focus moves between buttons, never to the scroller."""


class HomeScreen(KioskScreen[None]):
    """Tiles for every card of the current language, plus the visitor's controls."""

    #: A keypad user starts on tile 1: Enter opens it, arrows move from there.
    AUTO_FOCUS = ".tile"

    BINDINGS = [
        *(Binding(str(n), f"open_tile({n})", show=False) for n in range(1, 10)),
        Binding("left", "move(-1, 0)", show=False),
        Binding("right", "move(1, 0)", show=False),
        Binding("up", "move(0, -1)", show=False),
        Binding("down", "move(0, 1)", show=False),
    ]

    def __init__(self, deck: Deck, site: Site, *, unavailable: int = 0) -> None:
        super().__init__()
        self.deck = deck
        self.site = site
        self.unavailable = unavailable
        self.strings = Strings(deck.default_language or "en")
        self._card_ids: list[str] = []

    def compose(self) -> ComposeResult:
        self.strings = self.kiosk.strings
        yield EmergencyBar(self.site, self.strings)
        with Body(id="home-body"):
            yield SiteName(Content(self.site.wording("name", self.strings)), id="site-name")
            yield Static(self.strings["home.pick"], id="pick", markup=False)
            # Composed with the screen (not mounted after it): one styling pass at start.
            cards = self.deck.cards_for(self.strings.language)
            self._card_ids = [card.id for card in cards]
            with Grid(id="tiles"):
                yield from self._tiles(cards)
            with Grid(id="controls"):
                yield Button("", id="search", classes="control", action="app.search")
                yield Button("", id="language", classes="control", action="app.cycle_language")
                yield Button("", id="size", classes="control", action="app.cycle_text_size")
                yield Button("", id="theme", classes="control", action="app.cycle_theme")
            yield Static("", id="first-aid-kit", classes="site-detail", markup=False)
            yield Static("", id="defibrillator", classes="site-detail", markup=False)
            yield Static("", id="staff-notice", markup=False)

    @staticmethod
    def _tiles(cards: Iterable[Card]) -> Iterator[CardButton]:
        for n, card in enumerate(cards, start=1):
            yield CardButton(tile_label(n, card), card.id, id=f"tile-{card.id}", classes="tile")

    def on_mount(self) -> None:
        self.watch(self.kiosk, "language", self._show_language)
        self.watch(self.kiosk, "text_size", self._show_text_size)
        self.call_after_refresh(self.start_over)

    def start_over(self) -> None:
        """As a new visitor finds it: tile 1 focused, scrolled to the top."""
        tiles = self.query(".tile")
        if tiles:
            tiles.first().focus(scroll_visible=False)
        self.query_one("#home-body", Body).scroll_home(animate=False)

    # -- following the reactives ------------------------------------------------------

    def _show_language(self, language: str) -> None:
        """Tiles and text in ``language`` (tiles rebuilt only if the set of cards changed)."""
        strings = self.strings = Strings(language)
        cards = self.deck.cards_for(language)
        ids = [card.id for card in cards]
        grid = self.query_one("#tiles", Grid)
        if ids != self._card_ids:
            grid.remove_children()
            grid.mount_all(self._tiles(cards))
            self._card_ids = ids
        else:
            for n, card in enumerate(cards, start=1):
                tile = grid.query_one(f"#tile-{card.id}", CardButton)
                tile.label = Content(tile_label(n, card))
        self.query_one("#site-name", SiteName).update(Content(self.site.wording("name", strings)))
        self.query_one("#pick", Static).update(strings["home.pick"])
        self.query_one("#search", Button).label = strings["home.search"]
        self.query_one("#theme", Button).label = strings["home.theme"]
        self.query_one("#language", Button).label = Content(strings["language.code"])
        self._show_text_size(self.kiosk.text_size)
        self._show_details()

    def _show_text_size(self, text_size: str) -> None:
        size = self.strings[f"home.size.{text_size}"]
        label = Content(self.strings.format("home.size", size=size))
        self.query_one("#size", Button).label = label

    def _show_details(self) -> None:
        kit_place = self.site.wording("first_aid_kit", self.strings)
        kit = self.query_one("#first-aid-kit", Static)
        kit.display = bool(kit_place)
        kit.update(self.strings.format("home.first_aid_kit", where=kit_place))
        aed_place = self.site.wording("defibrillator", self.strings)
        aed = self.query_one("#defibrillator", Static)
        aed.display = bool(aed_place)
        aed.update(self.strings.format("home.defibrillator", where=aed_place))
        notice = self.query_one("#staff-notice", Static)
        notice.display = self.unavailable > 0
        if self.unavailable == 1:
            notice.update(self.strings["home.unavailable.one"])
        else:
            notice.update(self.strings.format("home.unavailable", count=self.unavailable))

    # -- input -------------------------------------------------------------------------

    def action_open_tile(self, number: int) -> None:
        if 1 <= number <= len(self._card_ids):
            self.kiosk.action_open_card(self._card_ids[number - 1])

    def action_move(self, dx: int, dy: int) -> None:
        """Arrow keys move between tiles as in the grid; off the grid they move between controls."""
        tiles = list(self.query(".tile").results(CardButton))
        focused = self.focused
        if isinstance(focused, CardButton) and focused in tiles:
            columns = self.query_one("#tiles", Grid).styles.grid_size_columns or 1
            index = tiles.index(focused) + dx + dy * columns
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
