"""The card screen: one step per page in large print, then what to watch for.

One instance serves every card: it follows the app's ``card_place`` reactive (which card,
which page) and updates its widgets in place instead of composing a new screen (that is
what keeps opening a card and moving a step fast on a Raspberry Pi). Pages are the steps,
then "call emergency if", "do not", "see a doctor if", prevention (if any), and related
cards with the sources (:func:`kiosk.session.card_pages`).

Card text is data, never markup: every Static here is ``markup=False`` and button labels
are plain :class:`~textual.content.Content`.

The timed tools (a hold countdown, the seizure stopwatch) are the session's
(:class:`kiosk.tools.CardTools`): they keep running while the visitor moves between the
card's pages, and the screen ticks a few times a second only while one runs.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, Digits, Static

from kiosk.deck.model import Card, Step, Urgency
from kiosk.screens.base import KioskScreen
from kiosk.session import CardPlace, Page, Session
from kiosk.site import Site
from kiosk.strings import Strings
from kiosk.tools import clock_text
from kiosk.widgets.buttons import CardButton
from kiosk.widgets.card_actions import CardActions
from kiosk.widgets.emergency_bar import EmergencyBar
from kiosk.widgets.handout import TakeHomeQr  # print-ui

#: Seconds between timer ticks while a countdown or the stopwatch runs.
TICK_SECONDS = 0.25

URGENCY_CLASSES = {urgency: f"urgency-{urgency.value}" for urgency in Urgency}


def bullet_list(items: tuple[str, ...]) -> str:
    return "\n".join(f"• {item}" for item in items)


class PageScroll(VerticalScroll, can_focus=False):
    """The page scrolls on small screens; focus stays on the buttons."""


class CardScreen(KioskScreen[None]):
    """Shows the session's open card, one page at a time; reused for every card.

    Arrows and PgUp/PgDn page (priority, so they work whatever has focus); Space and
    Enter press the focused button; up and down move the focus; Escape goes back one page.
    """

    BINDINGS = [
        Binding("right,pagedown", "app.next_page", show=False, priority=True),
        Binding("left,pageup,escape", "app.step_back", show=False, priority=True),
        Binding("home", "app.home", show=False, priority=True),
        Binding("down", "app.focus_next", show=False),
        Binding("up", "app.focus_previous", show=False),
    ]

    def __init__(self, session: Session, site: Site) -> None:
        super().__init__()
        self.session = session
        self.site = site
        self.strings = Strings(session.language)
        self._ticker: Timer | None = None
        self._shown_text: dict[str, str] = {}
        self._labels_language: str | None = None

    def compose(self) -> ComposeResult:
        yield EmergencyBar(self.site, self.strings)
        with Horizontal(id="card-head"):
            yield Static("", id="urgency", markup=False)
            yield Static("", id="card-title", markup=False)
        yield Static("", id="running", markup=False)
        with Vertical(id="alert"):
            yield Static("", id="alert-title", markup=False)
            yield Static("", id="alert-number", markup=False)
            yield Digits("", id="alert-digits")
            yield Static("", id="alert-reason", markup=False)
            yield Button("", id="alert-dismiss", variant="error", action="screen.dismiss_alert")
        with PageScroll(id="page"):
            # print-ui: the take-home QR, docked right, shown on the last page where it fits
            yield TakeHomeQr(id="take-home-qr")
            yield Static("", id="progress", markup=False)
            yield Static("", id="step-text", markup=False)
            with Vertical(id="countdown"):
                yield Static("", id="countdown-label", markup=False)
                yield Button(
                    "", id="countdown-start", classes="timer-button", action="screen.countdown"
                )
            with Vertical(id="stopwatch"):
                yield Static("", id="stopwatch-label", markup=False)
                with Horizontal(id="stopwatch-row"):
                    yield Digits("0:00", id="stopwatch-digits")
                    yield Button(
                        "", id="stopwatch-start", classes="timer-button", action="screen.stopwatch"
                    )
            yield Static("", id="next-preview", markup=False)
            yield Static("", id="info-heading", markup=False)
            yield Static("", id="info-text", markup=False)
            yield Vertical(id="related")
            yield Static("", id="sources", markup=False)
        yield CardActions(id="card-actions")
        with Horizontal(id="nav"):
            yield Button("", id="back", classes="nav", action="app.step_back")
            yield Button("", id="home-button", classes="nav", action="app.home")
            yield Button("", id="next", classes="nav", action="app.next_page")

    def on_mount(self) -> None:
        self.watch(self.kiosk, "card_place", self._show_place)

    @property
    def card(self) -> Card | None:
        """The card shown (the session's open card)."""
        return self.session.card

    # -- timers --------------------------------------------------------------------------

    def timers_running(self) -> bool:
        """True while a countdown or the stopwatch runs (the idle reset waits for them)."""
        return self.session.tools.any_running(self.session.clock())

    @property
    def alerting(self) -> bool:
        return self.session.card is not None and self.session.tools.stopwatch.alerting(
            self.session.clock()
        )

    def refresh_timers(self) -> None:
        """Read the clock and update countdown, stopwatch, indicator and alert."""
        page, step = self._page_and_step()
        if page is None:
            self._set_ticking(False)
            return
        tools = self.session.tools
        now = self.session.clock()
        running: list[str] = []
        if step is not None and step.timer_seconds:
            countdown = tools.countdown(page.step, step.timer_seconds)
            label = self.query_one("#countdown-label", Static)
            start = self.query_one("#countdown-start", Button)
            if countdown.done(now):
                self._set_text(label, self.strings["timer.done"])
                label.add_class("-done")
                start.label = self.strings["timer.restart"]
            else:
                key = "timer.hold" if countdown.running(now) else "timer.ready"
                self._set_text(label, self.strings.format(key, time=countdown.text_up(now)))
                label.remove_class("-done")
                start.label = self.strings["timer.start"]
            start.display = not countdown.running(now)
        for index, countdown in tools.running_countdowns(now):
            if not (page.kind == "step" and page.step == index):
                text = self.strings.format("timer.running", time=countdown.text_up(now))
                running.append(text)
        stopwatch = tools.stopwatch
        elapsed = clock_text(stopwatch.elapsed(now))
        if step is not None and step.stopwatch:
            self._set_digits(elapsed)
            if stopwatch.running(now):
                key = "stopwatch.stop"
            elif stopwatch.started:
                key = "stopwatch.restart"
            else:
                key = "stopwatch.start"
            self.query_one("#stopwatch-start", Button).label = self.strings[key]
        elif stopwatch.running(now):
            running.append(self.strings.format("stopwatch.running", time=elapsed))
        indicator = self.query_one("#running", Static)
        self._set_text(indicator, "   ".join(running))
        indicator.display = bool(running)
        self._show_alert(stopwatch.alerting(now))
        self._set_ticking(tools.any_running(now))

    def _set_ticking(self, on: bool) -> None:
        if on and self._ticker is None:
            self._ticker = self.set_interval(TICK_SECONDS, self.refresh_timers)
        elif not on and self._ticker is not None:
            self._ticker.stop()
            self._ticker = None

    def action_countdown(self) -> None:
        """Start (or start again) the countdown of this step."""
        page, step = self._page_and_step()
        if page is None or step is None or not step.timer_seconds:
            return
        self.session.tools.countdown(page.step, step.timer_seconds).start(self.session.clock())
        if self.session.card is not None:  # print-ui: the handover record
            self.kiosk.handout.countdown_started(self.session.card, page.step)
        self._count_timer_started()
        self.refresh_timers()
        self.query_one("#next", Button).focus()

    def action_stopwatch(self) -> None:
        """Start the stopwatch, or stop it (it keeps the time it reached)."""
        stopwatch = self.session.tools.stopwatch
        now = self.session.clock()
        card = self.session.card
        if stopwatch.running(now):
            stopwatch.stop(now)
            if card is not None:  # print-ui: the handover record
                self.kiosk.handout.stopwatch_stopped(card)
        else:
            stopwatch.start(now)
            if card is not None:  # print-ui: the handover record
                self.kiosk.handout.stopwatch_started(card)
            self._count_timer_started()
            self.query_one("#next", Button).focus()
        self.refresh_timers()

    def _count_timer_started(self) -> None:
        if self.session.card is not None:
            self.kiosk.fleet.timer_started(self.session.card.id, self.session.language)

    def action_dismiss_alert(self) -> None:
        self.session.tools.stopwatch.alert_dismissed = True
        self.refresh_timers()

    # -- drawing -------------------------------------------------------------------------

    def _page_and_step(self) -> tuple[Page | None, Step | None]:
        card, page = self.session.card, self.session.page
        if card is None or page is None:
            return None, None
        return page, card.steps[page.step] if page.kind == "step" else None

    def _show_place(self, place: CardPlace | None) -> None:
        card = self.session.card
        if place is None or card is None:
            self._set_ticking(False)
            return
        if place.language != self._labels_language:
            self.strings = Strings(place.language)
            self._labels_language = place.language
            self._show_labels()
        self._show_card(card)
        self._show_page()

    def _show_labels(self) -> None:
        strings = self.strings
        self.query_one("#home-button", Button).label = strings["card.home"]
        self.query_one("#back", Button).label = strings["card.back"]
        self.query_one("#next", Button).label = strings["card.next"]
        self.query_one("#alert-title", Static).update(strings["alert.call_now"])
        self.query_one("#alert-number", Static).update(
            strings.format(
                "alert.number",
                label=self.site.wording("emergency_label", strings),
                number=self.site.emergency_number,
            )
        )
        self.query_one("#alert-reason", Static).update(strings["alert.reason"])
        number = self.site.emergency_number.strip()
        digits = self.query_one("#alert-digits", Digits)
        digits.update(number)
        digits.set_class(not number.isdigit(), "-empty")  # a class: short screens hide it too
        self.query_one("#stopwatch-label", Static).update(strings["stopwatch.label"])
        self.query_one("#alert-dismiss", Button).label = strings["alert.dismiss"]

    def _show_card(self, card: Card) -> None:
        urgency = self.query_one("#urgency", Static)
        urgency.set_classes(URGENCY_CLASSES[card.urgency])
        urgency.update(self.strings[f"urgency.{card.urgency.value}"])
        self.query_one("#card-title", Static).update(card.title)

    def _show_page(self) -> None:
        session = self.session
        card = session.card
        assert card is not None
        page = session.pages[session.page_index]
        step = card.steps[page.step] if page.kind == "step" else None
        progress = self.query_one("#progress", Static)
        step_text = self.query_one("#step-text", Static)
        preview = self.query_one("#next-preview", Static)
        heading = self.query_one("#info-heading", Static)
        info = self.query_one("#info-text", Static)
        sources = self.query_one("#sources", Static)
        related = self.query_one("#related", Vertical)

        if step is not None:
            progress.update(
                self.strings.format("card.step", n=page.step + 1, total=len(card.steps))
            )
            step_text.update(step.text)
            following = page.step + 1
            preview.update(
                self.strings.format("card.next_step", text=card.steps[following].text)
                if following < len(card.steps)
                else ""
            )
        else:
            info_pages = [p for p in session.pages if p.kind != "step"]
            number = info_pages.index(page) + 1
            progress.update(self.strings.format("card.more", n=number, total=len(info_pages)))
        step_text.display = step is not None
        # a class, not .display, so the large text sizes can still hide it in CSS
        preview.set_class(step is None or page.step + 1 >= len(card.steps), "-empty")
        self.query_one("#countdown").display = step is not None and bool(step.timer_seconds)
        self.query_one("#stopwatch").display = step is not None and step.stopwatch

        heading.display = info.display = page.kind == "info"
        if page.kind == "info":
            heading.set_classes(f"section-{page.section}")
            heading.update(self.strings[f"card.{page.section}"])
            info.update(bullet_list(getattr(card, page.section)))

        end = page.kind == "end"
        related.display = sources.display = end
        related.remove_children()
        if end:
            language = self.strings.language
            found = (self.session.deck.card(cid, language) for cid in card.related)
            related_cards = [other for other in found if other is not None]
            if related_cards:
                related.mount(Static(self.strings["card.related"], classes="related-heading"))
                related.mount_all(
                    CardButton(other.label, other.id, classes="related-card")
                    for other in related_cards
                )
            sources.update(self._sources_text(card))

        self.query_one("#next", Button).disabled = session.on_last_page
        self.query_one("#page", VerticalScroll).scroll_home(animate=False)
        self.refresh_timers()
        if not self.alerting:
            self._focus_main_button(page, step)

    def _focus_main_button(self, page: Page, step: Step | None) -> None:
        """Focus what the visitor most likely wants next (it also scrolls into view)."""
        tools, now = self.session.tools, self.session.clock()
        if step is not None and step.stopwatch and not tools.stopwatch.running(now):
            target = "#stopwatch-start"
        elif (
            step is not None
            and step.timer_seconds
            and not tools.countdown(page.step, step.timer_seconds).running(now)
        ):
            target = "#countdown-start"
        elif self.session.on_last_page:
            target = "#home-button"
        else:
            target = "#next"
        self.query_one(target, Button).focus()

    def _sources_text(self, card: Card) -> str:
        lines = [self.strings.format("card.sources", date=card.reviewed.isoformat())]
        for source in card.sources:
            lines.append(f"{source.publisher}: {source.title}")
            lines.append(f"  {source.url}")
        return "\n".join(lines)

    def _show_alert(self, alerting: bool) -> None:
        alert = self.query_one("#alert", Vertical)
        if alert.display == alerting:
            return
        alert.display = alerting
        self.query_one("#page").display = not alerting
        self.query_one("#nav").display = not alerting
        self.query_one("#card-actions").display = not alerting  # print-ui: only the alert's button
        if alerting:
            self.query_one("#alert-dismiss", Button).focus()
        else:
            self.query_one("#next", Button).focus()

    def _set_text(self, widget: Static, text: str) -> None:
        """Update a Static only when its text changes (ticks are frequent)."""
        key = widget.id or ""
        if self._shown_text.get(key) != text:
            self._shown_text[key] = text
            widget.update(text)

    def _set_digits(self, text: str) -> None:
        digits = self.query_one("#stopwatch-digits", Digits)
        if digits.value != text:
            digits.update(text)
