"""The card screen: one step per page in large print, then what to watch for.

One instance serves every card: it follows the app's ``card_place`` reactive (which card,
which page) and updates its widgets in place instead of composing a new screen (that is
what keeps opening a card and moving a step fast on a Raspberry Pi). Pages are the steps,
then "call emergency if", "do not", "see a doctor if", prevention (if any), the related
cards and the sources (:func:`kiosk.session.card_pages`), each list split over as many
pages as this screen's size needs (:meth:`kiosk.session.Session.set_page_budget`): a
visitor never scrolls.

The layout never moves under a finger: the head row (the "call emergency if" button of
an emergency card, the title, the step count, what is running elsewhere) is on top, the
nav row at the bottom, and the page between them; on the last page Next is hidden in
place, not removed.

Card text is data, never markup: every Static here is ``markup=False`` and button labels
are plain :class:`~textual.content.Content`.

The timed tools (a hold countdown, the seizure stopwatch, the CPR beat) are the session's
(:class:`kiosk.tools.CardTools`): they keep running while the visitor moves between the
card's pages, and the screen ticks a few times a second only while one runs.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Button, Digits, Static

from kiosk.deck.model import Card, Step, Urgency
from kiosk.screens.base import KioskScreen
from kiosk.screens.card_text import bullet_list, page_budget, sources_text
from kiosk.session import CardPlace, Page, Session
from kiosk.site import Site
from kiosk.strings import Strings
from kiosk.styles import CARD_ACTIONS_MIN_ROWS
from kiosk.tools import clock_text
from kiosk.widgets.buttons import CardButton
from kiosk.widgets.card_actions import CardActions
from kiosk.widgets.cpr_beat import CprBeatPanel
from kiosk.widgets.emergency_bar import EmergencyBar
from kiosk.widgets.handout import TakeHomeQr  # print-ui

#: Seconds between timer ticks while a countdown or the stopwatch runs.
TICK_SECONDS = 0.25

URGENCY_CLASSES = {urgency: f"urgency-{urgency.value}" for urgency in Urgency}


class CardScreen(KioskScreen[None]):
    """Shows the session's open card, one page at a time; reused for every card.

    Arrows and PgUp/PgDn page (priority, so they work whatever has focus); Space and
    Enter press the focused button (Space: :class:`KioskScreen`); up and down move the
    focus; Escape goes back one page; Home goes home.
    """

    BINDINGS = [
        Binding("right,pagedown", "app.next_page", show=False, priority=True),
        Binding("left,pageup,escape", "app.step_back", show=False, priority=True),
        Binding("home", "app.home", show=False, priority=True),
        Binding("down", "app.focus_next", show=False),
        Binding("up", "app.focus_previous", show=False),
    ]

    def __init__(self, session: Session, site: Site, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.session = session
        self.site = site
        self.strings = Strings(session.language)
        self._ticker: Timer | None = None
        self._shown_text: dict[str, str] = {}
        self._labels_language: str | None = None

    def compose(self) -> ComposeResult:
        yield EmergencyBar(self.site, self.strings)
        with Horizontal(id="card-head"):
            yield Button("", id="call-if", classes="call-if", action="screen.call_if")
            yield Static("", id="urgency", markup=False)
            yield Static("", id="card-title", markup=False)
            yield Static("", id="card-label", markup=False)
            yield Static("", id="running", markup=False)
            yield Static("", id="progress", markup=False)
            yield Static("", id="progress-short", markup=False)
        with Vertical(id="alert"):
            yield Static("", id="alert-title", markup=False)
            yield Static("", id="alert-number", markup=False)
            yield Digits("", id="alert-digits")
            yield Static("", id="alert-reason", markup=False)
            yield Button("", id="alert-dismiss", variant="error", action="screen.dismiss_alert")
        with Vertical(id="page"):
            # print-ui: the take-home QR, docked right, shown on the last page where it fits
            yield TakeHomeQr(id="take-home-qr")
            yield Static("", id="page-heading", markup=False)
            yield Static("", id="step-text", markup=False)
            with Vertical(id="countdown"):
                yield Static("", id="countdown-label", markup=False)
                yield Button(
                    "", id="countdown-start", classes="timer-button", action="screen.countdown"
                )
            with Vertical(id="stopwatch"):
                yield Static("", id="stopwatch-label", markup=False)
                with Horizontal(id="stopwatch-row"):
                    yield Static("0:00", id="stopwatch-small", markup=False)
                    yield Digits("0:00", id="stopwatch-digits")
                    yield Button(
                        "", id="stopwatch-start", classes="timer-button", action="screen.stopwatch"
                    )
            yield CprBeatPanel(
                lambda: self.session.tools.cpr, lambda: self.session.clock(), id="cpr-beat"
            )
            yield Button("", id="opens", action="screen.open_linked")
            yield Static("", id="next-preview", markup=False)
            yield Static("", id="info-text", markup=False)
            yield Vertical(id="related")
            yield Static("", id="sources", markup=False)
        yield CardActions(id="card-actions")
        with Horizontal(id="nav"):
            yield Button("", id="back", classes="nav", action="app.step_back")
            yield Button("", id="home-button", classes="nav", action="app.home")
            # short screens: "call emergency if" sits here, not in the head row
            yield Button("", id="call-if-nav", classes="call-if", action="screen.call_if")
            yield Button("", id="next", classes="nav", action="app.next_page")

    def on_mount(self) -> None:
        self.take_size_classes()  # installed at start: the app may have been resized since
        self._show_actions_row()
        self.watch(self.kiosk, "card_place", self._show_place)
        self.watch(self.kiosk, "text_size", self._size_changed, init=False)

    def on_resize(self, event: events.Resize) -> None:
        self._show_actions_row()
        self._size_changed()

    def _show_actions_row(self) -> None:
        """Under ``CARD_ACTIONS_MIN_ROWS`` rows the optional actions (Read aloud, Print,
        For the ambulance) are left out (``-no-actions``): at 60x20 their row would leave
        the page too few rows for a step and its three-row timer button."""
        self.set_class(self.app.size.height < CARD_ACTIONS_MIN_ROWS, "-no-actions")

    def on_screen_resume(self) -> None:
        self.take_size_classes()
        self._show_actions_row()
        self._size_changed()

    def on_card_actions_changed(self, _message: CardActions.Changed) -> None:
        self._size_changed()  # print-ui: a row of action buttons came or went

    @property
    def card(self) -> Card | None:
        """The card shown (the session's open card)."""
        return self.session.card

    # -- fitting the page to the screen ---------------------------------------------------

    def _size_changed(self, *_: object) -> None:
        self.call_after_refresh(self._fit_page)

    def _show_nav_labels(self) -> None:
        """Back and Next as arrows alone where the nav row also holds "call emergency if"
        on a short screen under 60 columns (there "◀ Назад" no longer fits its third)."""
        compact = (
            (self.has_class("-w0") or self.has_class("-w48"))
            and self.has_class("-short")
            and self.has_class("-emergency")
        )
        strings = self.strings
        self.query_one("#back", Button).label = "◀" if compact else strings["card.back"]
        self.query_one("#next", Button).label = "▶" if compact else strings["card.next"]

    def _fit_page(self) -> None:
        """Split the pages for the page area this screen has now (never a scrollbar)."""
        if self.session.card is None or not self.is_current:
            return
        self._show_nav_labels()
        page = self.query_one("#page", Vertical)
        budget = page_budget(page, short=self.has_class("-short"))
        if budget is not None and self.session.set_page_budget(budget):
            place = self.kiosk.card_place
            self.kiosk.mirror()
            if self.kiosk.card_place == place:  # the same page number, new contents
                self._show_page()
        else:
            self._fit_preview()

    def _fit_preview(self) -> None:
        """The next step's preview only where it fits whole below everything else."""
        preview = self.query_one("#next-preview", Static)
        if preview.has_class("-empty") or not preview.display:
            return
        page = self.query_one("#page", Vertical)
        if preview.region.bottom > page.content_region.bottom or preview.region.height == 0:
            preview.add_class("-empty")

    # -- timers --------------------------------------------------------------------------

    def timers_running(self) -> bool:
        """True while a countdown, the stopwatch or the CPR beat runs (the idle reset
        waits for them)."""
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
            self._show_countdown(page.step, step, now)
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
        cpr = tools.cpr
        if cpr.running(now) and not (step is not None and step.cpr_beat):
            running.insert(0, self.strings.format("cpr.running", time=clock_text(cpr.elapsed(now))))
        indicator = self.query_one("#running", Static)
        self._set_text(indicator, "  ".join(running))
        indicator.display = bool(running)
        self._show_alert(stopwatch.alerting(now))
        self._set_ticking(tools.any_running(now))

    def _show_countdown(self, index: int, step: Step, now: float) -> None:
        assert step.timer_seconds
        countdown = self.session.tools.countdown(index, step.timer_seconds)
        label = self.query_one("#countdown-label", Static)
        start = self.query_one("#countdown-start", Button)
        if countdown.done(now):
            self._set_text(label, step.timer_done or self.strings["timer.done"])
            label.add_class("-done")
            start.label = self.strings["timer.restart"]
        else:
            time = countdown.text_up(now)
            if step.timer_label:
                text = self.strings.format(self._labelled_key, label=step.timer_label, time=time)
            else:
                key = "timer.hold" if countdown.running(now) else "timer.ready"
                text = self.strings.format(key, time=time)
            self._set_text(label, text)
            label.remove_class("-done")
            start.label = self.strings["timer.start"]
        # gone while it runs (the label takes its room; nothing else moves)
        start.display = not countdown.running(now)

    @property
    def _labelled_key(self) -> str:
        """A named countdown's label: on short screens the time first, then the name (cut
        with "…" if it does not fit beside the button), so the time is never lost."""
        return "timer.labelled_short" if self.has_class("-short") else "timer.labelled"

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

    def action_cpr_toggle(self) -> None:
        """Start the CPR beat, or stop it (Stop is the only thing that ends it)."""
        panel = self.query_one(CprBeatPanel)
        panel.toggle()
        if self.session.tools.cpr.running(self.session.clock()):
            self._count_timer_started()
            if self.session.card is not None:  # print-ui: the fleet's CPR count
                self.kiosk.fleet.cpr_beat_started(self.session.card.id, self.session.language)
        self.kiosk.handout.changed()  # print-ui: "For the ambulance" follows the beat
        self.refresh_timers()

    def _count_timer_started(self) -> None:
        if self.session.card is not None:
            self.kiosk.fleet.timer_started(self.session.card.id, self.session.language)

    def action_dismiss_alert(self) -> None:
        self.session.tools.stopwatch.alert_dismissed = True
        self.refresh_timers()

    # -- the two jumps: "call emergency if" and a step's ``opens`` -------------------------

    def action_call_if(self) -> None:
        """The "call emergency if" page now; Back returns to the page the visitor was on."""
        if not self.alerting and self.session.go_to_call_page():
            self.kiosk.mirror()

    def action_open_linked(self) -> None:
        """This step's ``opens`` card at once; Back on its first page comes back here."""
        _page, step = self._page_and_step()
        if step is None or not step.opens or not self.session.follow_link(step.opens):
            return
        self.kiosk.action_open_card(step.opens)  # the same card again: counted, kept

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
            self.query_one(CprBeatPanel).hide()
            return
        if place.language != self._labels_language:
            self.strings = Strings(place.language)
            self._labels_language = place.language
            self._show_labels()
        self._show_card(card)
        self._show_page()
        self._size_changed()

    def _show_labels(self) -> None:
        strings = self.strings
        self.query_one("#home-button", Button).label = strings["card.home"]
        call_if = Content(strings.format("card.call_if", number=self.site.emergency_number.strip()))
        for button in self.query(".call-if").results(Button):
            button.label = call_if
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
        self.query_one(CprBeatPanel).set_language(strings.language)

    def _show_card(self, card: Card) -> None:
        urgency = self.query_one("#urgency", Static)
        urgency.set_classes(URGENCY_CLASSES[card.urgency])
        urgency.update(self.strings[f"urgency.{card.urgency.value}"])
        self.query_one("#card-title", Static).update(card.title)
        self.query_one("#card-label", Static).update(card.label)
        emergency = card.urgency is Urgency.EMERGENCY and self.session.call_page_index is not None
        self.set_class(emergency, "-emergency")
        self._show_nav_labels()

    def _show_page(self) -> None:
        session = self.session
        card = session.card
        assert card is not None
        page = session.pages[session.page_index]
        step = card.steps[page.step] if page.kind == "step" else None
        self._show_progress(card, page)
        heading = self.query_one("#page-heading", Static)
        step_text = self.query_one("#step-text", Static)
        preview = self.query_one("#next-preview", Static)
        info = self.query_one("#info-text", Static)
        sources = self.query_one("#sources", Static)
        related = self.query_one("#related", Vertical)

        on_call_page = page.kind == "info" and page.section == "call_emergency_if"
        for button in self.query(".call-if"):
            button.visible = not on_call_page

        step_text.display = step is not None
        if step is not None:
            step_text.update(step.text)
            following = page.step + 1
            if following < len(card.steps):
                preview.update(
                    self.strings.format("card.next_step", text=card.steps[following].text)
                )
        # a class, not .display, so the large text sizes can still hide it in CSS
        preview.set_class(step is None or page.step + 1 >= len(card.steps), "-empty")
        self.query_one("#countdown").display = step is not None and bool(step.timer_seconds)
        self.query_one("#stopwatch").display = step is not None and step.stopwatch
        panel = self.query_one(CprBeatPanel)
        panel.display = step is not None and step.cpr_beat
        if panel.display:
            panel.show()
        else:
            panel.hide()
        self._show_opens(step)

        heading.display = page.kind != "step"
        heading.set_classes(f"section-{page.section or page.kind}")
        info.display = page.kind == "info"
        if page.kind == "info":
            heading.update(self.strings[f"card.{page.section}"])
            items: tuple[str, ...] = getattr(card, page.section)
            info.update(bullet_list(items[page.first : page.first + page.length]))

        related.display = page.kind == "related"
        related.remove_children()
        if page.kind == "related":
            heading.update(self.strings["card.related"])
            language = self.strings.language
            ids = card.related[page.first : page.first + page.length]
            found = (self.session.deck.card(cid, language) for cid in ids)
            related.mount_all(
                CardButton(other.label, other.id, classes="related-card")
                for other in found
                if other is not None
            )
        sources.display = page.kind == "sources"
        if page.kind == "sources":
            heading.update(self.strings.format("card.sources", date=card.reviewed.isoformat()))
            shown = card.sources[page.first : page.first + page.length]
            sources.update(sources_text(shown, full=session.page_budget.full_sources))

        # The last page: Next is hidden where it was, so Back and Home stay put.
        self.query_one("#next", Button).visible = not session.on_last_page
        self.refresh_timers()
        if not self.alerting:
            self._focus_main_button(page, step)

    def _show_progress(self, card: Card, page: Page) -> None:
        pages = self.session.pages
        if page.kind == "step":
            n, total = page.step + 1, len(card.steps)
            long = self.strings.format("card.step", n=n, total=total)
        else:
            others = [p for p in pages if p.kind != "step"]
            n, total = others.index(page) + 1, len(others)
            long = self.strings.format("card.more", n=n, total=total)
        self.query_one("#progress", Static).update(long)
        key = "card.step_short" if page.kind == "step" else "card.more_short"
        self.query_one("#progress-short", Static).update(self.strings.format(key, n=n, total=total))

    def _show_opens(self, step: Step | None) -> None:
        button = self.query_one("#opens", Button)
        target = None
        if step is not None and step.opens:
            target = self.session.deck.card(step.opens, self.strings.language)
        button.display = target is not None
        if target is not None:
            button.label = Content(self.strings.format("card.opens", label=target.label))

    def _focus_main_button(self, page: Page, step: Step | None) -> None:
        """Focus what the visitor most likely wants next."""
        tools, now = self.session.tools, self.session.clock()
        if step is not None and step.stopwatch and not tools.stopwatch.running(now):
            target = "#stopwatch-start"
        elif (
            step is not None
            and step.timer_seconds
            and not tools.countdown(page.step, step.timer_seconds).running(now)
        ):
            target = "#countdown-start"
        elif step is not None and step.cpr_beat:
            target = "#cpr-toggle"
        elif step is not None and step.opens and self.query_one("#opens").display:
            target = "#opens"
        elif self.session.on_last_page:
            target = "#home-button"
        else:
            target = "#next"
        self.query_one(target, Button).focus()

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
        self._set_text(self.query_one("#stopwatch-small", Static), text)
        digits = self.query_one("#stopwatch-digits", Digits)
        if digits.value != text:
            digits.update(text)
