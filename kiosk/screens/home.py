"""The home screen: pages of big numbered tiles, emergencies first, never scrolled.

A frightened visitor taps a tile (or presses its number, 1 to 9 on the page shown) and
the card opens. The screen never scrolls: :func:`plan_home` works out, from the space
the terminal gives, how many tiles fit (columns x rows, by text size) and so how many
pages there are; large Previous and Next buttons with "1 of 3" between them sit in a
fixed place at the bottom. Search, language, text size and colours are one row at the
top of every page (one-row buttons where the screen is short); none of them moves when
it is tapped, and a text-size change shows the page that holds the first tile shown
before. The emergency bar above everything gives the number, the staff instruction and
where the defibrillator and first-aid kit are.

The screen is built once; it follows the app's ``language`` and ``text_size``
reactives, and lays itself out again on a resize.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from kiosk.core.choices import TEXT_SIZES, THEMES
from kiosk.deck.model import Card, Deck, Urgency
from kiosk.screens.base import KioskScreen
from kiosk.site import Site
from kiosk.strings import Strings, language_name
from kiosk.styles import SHORT_ROWS
from kiosk.widgets.buttons import CardButton, PagerButton
from kiosk.widgets.emergency_bar import EmergencyBar
from kiosk.widgets.site_name import SiteName

__all__ = ["HomeLayout", "HomeScreen", "SiteName", "plan_home", "tile_label"]

#: Tile height in rows for each text size, where the screen has the rows.
TILE_ROWS = {"normal": 3, "large": 5, "extra-large": 7}
#: The narrowest tile for each text size (cells); fewer columns rather than narrower tiles.
TILE_MIN_WIDTH = {"normal": 22, "large": 30, "extra-large": 38}
MAX_COLUMNS = 4
MAX_TILES_PER_PAGE = 9
"""One number key per tile of a page: 1 to 9."""
ENOUGH_TILES_PER_PAGE = 6
"""Tiles shrink (to one row at least) until a page holds this many, where they can."""
GAP = 1
"""Rows between tiles, and between the controls, the tiles and the pager."""
SIDE_PADDING = 1
"""Cells left and right of the screen's content (``home.tcss``)."""


def tile_label(number: int, card: Card, *, tag: str = "", one_line: bool = False) -> str:
    """The plain-text label of a tile: ``"1 Seizure"``, with ``tag`` ("EMERGENCY") on a
    second line (or after it with ``one_line``); never parsed as markup."""
    prefix = f"{number} " if 1 <= number <= 9 else ""
    text = f"{prefix}{card.label}"
    if tag:
        text += f" · {tag}" if one_line else f"\n{tag}"
    return text


def cells(text: str) -> int:
    """The width of the widest line of ``text`` in terminal cells."""
    return max((Content(line).cell_length for line in text.split("\n")), default=0)


@dataclass(frozen=True)
class HomeLayout:
    """Where everything goes on one screen size (see :func:`plan_home`)."""

    compact: bool
    """One-row controls and pager (short screens)."""
    header: bool
    """The site name row is shown (else the page label is the staff knock target)."""
    controls_columns: int
    controls_widths: tuple[int, ...]
    """Cells per control button (one row of four), or empty for two equal columns."""
    columns: int
    rows: int
    tile_rows: int
    pages: int
    per_page: int
    short_labels: bool = False
    tight_controls: bool = False
    """No padding beside the control labels (the narrowest screens)."""
    """The controls show their short wording ("A+", "Dark") for want of width."""

    @property
    def control_rows(self) -> int:
        return 1 if self.compact else 3

    @property
    def one_line_tiles(self) -> bool:
        return self.tile_rows == 1

    @property
    def tiles_height(self) -> int:
        return self.rows * self.tile_rows + (self.rows - 1) * GAP


def button_chrome(compact: bool) -> int:
    """Cells a button takes beside its label: none on short screens (no border, no
    padding), else the tall border and one cell of padding each side."""
    return 0 if compact else 4


def _controls_plan(
    inner_width: int, labels: Sequence[Sequence[Sequence[str]]], compact: bool
) -> tuple[int, tuple[int, ...], bool, bool]:
    """(columns, widths, short labels, tight) for the four controls.

    ``labels`` holds, for the long and then the short wording, every label each control
    can show. One row of four where their widest labels fit (each gets its width and a
    share of what is left), else two columns; the long wording where it fits; and where
    nothing fits, no padding beside the labels (``tight``).
    """
    chromes = [button_chrome(compact)] + ([] if compact else [2])
    for tight, chrome in enumerate(chromes):
        for columns in (4, 2):
            for short, options in enumerate(labels):
                needed = [max(cells(label) for label in variants) + chrome for variants in options]
                if columns == 4:
                    spare = inner_width - sum(needed) - (len(needed) - 1)
                    if spare >= 0:
                        share, extra = divmod(spare, len(needed))
                        widths = tuple(w + share + (i < extra) for i, w in enumerate(needed))
                        return 4, widths, bool(short), bool(tight)
                elif max(needed) <= (inner_width - 1) // 2:
                    return 2, (), bool(short), bool(tight)
    return 2, (), True, True


def plan_home(
    width: int,
    height: int,
    *,
    bar_rows: int,
    tiles: int,
    text_size: str,
    tile_label_widths: tuple[int, int],
    control_labels: Sequence[Sequence[Sequence[str]]],
) -> HomeLayout:
    """How the home screen fits ``width`` x ``height`` cells.

    ``bar_rows`` is the emergency bar's height; ``tile_label_widths`` the widest tile
    label on two lines and on one line (cells); ``control_labels`` every label each
    control can show, long and short wording (so tapping one never changes the layout).
    """
    inner = max(1, width - 2 * SIDE_PADDING)
    compact = height < SHORT_ROWS
    controls_columns, controls_widths, short_labels, tight = _controls_plan(
        inner, control_labels, compact
    )
    control_rows = 1 if compact else 3
    controls_height = control_rows * (1 if controls_columns == 4 else 2)
    controls_height += 0 if controls_columns == 4 else GAP
    pager_height = control_rows + GAP
    wanted_rows = TILE_ROWS.get(text_size, 3)
    min_width = TILE_MIN_WIDTH.get(text_size, 22)

    def arrange(space: int) -> tuple[int, int, int]:
        """(columns, rows, tile height) for ``space`` rows of tiles.

        The tallest tiles (up to the text size's height) of which a page holds
        :data:`ENOUGH_TILES_PER_PAGE` (or every card); where none do, the height that
        holds the most. Columns: as many as fit, so that a page holds the most tiles,
        at most nine (one number key each).
        """
        best: tuple[int, int, int] | None = None
        for tile_rows in range(wanted_rows, 0, -1):
            label = tile_label_widths[1] if tile_rows == 1 else tile_label_widths[0]
            if tile_rows == 1 and label + 2 > inner:
                continue  # the one-line label would not fit: two rows at least
            tile_width = max(min_width if tile_rows == wanted_rows else 0, label + 2)
            most_columns = max(1, min(MAX_COLUMNS, (inner + 2) // (tile_width + 2)))
            rows_fit = max(1, (space + GAP) // (tile_rows + GAP))
            columns, rows = max(
                (
                    (c, min(rows_fit, max(1, MAX_TILES_PER_PAGE // c)))
                    for c in range(1, most_columns + 1)
                ),
                key=lambda cr: (cr[0] * cr[1], cr[0]),
            )
            candidate = (columns, rows, min(tile_rows, max(1, space)))
            if best is None or columns * rows > best[0] * best[1]:
                best = candidate
            if columns * rows >= min(tiles, ENOUGH_TILES_PER_PAGE):
                return candidate
        return best or (1, 1, 1)

    def tiles_space(header: bool, pager: bool) -> int:
        used = bar_rows + (1 if header else 0) + controls_height + GAP
        return height - used - (pager_height if pager else 0)

    # The site name row where there is room; on a short screen with several pages the
    # page label takes its place as the staff knock target (PageLabel).
    header = True
    columns, rows, tile_rows = arrange(tiles_space(True, pager=False))
    pages = 1
    if columns * rows < tiles:
        header = not compact
        columns, rows, tile_rows = arrange(tiles_space(header, pager=True))
        pages = math.ceil(tiles / (columns * rows))
    if tile_rows == wanted_rows:
        # Spare rows make the tiles taller (easier to hit), up to about twice the height
        # of the text size's tiles; the page holds the same tiles.
        room = tiles_space(header, pager=pages > 1) - (rows - 1) * GAP
        tile_rows = max(tile_rows, min(2 * wanted_rows - 1, room // rows))
    per_page = max(1, columns * rows)
    return HomeLayout(
        compact=compact,
        header=header,
        controls_columns=controls_columns,
        controls_widths=controls_widths,
        columns=columns,
        rows=rows,
        tile_rows=tile_rows,
        pages=max(1, pages),
        per_page=per_page,
        short_labels=short_labels,
        tight_controls=tight,
    )


class PageLabel(SiteName):
    """ "1 of 3" between Previous and Next. Where the screen is too short for the site
    name, tapping it five times is the staff knock, as on the site name."""


class HomeScreen(KioskScreen[None]):
    """Pages of tiles for every card of the current language, plus the visitor's controls."""

    #: A keypad user starts on tile 1: Enter opens it, arrows move from there.
    AUTO_FOCUS = ".tile"

    BINDINGS = [
        *(Binding(str(n), f"open_tile({n})", show=False) for n in range(1, 10)),
        Binding("left", "move(-1, 0)", show=False),
        Binding("right", "move(1, 0)", show=False),
        Binding("up", "move(0, -1)", show=False),
        Binding("down", "move(0, 1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
    ]

    def __init__(
        self, deck: Deck, site: Site, *, unavailable: int = 0, classes: str | None = None
    ) -> None:
        super().__init__(classes=classes)
        self.deck = deck
        self.site = site
        self.unavailable = unavailable
        self.strings = Strings(deck.default_language or "en")
        self._cards: list[Card] = []
        self.page = 0
        """The page shown, from 0."""
        self.home_layout: HomeLayout | None = None
        self._anchor = 0
        """The first tile of the page the visitor paged to: a text-size change shows the
        page that holds it (so the page changes deliberately, never at random)."""
        self._planned_for: tuple[object, ...] = ()

    # -- building -----------------------------------------------------------------------

    def _cards_in_order(self, language: str) -> list[Card]:
        """The deck's cards, emergencies first (stable: deck order within each group)."""
        cards = self.deck.cards_for(language)
        return sorted(cards, key=lambda card: card.urgency is not Urgency.EMERGENCY)

    def compose(self) -> ComposeResult:
        self.strings = self.kiosk.strings
        yield EmergencyBar(self.site, self.strings)
        with Horizontal(id="pager"):
            yield PagerButton("", id="previous", classes="pager", action="screen.page(-1)")
            yield PageLabel("", id="page-of", markup=False)
            yield PagerButton("", id="next", classes="pager", action="screen.page(1)")
        with Vertical(id="home-body"):
            with Horizontal(id="home-header"):
                yield SiteName(Content(self.site.wording("name", self.strings)), id="site-name")
                yield Static("", id="staff-notice", markup=False)
            with Grid(id="controls"):
                yield Button("", id="search", classes="control", action="app.search")
                yield Button("", id="language", classes="control", action="app.cycle_language")
                yield Button("", id="size", classes="control", action="app.cycle_text_size")
                yield Button("", id="theme", classes="control", action="app.cycle_theme")
            # Composed with the screen (not mounted after it): one styling pass at start.
            self._cards = self._cards_in_order(self.strings.language)
            with Grid(id="tiles"):
                yield from self._tiles(self._cards)

    def _tiles(self, cards: Iterable[Card]) -> Iterator[CardButton]:
        for card in cards:
            classes = "tile -emergency" if card.urgency is Urgency.EMERGENCY else "tile"
            yield CardButton(card.label, card.id, id=f"tile-{card.id}", classes=classes)

    def on_mount(self) -> None:
        self.watch(self.kiosk, "language", self._show_language)
        self.watch(self.kiosk, "text_size", self._show_text_size, init=False)
        self.watch(self.kiosk, "theme", self._show_theme_label, init=False)
        self.call_after_refresh(self.start_over)

    def on_resize(self, event: events.Resize) -> None:
        self.fit()

    def on_screen_resume(self) -> None:
        self.fit()

    def show_deck(self, deck: Deck, *, unavailable: int) -> None:
        """The whole of the deck shown, once its other languages are loaded (after the
        first paint): the tiles stay as they are (the first load showed this language as
        the whole deck does); only the count of cards that failed to load may change."""
        self.deck = deck
        self.unavailable = unavailable
        if self.is_mounted:
            self._show_notice()

    def start_over(self) -> None:
        """As a new visitor finds it: page 1, tile 1 focused."""
        self._anchor = 0
        self.show_page(0)
        tiles = self.page_tiles()
        if tiles:
            tiles[0].focus(scroll_visible=False)

    # -- following the reactives ------------------------------------------------------

    def _show_language(self, language: str) -> None:
        """Tiles and text in ``language`` (tiles rebuilt only if the set of cards changed)."""
        strings = self.strings = Strings(language)
        cards = self._cards_in_order(language)
        grid = self.query_one("#tiles", Grid)
        if [c.id for c in cards] != [c.id for c in self._cards]:
            grid.remove_children()
            grid.mount_all(self._tiles(cards))
        self._cards = cards
        self.query_one("#site-name", SiteName).update(Content(self.site.wording("name", strings)))
        self.query_one("#search", Button).label = strings["home.search"]
        self.query_one("#language", Button).label = Content(self._language_label())
        self._show_theme_label()
        self._show_size_label(self.kiosk.text_size)
        self._show_notice()
        self._planned_for = ()
        self.fit()

    def _language_label(self) -> str:
        """The name of the language the button switches to, in that language."""
        languages = list(self.kiosk.session.languages)
        current = self.strings.language
        if current in languages and len(languages) > 1:
            following = languages[(languages.index(current) + 1) % len(languages)]
        else:
            following = current
        return language_name(following)

    def _size_label(self, text_size: str, compact: bool) -> str:
        size = self.strings[f"home.size.{text_size}"]
        return size if compact else self.strings.format("home.size", size=size)

    def _theme_label(self, scheme: str, compact: bool) -> str:
        name = self.strings[f"home.theme.{scheme}"]
        return name if compact else self.strings.format("home.theme.on", scheme=name)

    def _show_size_label(self, text_size: str) -> None:
        compact = self.home_layout.short_labels if self.home_layout else False
        self.query_one("#size", Button).label = Content(self._size_label(text_size, compact))

    def _show_theme_label(self, *_: object) -> None:
        compact = self.home_layout.short_labels if self.home_layout else False
        scheme = self.kiosk.session.theme
        self.query_one("#theme", Button).label = Content(self._theme_label(scheme, compact))

    def _show_text_size(self, text_size: str) -> None:
        """Tiles for the new size; the page shown is the one with the first tile shown."""
        self._show_size_label(text_size)
        self.fit(first_tile=self._anchor)

    def _show_notice(self) -> None:
        notice = self.query_one("#staff-notice", Static)
        notice.display = self.unavailable > 0
        if self.unavailable == 1:
            notice.update(self.strings["home.unavailable.one"])
        else:
            notice.update(self.strings.format("home.unavailable", count=self.unavailable))

    # -- layout -------------------------------------------------------------------------

    def _control_labels(self) -> list[list[list[str]]]:
        """Every label of each control, in the long and then the short wording."""
        return [
            [
                [self.strings["home.search"]],
                [self._language_label()],
                [self._size_label(size, short) for size in TEXT_SIZES],
                [self._theme_label(scheme, short) for scheme in THEMES],
            ]
            for short in (False, True)
        ]

    def _tile_label_widths(self) -> tuple[int, int]:
        tag = self.strings["urgency.emergency"]
        two = one = 1
        for card in self._cards:
            card_tag = tag if card.urgency is Urgency.EMERGENCY else ""
            two = max(two, cells(tile_label(9, card, tag=card_tag)))
            one = max(one, cells(tile_label(9, card, tag=card_tag, one_line=True)))
        return two, one

    def plan(self, width: int, height: int) -> HomeLayout:
        """The layout for ``width`` x ``height`` with the current language and text size."""
        bar = self.query_one(EmergencyBar)
        return plan_home(
            width,
            height,
            bar_rows=bar.rows_for(width),
            tiles=len(self._cards),
            text_size=self.kiosk.text_size,
            tile_label_widths=self._tile_label_widths(),
            control_labels=self._control_labels(),
        )

    def fit(self, *, first_tile: int | None = None) -> None:
        """Lay the screen out for its size; keep the page (or show ``first_tile``'s page)."""
        width, height = self.app.size
        if width <= 0 or height <= 0:
            return
        key = (width, height, self.kiosk.text_size, self.strings.language, len(self._cards))
        if key == self._planned_for and first_tile is None:
            return
        self._planned_for = key
        old = self.home_layout
        layout = self.home_layout = self.plan(width, height)
        self.set_class(layout.compact, "-compact")
        self._apply_controls(layout)
        self._apply_pager(layout)
        self.query_one("#home-header").display = layout.header
        grid = self.query_one("#tiles", Grid)
        grid.styles.grid_size_columns = layout.columns
        grid.styles.grid_rows = str(layout.tile_rows)
        grid.styles.grid_gutter_vertical = GAP
        grid.styles.height = layout.tiles_height
        for tile in grid.query(".tile").results(CardButton):
            tile.styles.height = layout.tile_rows
            tile.styles.line_pad = 0  # the tile's padding is the margin (not valid in CSS)
            tile.styles.padding = (0, 1)  # not the large sizes' wider button padding
        if first_tile is None:
            first_tile = self.page * (old.per_page if old else layout.per_page)
        self.show_page(first_tile // layout.per_page)

    def _apply_controls(self, layout: HomeLayout) -> None:
        controls = self.query_one("#controls", Grid)
        controls.styles.grid_size_columns = layout.controls_columns
        if layout.controls_widths:
            controls.styles.grid_columns = " ".join(str(w) for w in layout.controls_widths)
        else:
            controls.styles.grid_columns = "1fr"
        controls.styles.grid_rows = str(layout.control_rows)
        controls.styles.grid_gutter_vertical = GAP
        rows = 1 if layout.controls_columns == 4 else 2
        controls.styles.height = rows * layout.control_rows + (rows - 1) * GAP
        for button in controls.query(Button):
            button.styles.height = layout.control_rows
            button.styles.line_pad = 0 if layout.compact or layout.tight_controls else 1
            button.styles.padding = (0, 0)  # not the large sizes' wider button padding
        self._show_size_label(self.kiosk.text_size)
        self._show_theme_label()

    def _apply_pager(self, layout: HomeLayout) -> None:
        pager = self.query_one("#pager", Horizontal)
        pager.display = layout.pages > 1
        pager.styles.height = layout.control_rows
        page_of = self.query_one("#page-of", PageLabel)
        widest_page = self.strings.format("home.page", n=layout.pages, total=layout.pages)
        page_of.styles.width = cells(widest_page) + 2
        button_width = (self.app.size.width - 2 * SIDE_PADDING - cells(widest_page) - 2) // 2
        buttons = {"home.previous": "#previous", "home.next": "#next"}
        room = button_width - button_chrome(layout.compact)
        longest = max(cells(self.strings[key]) for key in buttons)
        line_pad = 0 if layout.compact or longest > room - 2 else 1
        room -= 2 * line_pad if layout.compact else 2 * line_pad - 2
        for key, selector in buttons.items():
            button = self.query_one(selector, Button)
            button.styles.height = layout.control_rows
            button.styles.line_pad = line_pad
            button.styles.padding = (0, 0)
            # both words, or both arrows alone: the pair always looks alike
            button.label = self.strings[key if longest <= room else f"{key}.short"]

    def show_page(self, page: int) -> None:
        """Show page ``page`` (from 0; wraps around), numbering its tiles 1, 2, 3..."""
        layout = self.home_layout
        if layout is None:
            return
        self.page = page % layout.pages
        start = self.page * layout.per_page
        shown = self._cards[start : start + layout.per_page]
        shown_ids = {card.id for card in shown}
        tag = self.strings["urgency.emergency"]
        focused = self.focused
        with self.app.batch_update():
            for tile in self.query_one("#tiles", Grid).query(".tile").results(CardButton):
                tile.display = tile.card_id in shown_ids
            for number, card in enumerate(shown, start=1):
                tile = self.query_one(f"#tile-{card.id}", CardButton)
                card_tag = tag if card.urgency is Urgency.EMERGENCY else ""
                one_line = layout.one_line_tiles
                tile.label = Content(tile_label(number, card, tag=card_tag, one_line=one_line))
            page_of = self.strings.format("home.page", n=self.page + 1, total=layout.pages)
            self.query_one("#page-of", PageLabel).update(page_of)
        if isinstance(focused, CardButton) and focused.card_id not in shown_ids:
            tiles = self.page_tiles()
            if tiles:
                tiles[0].focus(scroll_visible=False)

    def page_tiles(self) -> list[CardButton]:
        """The tiles of the page shown, in order."""
        layout = self.home_layout
        per_page = layout.per_page if layout else len(self._cards)
        start = self.page * per_page
        return [
            self.query_one(f"#tile-{card.id}", CardButton)
            for card in self._cards[start : start + per_page]
        ]

    # -- input -------------------------------------------------------------------------

    def action_page(self, step: int) -> None:
        """Previous (-1) or Next (1): the pager buttons stay where they are."""
        if self.home_layout is not None and self.home_layout.pages > 1:
            self.show_page(self.page + step)
            self._anchor = self.page * self.home_layout.per_page

    def action_open_tile(self, number: int) -> None:
        tiles = self.page_tiles()
        if 1 <= number <= len(tiles):
            self.kiosk.action_open_card(tiles[number - 1].card_id)

    def action_move(self, dx: int, dy: int) -> None:
        """Arrow keys move between tiles as in the grid; off the grid they move between controls."""
        tiles = self.page_tiles()
        focused = self.focused
        if isinstance(focused, CardButton) and focused in tiles:
            columns = self.home_layout.columns if self.home_layout else 1
            index = tiles.index(focused) + dx + dy * columns
            if 0 <= index < len(tiles):
                tiles[index].focus()
            elif index >= len(tiles):
                target = "#next" if self.home_layout and self.home_layout.pages > 1 else "#search"
                self.query_one(target, Button).focus()
            else:
                self.query_one("#search", Button).focus()
            return
        if dy > 0 and focused is not None and focused.has_class("control") and tiles:
            tiles[0].focus()
        elif dy < 0 and focused is not None and focused.has_class("pager") and tiles:
            tiles[-1].focus()
        elif dx + dy > 0:
            self.focus_next()
        else:
            self.focus_previous()
