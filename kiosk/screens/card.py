"""The card screen: one step per page in large print, then what to watch for.

One instance serves every card: :meth:`CardScreen.show` swaps the content
in place instead of composing a new screen (that is what keeps opening a
card and moving a step fast on a Raspberry Pi). Pages are the steps, then
"call emergency if", "do not", "see a doctor if", prevention (if any), and
related cards with the sources.

Card text is data, never markup: every Static here is ``markup=False`` and
button labels are plain :class:`~textual.content.Content`.

Timers (a hold countdown, the seizure stopwatch) belong to the open card and
keep running while the visitor moves between its pages; they read the
injected clock and tick a few times a second only while one runs.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Digits, Static

from kiosk.deck.model import Card, Deck, Step, Urgency
from kiosk.site import Site
from kiosk.strings import Strings
from kiosk.widgets.emergency_bar import EmergencyBar
from kiosk.widgets.guard import guarded
from kiosk.widgets.timers import Countdown, Stopwatch, clock_text

#: Seconds between timer ticks while a countdown or the stopwatch runs.
TICK_SECONDS = 0.25

URGENCY_CLASSES = {urgency: f"urgency-{urgency.value}" for urgency in Urgency}


class Page(NamedTuple):
    """One page of a card: a step (``index``) or an information section (``section``)."""

    kind: str  # "step" | "info" | "end"
    index: int = 0
    section: str = ""


def card_pages(card: Card) -> list[Page]:
    """The pages of a card in the order the visitor meets them."""
    pages = [Page("step", i) for i in range(len(card.steps))]
    for section in ("call_emergency_if", "do_not", "see_doctor_if", "prevention"):
        if getattr(card, section):
            pages.append(Page("info", section=section))
    pages.append(Page("end"))
    return pages


def bullet_list(items: tuple[str, ...]) -> str:
    return "\n".join(f"• {item}" for item in items)


class PageScroll(VerticalScroll, can_focus=False):
    """The page scrolls on small screens; focus stays on the buttons."""


class CardScreen(Screen[None]):
    """Shows one card at a time; reused for every card."""

    BINDINGS = [
        Binding("right,down,pagedown,space", "next", show=False, priority=True),
        Binding("left,up,pageup,escape", "back", show=False, priority=True),
        Binding("home", "home", show=False, priority=True),
    ]

    class GoHome(Message):
        """The visitor asked for the home screen."""

    def __init__(
        self,
        deck: Deck,
        site: Site,
        strings: Strings,
        clock: Callable[[], float],
        *,
        classes: str | None = None,
    ) -> None:
        super().__init__(classes=classes)
        self.deck = deck
        self.site = site
        self.strings = strings
        self.clock = clock
        self.card: Card | None = None
        self.pages: list[Page] = []
        self.page_index = 0
        self._countdowns: dict[int, Countdown] = {}
        self._stopwatch = Stopwatch()
        self._ticker: Timer | None = None
        self._shown_timer_text: dict[str, str] = {}
        self._composed = False

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
            yield Button("", id="alert-dismiss", variant="error")
        with PageScroll(id="page"):
            yield Static("", id="progress", markup=False)
            yield Static("", id="step-text", markup=False)
            with Vertical(id="countdown"):
                yield Static("", id="countdown-label", markup=False)
                yield Button("", id="countdown-start", classes="timer-button")
            with Vertical(id="stopwatch"):
                yield Static("", id="stopwatch-label", markup=False)
                with Horizontal(id="stopwatch-row"):
                    yield Digits("0:00", id="stopwatch-digits")
                    yield Button("", id="stopwatch-start", classes="timer-button")
            yield Static("", id="next-preview", markup=False)
            yield Static("", id="info-heading", markup=False)
            yield Static("", id="info-text", markup=False)
            yield Vertical(id="related")
            yield Static("", id="sources", markup=False)
        with Horizontal(id="nav"):
            yield Button("", id="back", classes="nav")
            yield Button("", id="home-button", classes="nav")
            yield Button("", id="next", classes="nav")

    # -- public interface ----------------------------------------------------------------

    def show(self, card_id: str, strings: Strings) -> bool:
        """Show the first page of ``card_id`` in ``strings.language``; False if there is none.

        Opening a different card stops the previous card's timers.
        """
        card = self.deck.card(card_id, strings.language)
        if card is None:
            return False
        if self.card is None or self.card.id != card.id:
            self.stop_timers()
        self.card = card
        self.strings = strings
        self.pages = card_pages(card)
        self.page_index = 0
        if self._composed:
            self._show_card()
        return True

    def stop_timers(self) -> None:
        """Forget every countdown and the stopwatch of the current card."""
        self._countdowns.clear()
        self._stopwatch.reset()
        self._set_ticking(False)

    def timers_running(self) -> bool:
        """True while a countdown or the stopwatch runs (idle reset waits for them)."""
        now = self.clock()
        return self._stopwatch.running or any(c.running(now) for c in self._countdowns.values())

    @property
    def alerting(self) -> bool:
        return self._stopwatch.alerting(self.clock())

    def refresh_timers(self) -> None:
        """Read the clock and update countdown, stopwatch, indicator and alert."""
        if self.card is None or not self._composed:
            return
        now = self.clock()
        page = self.pages[self.page_index]
        step = self.card.steps[page.index] if page.kind == "step" else None
        running: list[str] = []
        if step is not None and step.timer_seconds:
            countdown = self._countdown_for(page.index)
            label = self.query_one("#countdown-label", Static)
            start = self.query_one("#countdown-start", Button)
            if countdown.done(now):
                self._set_text(label, self.strings["timer.done"])
                label.add_class("-done")
                start.label = self.strings["timer.restart"]
            else:
                key = "timer.hold" if countdown.running(now) else "timer.ready"
                self._set_text(label, self.strings.format(key, time=clock_text_up(countdown, now)))
                label.remove_class("-done")
                start.label = self.strings["timer.start"]
            start.display = not countdown.running(now)
        for index, countdown in self._countdowns.items():
            if countdown.running(now) and not (page.kind == "step" and page.index == index):
                time = clock_text_up(countdown, now)
                running.append(self.strings.format("timer.running", time=time))
        elapsed = clock_text(self._stopwatch.elapsed(now))
        if step is not None and step.stopwatch:
            self._set_digits(elapsed)
            if self._stopwatch.running:
                key = "stopwatch.stop"
            elif self._stopwatch.started_at is not None:
                key = "stopwatch.restart"
            else:
                key = "stopwatch.start"
            self.query_one("#stopwatch-start", Button).label = self.strings[key]
        elif self._stopwatch.running:
            running.append(self.strings.format("stopwatch.running", time=elapsed))
        indicator = self.query_one("#running", Static)
        self._set_text(indicator, "   ".join(running))
        indicator.display = bool(running)
        self._show_alert(self._stopwatch.alerting(now))
        if not self.timers_running():
            self._set_ticking(False)

    # -- drawing -------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._composed = True
        if self.card is not None:
            self._show_card()

    def _show_card(self) -> None:
        card = self.card
        assert card is not None
        self.query_one(EmergencyBar).set_strings(self.strings)
        urgency = self.query_one("#urgency", Static)
        urgency.set_classes(URGENCY_CLASSES[card.urgency])
        urgency.update(self.strings[f"urgency.{card.urgency.value}"])
        self.query_one("#card-title", Static).update(card.title)
        self.query_one("#home-button", Button).label = self.strings["card.home"]
        self.query_one("#back", Button).label = self.strings["card.back"]
        self.query_one("#next", Button).label = self.strings["card.next"]
        self.query_one("#alert-title", Static).update(self.strings["alert.call_now"])
        self.query_one("#alert-number", Static).update(
            self.strings.format(
                "alert.number",
                label=self.site.wording("emergency_label", self.strings),
                number=self.site.emergency_number,
            )
        )
        self.query_one("#alert-reason", Static).update(self.strings["alert.reason"])
        number = self.site.emergency_number.strip()
        digits = self.query_one("#alert-digits", Digits)
        digits.update(number)
        digits.set_class(not number.isdigit(), "-empty")  # a class: short screens hide it too
        self.query_one("#stopwatch-label", Static).update(self.strings["stopwatch.label"])
        self.query_one("#alert-dismiss", Button).label = self.strings["alert.dismiss"]
        self._show_page()

    def _show_page(self) -> None:
        card = self.card
        assert card is not None
        page = self.pages[self.page_index]
        step = card.steps[page.index] if page.kind == "step" else None
        progress = self.query_one("#progress", Static)
        step_text = self.query_one("#step-text", Static)
        preview = self.query_one("#next-preview", Static)
        heading = self.query_one("#info-heading", Static)
        info = self.query_one("#info-text", Static)
        sources = self.query_one("#sources", Static)
        related = self.query_one("#related", Vertical)

        if step is not None:
            progress.update(
                self.strings.format("card.step", n=page.index + 1, total=len(card.steps))
            )
            step_text.update(step.text)
            following = page.index + 1
            preview.update(
                self.strings.format("card.next_step", text=card.steps[following].text)
                if following < len(card.steps)
                else ""
            )
        else:
            info_pages = [p for p in self.pages if p.kind != "step"]
            number = info_pages.index(page) + 1
            progress.update(self.strings.format("card.more", n=number, total=len(info_pages)))
        step_text.display = step is not None
        # a class, not .display, so the large text sizes can still hide it in CSS
        preview.set_class(step is None or page.index + 1 >= len(card.steps), "-empty")
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
            related_cards = [
                found
                for found in (self.deck.card(cid, self.strings.language) for cid in card.related)
                if found is not None
            ]
            if related_cards:
                related.mount(Static(self.strings["card.related"], classes="related-heading"))
                related.mount_all(
                    Button(Content(other.label), name=other.id, classes="related-card")
                    for other in related_cards
                )
            sources.update(self._sources_text(card))

        self.query_one("#next", Button).disabled = self.page_index >= len(self.pages) - 1
        self.query_one("#page", VerticalScroll).scroll_home(animate=False)
        self.refresh_timers()
        if not self.alerting:
            self._focus_main_button(step)

    def _focus_main_button(self, step: Step | None) -> None:
        """Focus what the visitor most likely wants next (it also scrolls into view)."""
        now = self.clock()
        if step is not None and step.stopwatch and not self._stopwatch.running:
            target = "#stopwatch-start"
        elif (
            step is not None
            and step.timer_seconds
            and not self._countdown_for(self.pages[self.page_index].index).running(now)
        ):
            target = "#countdown-start"
        elif self.page_index >= len(self.pages) - 1:
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
        if alerting:
            self.query_one("#alert-dismiss", Button).focus()
        else:
            self.query_one("#next", Button).focus()

    def _set_text(self, widget: Static, text: str) -> None:
        """Update a Static only when its text changes (ticks are frequent)."""
        key = widget.id or ""
        if self._shown_timer_text.get(key) != text:
            self._shown_timer_text[key] = text
            widget.update(text)

    def _set_digits(self, text: str) -> None:
        digits = self.query_one("#stopwatch-digits", Digits)
        if digits.value != text:
            digits.update(text)

    def _countdown_for(self, index: int) -> Countdown:
        assert self.card is not None
        if index not in self._countdowns:
            self._countdowns[index] = Countdown(self.card.steps[index].timer_seconds or 0)
        return self._countdowns[index]

    def _set_ticking(self, on: bool) -> None:
        if on and self._ticker is None:
            self._ticker = self.set_interval(TICK_SECONDS, self._tick)
        elif not on and self._ticker is not None:
            self._ticker.stop()
            self._ticker = None

    @guarded
    def _tick(self) -> None:
        self.refresh_timers()

    # -- input ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the five-minute alert shows, only its own button works."""
        blocked = action in ("next", "back", "home") and self.card is not None
        return not (blocked and self.alerting)

    @guarded
    def action_next(self) -> None:
        if self.card is not None and self.page_index < len(self.pages) - 1:
            self.page_index += 1
            self._show_page()

    @guarded
    def action_back(self) -> None:
        if self.page_index == 0:
            self.post_message(self.GoHome())
        else:
            self.page_index -= 1
            self._show_page()

    @guarded
    def action_home(self) -> None:
        self.post_message(self.GoHome())

    @on(Button.Pressed, "#next")
    def _next_pressed(self) -> None:
        self.action_next()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#home-button")
    def _home_pressed(self) -> None:
        self.action_home()

    @on(Button.Pressed, ".related-card")
    @guarded
    def _related_pressed(self, event: Button.Pressed) -> None:
        if event.button.name:
            self.show(event.button.name, self.strings)

    @on(Button.Pressed, "#countdown-start")
    @guarded
    def _countdown_start(self) -> None:
        page = self.pages[self.page_index]
        self._countdown_for(page.index).start(self.clock())
        self._set_ticking(True)
        self.refresh_timers()
        self.query_one("#next", Button).focus()

    @on(Button.Pressed, "#stopwatch-start")
    @guarded
    def _stopwatch_toggle(self) -> None:
        if self._stopwatch.running:
            self._stopwatch.stop(self.clock())
        else:
            self._stopwatch.start(self.clock())
            self._set_ticking(True)
            self.query_one("#next", Button).focus()
        self.refresh_timers()

    @on(Button.Pressed, "#alert-dismiss")
    @guarded
    def _alert_dismissed(self) -> None:
        self._stopwatch.alert_dismissed = True
        self.refresh_timers()


def clock_text_up(countdown: Countdown, now: float) -> str:
    """Remaining time rounded up: it reads 0:30 at the start and 0:00 only at the end."""
    remaining = countdown.remaining(now)
    whole = int(remaining) if remaining == int(remaining) else int(remaining) + 1
    return clock_text(whole)
