"""Read aloud in the app: the one voice service, the visitor's choice, and what to say when.

No Textual import here: :class:`ReadAloud` is given the app and uses only its public
calls (``watch``, ``set_interval``, ``call_after_refresh``, ``call_from_thread``). The
button is :class:`kiosk.widgets.read_aloud.ReadAloudControl`, composed in the card
screen's ``CardActions`` row.

- **One service per process** (:func:`process_service`): built on a background thread
  after the first paint (so the home screen never waits for it), reused by an app that
  kiosk mode restarts after a crash, closed at exit. Tests swap :data:`service_factory`.
- **What is said** follows the app's ``card_place`` reactive (card open, page moves,
  language change): a step page says the step (``say_step``), an information page its
  heading and items (``say_section``, once, on the first page of a section split over
  several), the related-cards and sources pages nothing and stop what was playing.
  Going home silences speech; the CPR tick goes on while the beat runs (the beat
  outlives Home: only its Stop ends it).
- **The visitor's choice** is ``session.read_aloud`` (kiosk/session.py; the idle reset
  puts it back to the site's default and :meth:`ReadAloud.idle_reset` calls
  ``voice.reset()``).
- **Alarms** (docs/voice.md, "When it speaks"): the seizure 5-minute alert, the CPR
  tick and the end of a countdown on an emergency card (the anaphylaxis second dose)
  sound when Read aloud is on *or* the site's ``voice`` is ``on``; the end of other
  countdowns (a stretch) and the idle warning only when Read aloud is on. They are
  found by looking at the session's tools every :data:`POLL_SECONDS` while a card is
  open or the CPR beat runs, the same rate the card screen ticks, so card.py needs no
  hook.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import threading
from typing import TYPE_CHECKING, Any, Callable, Protocol

from kiosk.deck.model import Urgency

if TYPE_CHECKING:
    from kiosk.deck.model import Deck
    from kiosk.session import CardPlace, Clock, Session
    from kiosk.site import Site
    from kiosk.voice.service import VoiceService, VoiceStatus

log = logging.getLogger("kiosk.voice")

#: The service is built this long after the first paint of the home screen (seconds).
START_DELAY_SECONDS = 0.3
#: How often the alarms and the CPR beat are looked at while a card is open (seconds).
POLL_SECONDS = 0.25


class CprBeatState(Protocol):
    """The card screen's CPR beat as the session keeps it (SESSION2 contract)."""

    started_at: float | None
    stopped_at: float | None

    def running(self, now: float) -> bool: ...


def cpr_beat_of(session: Session) -> CprBeatState | None:
    """The session's CPR beat (card-screen's ``session.tools.cpr``, a ``CprTool``).
    Tests may give :class:`ReadAloud` their own (``cpr_beat=``)."""
    return session.tools.cpr


def real_service(deck: Deck, site: Site, clock: Clock) -> VoiceService:
    from kiosk.voice.service import VoiceService

    return VoiceService(deck, site, clock=clock)


#: What builds the process's service. Tests put a fake here (tests/conftest.py).
service_factory: Callable[[Deck, Site, Clock], Any] = real_service

_shared: Any = None
_shared_lock = threading.Lock()


def process_service(deck: Deck, site: Site, clock: Clock) -> Any:
    """The one voice service of this process, built on first use; closed at exit."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = service_factory(deck, site, clock)
            atexit.register(close_process_service)
        return _shared


def close_process_service() -> None:
    """Close the process's service (at exit; tests call it after each test)."""
    global _shared
    with _shared_lock:
        service, _shared = _shared, None
    if service is not None:
        try:
            service.close()
        except Exception as error:  # at exit: log, never raise
            log.warning("voice: closing failed: %r", error)


class ReadAloud:
    """The app's side of the voice (one per app). See the module docstring."""

    def __init__(
        self,
        app: Any,
        *,
        cpr_beat: Callable[[Session], CprBeatState | None] = cpr_beat_of,
    ) -> None:
        self.app = app
        self.cpr_beat = cpr_beat
        self.service: Any = None
        self.status: VoiceStatus | None = None
        self._watchers: list[Callable[[], None]] = []
        self._closed = False
        self._ui_thread: int | None = None
        self._poller: Any = None
        self._said = False  # something was said for this visitor (Repeat has a target)
        # what the poll saw last time
        self._alerting = False
        self._countdowns: dict[int, Any] = {}
        self._tools_card: str | None = None
        self._cpr_started_at: float | None = None  # the beat the tick belongs to
        self._cpr_playing = False  # the tick is the newest thing asked of the player
        self._cpr_silenced: float | None = None  # Stop pressed during this beat

    # -- what the widgets and the staff screen read ------------------------------------

    @property
    def session(self) -> Session:
        return self.app.session  # type: ignore[no-any-return]

    @property
    def on(self) -> bool:
        """The visitor's Read aloud is on."""
        return bool(self.session.read_aloud)

    @property
    def site_voice(self) -> str:
        return str(getattr(self.app.site, "voice", "off"))

    @property
    def control_shown(self) -> bool:
        """Show the Read aloud control: not hidden by the site, and the voice works (or
        may: until the service has started and probed the sound card, it is shown)."""
        if self.site_voice == "hidden":
            return False
        if self.service is None:
            return True
        try:
            return bool(self.service.control_shown)
        except Exception as error:
            log.warning("voice: control_shown failed: %r", error)
            return False

    def add_watcher(self, callback: Callable[[], None]) -> None:
        """``callback()`` (on the UI thread) after the state or the status changes."""
        self._watchers.append(callback)

    def remove_watcher(self, callback: Callable[[], None]) -> None:
        if callback in self._watchers:
            self._watchers.remove(callback)

    # -- life cycle ---------------------------------------------------------------------

    def start(self) -> None:
        """From ``App.on_mount``: follow ``card_place``; build and start the service on a
        thread once the first screen is painted."""
        self._ui_thread = threading.get_ident()
        self.app.watch(self.app, "card_place", self._place_changed, init=False)
        self._poller = self.app.set_interval(POLL_SECONDS, self.poll, pause=True)
        self.app.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        # a moment more, so the home screen's first frames keep the CPU (no visitor can
        # reach a card this fast)
        self.app.set_timer(START_DELAY_SECONDS, self._start_in_background)

    def _start_in_background(self) -> None:
        if self._closed:
            return
        thread = threading.Thread(target=self._build, name="kiosk-voice-start", daemon=True)
        thread.start()

    def _build(self) -> None:
        """On a thread: the process's service, its listener, ``start()``."""
        try:
            service = process_service(self.app.deck, self.app.site, self.app.clock)
            service.add_listener(self._status_from_thread)
            service.start()
            status = service.status
        except Exception as error:  # no voice is no reason to stop the kiosk
            log.error("voice: could not start: %r", error)
            return
        self._to_ui(self._service_ready, service, status)

    def _to_ui(self, callback: Callable[..., None], *args: Any) -> None:
        if self._closed:
            return
        if threading.get_ident() == self._ui_thread:
            callback(*args)  # already on the UI thread (a status change from say())
            return
        with contextlib.suppress(RuntimeError):  # the app is not running (any more)
            self.app.call_from_thread(callback, *args)

    def _service_ready(self, service: Any, status: VoiceStatus) -> None:
        if self._closed:
            return
        self.service = service
        self._status_changed(status)

    def _status_from_thread(self, status: VoiceStatus) -> None:
        """The service's listener: called on its worker threads."""
        self._to_ui(self._status_changed, status)

    def _status_changed(self, status: VoiceStatus) -> None:
        self.status = status
        self._notify()

    def close(self) -> None:
        """From ``App.on_unmount``: silence, and stop listening. The service itself
        lives on for a restarted app and is closed at exit."""
        self._closed = True
        service = self.service
        if service is not None:
            remove = getattr(service, "remove_listener", None)
            if callable(remove):
                remove(self._status_from_thread)
            self._call("stop")

    # -- the visitor's buttons ------------------------------------------------------------

    def toggle(self) -> None:
        """Read aloud on (the page shown is said at once) or off (silence)."""
        if self.session.toggle_read_aloud():
            self._cpr_silenced = None
            self.say_place(self.app.card_place)
        else:
            self.stop()
        self._notify()

    def repeat(self) -> None:
        """Say again what was said last; if nothing was yet, the page shown."""
        if not self._said:
            self.say_place(self.app.card_place)
        else:
            self._say("repeat")

    def stop(self) -> None:
        """Silence now, the CPR tick too (until the beat is started again)."""
        self._cpr_silenced = self._cpr_started_at
        self._cpr_playing = False
        self._call("stop")

    def idle_reset(self) -> None:
        """The idle reset (after ``session.reset()``): silence and forget the last step."""
        self._cpr_playing = False
        self._said = False
        self._call("reset")
        self._notify()

    # -- hooks for other parts of the app ---------------------------------------------------

    def idle_warning_shown(self) -> None:
        """Called once when the idle warning appears (``KioskApp.announce_idle_warning``)."""
        if self.on:
            self._say("say_alarm", "idle-warning", self.session.language)

    # -- what is said when -----------------------------------------------------------------

    def say_place(self, place: CardPlace | None) -> None:
        """Say the page at ``place`` (a step, or an information page's heading and items)."""
        session = self.session
        if place is None or session.card is None or not 0 <= place.page < len(session.pages):
            return
        page = session.pages[place.page]
        if page.kind == "step":
            self._say("say_step", place.card_id, page.step + 1, place.language)
        elif page.kind == "info" and page.first == 0:
            self._say("say_section", place.card_id, page.section, place.language)
        elif page.kind == "info":
            pass  # a section split over pages was said whole on its first page
        else:
            self._cpr_playing = False
            self._call("stop")  # related cards and sources are not read

    def _place_changed(self, place: CardPlace | None) -> None:
        self._notify()
        self._set_polling(True)
        if place is None:
            self._cpr_playing = False
            self._call("stop")  # home: nothing of the card goes on being read (a running
            return  # CPR beat's tick comes back at the next poll: the beat outlives Home)
        if self.on:
            self.say_place(place)

    def _alarms_sound(self) -> bool:
        """The safety alarms (seizure 5 minutes, second dose, CPR tick) sound when Read
        aloud is on, or when the site chose a speaking kiosk (``voice = "on"``)."""
        return self.on or self.site_voice == "on"

    def poll(self) -> None:
        """Look at the open card's tools: alarms that just fired, the CPR beat."""
        if self.service is None:
            return
        try:
            self._poll_tools()
            beating = self._poll_cpr()
        except Exception as error:  # a bug here must only cost the sound
            log.error("voice: poll failed: %r", error)
            return
        self._set_polling(self.session.card is not None or beating)

    def _poll_tools(self) -> None:
        session = self.session
        card = session.card
        card_id = card.id if card is not None else None
        if card_id != self._tools_card:  # another card: its tools are new
            self._tools_card = card_id
            self._alerting = False
            self._countdowns = {}
        if card is None:
            return
        now = self.app.clock()
        tools = session.tools
        alerting = tools.stopwatch.alerting(now)
        if alerting and not self._alerting and self._alarms_sound():
            self._say("say_alarm", "seizure-5min", session.language)
        self._alerting = alerting
        running = dict(tools.running_countdowns(now))
        for index, countdown in self._countdowns.items():
            if index not in running and countdown.done(now):
                emergency = card.urgency is Urgency.EMERGENCY
                if self.on or (emergency and self._alarms_sound()):
                    self._say("say_timer_done", card.id, index + 1, session.language)
        self._countdowns = running

    def _poll_cpr(self) -> bool:
        """Start, stop or bring back the tick; True while the beat runs."""
        beat = self.cpr_beat(self.session)
        now = self.app.clock()
        running = beat is not None and beat.running(now) and beat.started_at is not None
        if not running:
            if self._cpr_playing:
                self._cpr_playing = False
                self._call("stop")
            self._cpr_started_at = None
            return False
        assert beat is not None and beat.started_at is not None
        new_beat = beat.started_at != self._cpr_started_at
        self._cpr_started_at = beat.started_at
        if new_beat:  # started (again): a tick for an older beat is out of phase
            self._cpr_silenced = None
            self._cpr_playing = False
        if self._cpr_playing or self._cpr_silenced == beat.started_at:
            return True
        if not self._alarms_sound():
            return True
        # A new beat starts the tick at once; a tick cut off by speech (a step said
        # while the beat runs) comes back in phase once the speech is over.
        if new_beat or self._call("idle"):
            self._call("start_cpr", self.session.language, started_at=beat.started_at)
            self._cpr_playing = True
        return True

    # -- calling the service ------------------------------------------------------------

    def _set_polling(self, on: bool) -> None:
        """Poll only while a card is open or the CPR beat runs (at home with no beat there
        is nothing to look at: the idle CPU stays at zero)."""
        if self._poller is not None:
            (self._poller.resume if on else self._poller.pause)()

    def _say(self, method: str, *args: Any) -> None:
        self._cpr_playing = False
        if self.service is not None:
            self._said = True
        self._call(method, *args)

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Call the service if it is there; it never raises by design, but a failure
        here must cost only the sound."""
        service = self.service
        if service is None:
            return None
        if getattr(service, "deck", self.app.deck) is not self.app.deck:
            service.deck = self.app.deck  # a new deck version was switched to at home
        try:
            attribute = getattr(service, name)
            return attribute(*args, **kwargs) if callable(attribute) else attribute
        except Exception as error:
            log.error("voice: %s failed: %r", name, error)
            return None

    def _notify(self) -> None:
        for callback in list(self._watchers):
            callback()


def staff_voice_line(read_aloud: ReadAloud | None, strings: Any) -> str:
    """The staff screen's line: "Voice: ready (espeak-ng en, uk)" or "Voice unavailable:
    <reason>" (``strings``: a :class:`kiosk.strings.Strings`)."""
    status = read_aloud.status if read_aloud is not None else None
    if status is None:
        return str(strings["staff.voice.starting"])
    by_engine: dict[str, list[str]] = {}
    for language, voice_id in sorted(status.engines.items()):
        if voice_id:
            by_engine.setdefault(voice_id.split(" ", 1)[0], []).append(language)
    engines = "; ".join(f"{name} {', '.join(langs)}" for name, langs in by_engine.items())
    reason = status.reason_unavailable or "?"
    if not status.available:
        return str(strings.format("staff.voice.unavailable", reason=reason))
    if not engines:
        return str(strings["staff.voice.starting"])
    if status.reason_unavailable:
        return str(strings.format("staff.voice.partly", engines=engines, reason=reason))
    return str(strings.format("staff.voice.ready", engines=engines))
