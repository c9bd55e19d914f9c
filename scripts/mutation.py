"""Hand mutation test of the visitor-facing logic (issue 19; shared/reviews/mutation.md).

Usage::

    .venv/bin/python scripts/mutation.py                 # every mutant, then the scores
    .venv/bin/python scripts/mutation.py --only A11,C13  # some of them
    .venv/bin/python scripts/mutation.py --list          # the table, nothing run
    .venv/bin/python scripts/mutation.py --output /tmp/m # keep each mutant's pytest output

The table and scores go to stdout as Markdown; progress goes to stderr.

Each mutant is one exact source snippet replaced by another: a bug a visitor, operator or
staff member could meet (the table of the mutation review, re-targeted to the code after
the restructure, and again to main on 2026-12-01: idle warning, card pages, paged
search). For each, the script writes the mutant, runs its targeted tests with
``pytest -x -q`` (a timeout per mutant; a hang counts as killed), restores the file in a
``finally`` and goes on. It refuses to start on a tree with uncommitted changes to tracked
files, and checks the tree is clean again at the end, so it never leaves a mutant behind.

A mutant whose snippet is no longer in the file (someone changed that code) is reported
as ``stale`` and left out of the score: update its snippet. A mutant marked
``equivalent`` is run like the others; the score is given with and without them.
Retired mutants (the code they broke no longer exists) are listed in RETIRED.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The targeted test sets (the visitor tests first: they kill most, and -x stops there).
#: Paths that do not exist (yet) are skipped.
NOTICE = "tests/app/test_visitor_notices.py"
IDLE = (NOTICE, "tests/app/test_idle.py")
TIMERS = (NOTICE, "tests/app/test_timers.py", "tests/app/test_card.py", "tests/app/test_idle.py")
CARD = (NOTICE, "tests/app/test_card.py", "tests/app/test_timers.py")
HOME = (NOTICE, "tests/app/test_home.py")
STAFF = (NOTICE, "tests/app/test_lockdown.py", "tests/app_extra/test_staff.py")
RUN = (
    "tests/faults/test_stop_grace.py",
    "tests/app/test_run.py",
    "tests/faults/test_signals.py",
    "tests/app/test_lockdown.py",
)
ERRORS = (NOTICE, "tests/app/test_errors.py", "tests/app_extra/test_out_of_service.py")
SEARCH = (NOTICE, "tests/app_extra/test_search.py", "tests/app/test_home.py")
DECK_SEARCH = ("tests/deck/test_search.py", NOTICE, "tests/app_extra/test_search.py")


@dataclass(frozen=True)
class Mutant:
    """One hand-made bug: ``old`` (exactly once in ``path``) becomes ``new``."""

    id: str
    path: str
    old: str
    new: str
    breaks: str
    tests: tuple[str, ...]
    equivalent: str = ""
    """Why no test a visitor would recognise can kill it (empty: it should be killed)."""


M = Mutant
MUTANTS: tuple[Mutant, ...] = (
    # -- idle reset (app.py, session.py)
    M(
        "A01",
        "kiosk/session.py",
        "return untouched < self.idle_timer_limit and self.tools.any_running(now)",
        "return untouched <= self.idle_timer_limit and self.tools.any_running(now)",
        "timer-limit boundary: at exactly the limit an untouched timer still holds off the reset",
        IDLE,
    ),
    M(
        "A02",
        "kiosk/app.py",
        "            self._hide_idle_warning()\n"
        "            self._arm_idle_timer(state.seconds_left)",
        "            self._hide_idle_warning()\n"
        "            self._arm_idle_timer(self.session.idle_timeout)",
        "idle timer re-armed for a whole timeout instead of the time left (reset up to 2x late)",
        IDLE,
    ),
    M(
        "A03",
        "kiosk/session.py",
        "return untouched < self.idle_timer_limit and self.tools.any_running(now)",
        "return False",
        "the idle reset no longer waits for a running timer",
        IDLE,
    ),
    M(
        "A04",
        "kiosk/app.py",
        "        else:\n            self._hide_idle_warning()\n"
        "            self._arm_idle_timer(state.seconds_left)",
        "        elif state.phase is IdlePhase.ACTIVE:\n            self._hide_idle_warning()\n"
        "            self._arm_idle_timer(state.seconds_left)",
        "no re-arm while a timer blocks the reset: after the timer the card stays up for ever",
        IDLE,
    ),
    M(
        "A05",
        "kiosk/app.py",
        "        self._idle_timer = None\n        self.check_idle_reset()",
        "        self.check_idle_reset()",
        "the fired idle timer is never cleared: the kiosk resets once, then never again",
        IDLE,
    ),
    M(
        "A06",
        "kiosk/app.py",
        "if self._idle_timer is not None or self.home_screen is None:",
        "if self.home_screen is None:",
        "every input adds another pending idle timer (a pile-up, not one-shot)",
        IDLE,
    ),
    M(
        "A07",
        "kiosk/session.py",
        "        self.note_input()\n        self.language = self.default_language\n",
        "        self.note_input()\n",
        "idle reset keeps the visitor's language",
        IDLE,
    ),
    M(
        "A08",
        "kiosk/session.py",
        "        self.note_input()\n        self.language = self.default_language\n"
        "        self.text_size = self.default_text_size\n",
        "        self.note_input()\n        self.language = self.default_language\n",
        "idle reset keeps the visitor's text size",
        IDLE,
    ),
    M(
        "A09",
        "kiosk/app.py",
        "            self.home_screen.start_over()",
        "            pass",
        "after an idle reset focus stays where the last visitor left it, not on tile 1",
        IDLE,
    ),
    M(
        "A10",
        "kiosk/app.py",
        "        self.session.note_input()\n        self._hide_idle_warning()",
        "        self._hide_idle_warning()",
        "input no longer records its time: the reset comes mid-reading",
        IDLE,
    ),
    M(
        "A11",
        "kiosk/app.py",
        "isinstance(event, (events.Key, events.MouseDown))",
        "isinstance(event, events.Key)",
        "a tap (on a button or anywhere) no longer counts as input: sent home mid-reading",
        IDLE,
    ),
    M(
        "A12",
        "kiosk/app.py",
        "isinstance(event, (events.Key, events.MouseDown))",
        "isinstance(event, events.MouseDown)",
        "a key press (arrows, Space, Enter on a button) no longer counts as input",
        IDLE,
    ),
    M(
        "A13",
        "kiosk/session.py",
        "        self.card_stack.clear()\n        self.tools.clear()",
        "        self.card_stack.clear()",
        "Home no longer stops the card's timers (they run on, block the idle reset, alert later)",
        IDLE + CARD,
    ),
    # -- lockdown, text size, language, staff access
    M(
        "A14",
        "kiosk/app.py",
        "        if not self.locked:\n            self.exit()",
        "        if True:\n            self.exit()",
        "ctrl+q quits even in kiosk mode",
        STAFF,
    ),
    M(
        "A15",
        "kiosk/app.py",
        'Binding("ctrl+c,ctrl+z,ctrl+backslash,ctrl+p", "locked_key"',
        'Binding("ctrl+z,ctrl+backslash,ctrl+p", "locked_key"',
        "ctrl+c no longer bound to the no-op",
        STAFF + RUN,
        equivalent="inherit_bindings=False: nothing else binds ctrl+c, and the hardened "
        "driver never turns it into SIGINT; unbinding it changes nothing",
    ),
    M(
        "A16",
        "kiosk/app.py",
        'Binding("ctrl+c,ctrl+z,ctrl+backslash,ctrl+p", "locked_key"',
        'Binding("ctrl+c", "quit", show=False, priority=True),\n'
        '        Binding("ctrl+z,ctrl+backslash,ctrl+p", "locked_key"',
        "ctrl+c quits the kiosk",
        STAFF,
    ),
    M(
        "A17",
        "kiosk/run.py",
        'os.environ.pop("TEXTUAL_ALLOW_SIGNALS", None)',
        "pass",
        "kiosk mode does not strip TEXTUAL_ALLOW_SIGNALS (ctrl+c could become a signal)",
        RUN,
    ),
    M(
        "A18",
        "kiosk/session.py",
        "self.text_size = TEXT_SIZES[max(0, min(len(TEXT_SIZES) - 1, index))]",
        "self.text_size = TEXT_SIZES[min(len(TEXT_SIZES) - 1, index)]",
        "'-' at normal size wraps to extra-large",
        HOME,
    ),
    M(
        "A19",
        "kiosk/session.py",
        "        if wrap:\n            index %= len(TEXT_SIZES)",
        "        if False:\n            index %= len(TEXT_SIZES)",
        "the size button stops at A++ instead of going back to A",
        HOME,
    ),
    M(
        "A20",
        "kiosk/session.py",
        "self.language = languages[(index + 1) % len(languages)]",
        "self.language = languages[index % len(languages)]",
        "the language button keeps the same language",
        HOME,
    ),
    M(
        "A21",
        "kiosk/session.py",
        "now - self._times[0] <= self.window",
        "True",
        "staff sequence: presses spread over any time open staff access",
        STAFF,
    ),
    M(
        "A22",
        "kiosk/session.py",
        "STAFF_KEY_PRESSES, STAFF_KEY_WINDOW = 3, 3.0",
        "STAFF_KEY_PRESSES, STAFF_KEY_WINDOW = 2, 3.0",
        "staff sequence: two F12 presses are enough",
        STAFF,
    ),
    M(
        "A23",
        "kiosk/session.py",
        "now - self._times[0] <= self.window",
        "now - self._times[0] < self.window",
        "staff sequence: window boundary <= -> <",
        STAFF,
        equivalent="only presses exactly 3.000 s apart differ; no person can tell",
    ),
    M(
        "A24",
        "kiosk/session.py",
        "            self._times.clear()\n            return True",
        "            return True",
        "staff presses not cleared: a 4th F12 stacks a second PIN prompt",
        STAFF,
        equivalent="the stacked prompts look the same, and a wrong PIN, Cancel or the "
        "staff screen's Back all go home through every screen on the stack",
    ),
    M(
        "A25",
        "kiosk/app.py",
        "            if self.locked:\n                log.warning(",
        "            if False:\n                log.warning(",
        "kiosk mode with no PIN: the staff screen opens anyway",
        STAFF,
    ),
    M(
        "A26",
        "kiosk/app.py",
        "            if right:\n",
        "            if True:\n",
        "any PIN opens the staff screen",
        STAFF,
    ),
    M(
        "A27",
        "kiosk/app.py",
        '            if choice == "exit":',
        "            if True:",
        "staff 'Back' also ends the kiosk",
        STAFF,
    ),
    M(
        "A28",
        "kiosk/session.py",
        "STAFF_TAPS, STAFF_TAP_WINDOW = 5, 5.0",
        "STAFF_TAPS, STAFF_TAP_WINDOW = 4, 5.0",
        "four taps on the site name ask for the PIN",
        STAFF,
    ),
    M(
        "A29",
        "kiosk/app.py",
        "            else:  # wrong (logged by the lockout), cancelled or timed out\n"
        "                self.action_home()",
        "            else:  # wrong (logged by the lockout), cancelled or timed out\n"
        "                pass",
        "a wrong PIN leaves the visitor where the prompt was opened, not at home",
        STAFF,
    ),
    # -- the process (run.py)
    M(
        "A30",
        "kiosk/run.py",
        "        watchdog.start()",
        "        pass",
        "stop-signal watchdog never started (a hung-up terminal keeps the process alive)",
        RUN,
    ),
    M(
        "A31",
        "kiosk/run.py",
        "watchdog.daemon = True",
        "watchdog.daemon = False",
        "watchdog not a daemon: every normal stop waits 5 s and exits 128+signal",
        RUN,
    ),
    M(
        "A32",
        "kiosk/run.py",
        "os._exit(128 + signum)",
        "os._exit(0)",
        "a forced stop exits 0 instead of 128+signal",
        RUN,
    ),
    M(
        "A33",
        "kiosk/run.py",
        "STOP_GRACE_SECONDS = 5.0",
        "STOP_GRACE_SECONDS = 60.0",
        "grace period after a stop signal 5 s -> 60 s",
        RUN,
    ),
    M(
        "A34",
        "kiosk/run.py",
        "if not restart_on_exit or app.staff_exit or stop.requested:",
        "if not restart_on_exit or app.staff_exit:",
        "a stop signal no longer ends the kiosk-mode restart loop",
        RUN,
    ),
    M(
        "A35",
        "kiosk/run.py",
        'stop_signals = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])',
        "stop_signals = [signal.SIGTERM]",
        "SIGHUP no longer ends the app the normal way",
        RUN,
    ),
    M(
        "A36",
        "kiosk/run.py",
        "            signal.signal(signum, handler)",
        "            pass",
        "previous signal handlers not restored after a run",
        RUN,
    ),
    # -- errors (app.py, compat)
    M(
        "A37",
        "kiosk/app.py",
        "            if too_many:\n",
        "            if False:\n",
        "crash loop: never switches to the out-of-service screen",
        ERRORS,
    ),
    M(
        "A38",
        "kiosk/app.py",
        "            self.session.close_card()\n            self.mirror()\n"
        "            await self._rebuild_screens()",
        "            self.session.close_card()\n            self.mirror()\n"
        '            await self.push_screen("home")',
        "recovery: screens not rebuilt after an error",
        ERRORS + CARD,
        equivalent="with Textual 8.2.8 the old screens keep working after an error in "
        "their handlers or timers (tests/app/test_visitor_notices.py reads a card after "
        "one); the rebuild stays as the safe path if an upgrade stops such a screen",
    ),
    M(
        "G01",
        "kiosk/app.py",
        "            self.call_later(self.recover_from_error)",
        "            pass",
        "an unexpected error no longer sends the visitor home",
        ERRORS,
    ),
    M(
        "G02",
        "kiosk/compat/textual.py",
        "            self.unexpected_error(error)\n            return True",
        "            raise",
        "an error in an action escapes to Textual (traceback, app ends)",
        ERRORS,
    ),
    M(
        "G03",
        "kiosk/compat/textual.py",
        "            self.unexpected_error(error)\n            return True",
        "            return True",
        "an error in an action is swallowed: no log, no recovery",
        ERRORS,
    ),
    # -- the card screen and its pages (card.py, session.py, app.py)
    M(
        "C01",
        "kiosk/session.py",
        "if self.card is None or self.page_index >= len(self.pages) - 1:",
        "if self.card is None or self.page_index >= len(self.pages):",
        "Next allowed past the last page",
        CARD,
    ),
    M(
        "C02",
        "kiosk/session.py",
        "        if self.page_index == 0:\n            return self._return_to_previous_card()",
        "        if self.page_index <= 1:\n            return self._return_to_previous_card()",
        "Back on step 2 goes home",
        CARD,
    ),
    M(
        "C03",
        "kiosk/session.py",
        "self.page_index = 0 if page is None else same_place(self.pages, page)",
        "self.page_index = self.page_index if page is None else same_place(self.pages, page)",
        "opening a card keeps the previous card's page number",
        CARD,
    ),
    M(
        "C04",
        "kiosk/session.py",
        "        if self.card is None or self.card.id != card.id:\n            self.tools.clear()",
        "        if False:\n            self.tools.clear()",
        "opening another card (a related card) keeps the old card's timers",
        CARD,
    ),
    M(
        "C05",
        "kiosk/tools.py",
        "tool.running(now) for group in groups for tool in group.values()\n",
        "tool.running(now) for group in groups for tool in group.values()"
        " if not isinstance(tool, Stopwatch)\n",
        "a running stopwatch no longer counts as running (no ticking, idle reset mid-seizure)",
        TIMERS,
    ),
    M(
        "C06",
        "kiosk/screens/card.py",
        "start.display = not countdown.running(now)",
        "start.display = True",
        "the countdown's Start button stays visible while it runs",
        TIMERS,
    ),
    M(
        "C07",
        "kiosk/screens/card.py",
        'if not (page.kind == "step" and page.step == index):',
        "if True:",
        "the small running-timer indicator also shows on the timer's own step",
        TIMERS,
    ),
    M(
        "C08",
        "kiosk/screens/card.py",
        "elif not on and self._ticker is not None:",
        "elif False:",
        "the ticker never stops when the timers end",
        TIMERS,
    ),
    M(
        "C09",
        "kiosk/screens/card.py",
        "self._show_alert(stopwatch.alerting(now))",
        "self._show_alert(False)",
        "the five-minute alert is never shown",
        TIMERS,
    ),
    M(
        "C10",
        "kiosk/app.py",
        "return not self.session.tools.stopwatch.alerting(self.clock())",
        "return True",
        "page keys work during the five-minute alert",
        TIMERS,
    ),
    M(
        "C11",
        "kiosk/screens/card.py",
        "        if stopwatch.running(now):\n            stopwatch.stop(now)",
        "        if stopwatch.running(now):\n            stopwatch.start(now)\n"
        "            stopwatch.stop(now)",
        "Stop resets the stopwatch instead of keeping the time",
        TIMERS,
    ),
    M(
        "C12",
        "kiosk/screens/card.py",
        "        self._count_timer_started()\n        self.refresh_timers()\n",
        "        self._count_timer_started()\n        self.refresh_timers()\n"
        "        self._set_ticking(False)\n",
        "starting the countdown does not start the ticker (it never counts down on its own)",
        TIMERS,
    ),
    M(
        "C13",
        "kiosk/screens/card.py",
        '            self.query_one("#next", Button).focus()\n        self.refresh_timers()\n',
        '            self.query_one("#next", Button).focus()\n        self.refresh_timers()\n'
        "        self._set_ticking(False)\n",
        "starting the stopwatch does not start the ticker: digits freeze, no 5-minute alert",
        TIMERS,
    ),
    M(
        "C14",
        "kiosk/screens/card.py",
        "TICK_SECONDS = 0.25",
        "TICK_SECONDS = 25",
        "timers tick every 25 s instead of 0.25 s",
        TIMERS,
    ),
    M(
        "C15",
        "kiosk/tools.py",
        "whole = int(remaining) if remaining == int(remaining) else int(remaining) + 1",
        "whole = int(remaining)",
        "countdown text rounds down instead of up",
        TIMERS,
    ),
    M(
        "C16",
        "kiosk/screens/card.py",
        'self.query_one("#next", Button).visible = not session.on_last_page',
        'self.query_one("#next", Button).visible = True',
        "a dead Next still shown on the last page (it was disabled; now it is hidden)",
        CARD,
    ),
    M(
        "C17",
        "kiosk/screens/card.py",
        "        self.session.tools.stopwatch.alert_dismissed = True\n",
        "",
        "dismissing the alert does nothing",
        TIMERS,
    ),
    M(
        "C18",
        "kiosk/session.py",
        'pages += [Page("info", section=section, first=f, length=n) for f, n in runs]',
        'pages += [Page("info", section=section, first=f, length=n) for f, n in runs or [(0, 0)]]',
        "an empty information section still gets a page",
        CARD,
    ),
    M(
        "C19",
        "kiosk/screens/card.py",
        "if following < len(card.steps)",
        "if following <= len(card.steps)",
        "next-step preview off by one (the last step errors)",
        CARD,
    ),
    M(
        "C20",
        "kiosk/screens/card.py",
        '            self.query_one("#alert-dismiss", Button).focus()',
        "            pass",
        "the alert does not take focus (Enter does not dismiss it)",
        TIMERS,
    ),
    M(
        "C21",
        "kiosk/tools.py",
        "        self._tools.clear()",
        "        self._tools = {n: t for n, t in self._tools.items() if isinstance(t, Countdown)}",
        "clearing the tools keeps the countdowns (a hold timer survives Home)",
        TIMERS,
    ),
    M(
        "C22",
        "kiosk/screens/card.py",
        'target = "#stopwatch-start"',
        'target = "#next"',
        "the stopwatch step focuses Next instead of Start",
        TIMERS,
    ),
    M(
        "C23",
        "kiosk/screens/card.py",
        '        if page.kind == "related":\n'
        '            heading.update(self.strings["card.related"])',
        '        if False:\n            heading.update(self.strings["card.related"])',
        "the related-cards page shows no card buttons (they were on the last page)",
        CARD,
    ),
    # -- the timed tools (tools.py)
    M(
        "T01",
        "kiosk/tools.py",
        "return self.started_at is not None and self.remaining(now) > 0",
        "return self.started_at is not None and self.remaining(now) >= 0",
        "Countdown.running: > 0 -> >= 0 (never ends)",
        TIMERS,
    ),
    M(
        "T02",
        "kiosk/tools.py",
        "return self.started_at is not None and self.remaining(now) <= 0",
        "return self.started_at is not None and self.remaining(now) < 0",
        "Countdown.done: <= 0 -> < 0 ('Done' never shown)",
        TIMERS,
    ),
    M(
        "T03",
        "kiosk/tools.py",
        "        self.stopped_at = None\n        self.alert_dismissed = False",
        "        self.stopped_at = None",
        "a restarted stopwatch never alerts again",
        TIMERS,
    ),
    M(
        "T04",
        "kiosk/tools.py",
        "self.elapsed(now) >= STOPWATCH_ALERT_SECONDS",
        "self.elapsed(now) > STOPWATCH_ALERT_SECONDS",
        "alert boundary >= -> > (a tick later)",
        TIMERS,
    ),
    M(
        "T05",
        "kiosk/tools.py",
        "            self.running(now)\n            and not self.alert_dismissed",
        "            not self.alert_dismissed",
        "alert while the stopwatch is stopped too",
        TIMERS,
        equivalent="the alert covers the page, so the stopwatch cannot be stopped past "
        "5:00 before the alert is dismissed; a stopwatch stopped earlier never reaches 5:00",
    ),
    M(
        "T06",
        "kiosk/tools.py",
        "        end = self.stopped_at if self.stopped_at is not None else now\n"
        "        return max(0.0, end - self.started_at)\n\n    def running",
        "        end = now\n        return max(0.0, end - self.started_at)\n\n    def running",
        "a stopped stopwatch keeps counting",
        TIMERS,
    ),
    M(
        "T08",
        "kiosk/tools.py",
        'return f"{whole // 60}:{whole % 60:02d}"',
        'return f"{whole // 60}:{whole % 60}"',
        "clock text seconds not zero-padded (1:5)",
        TIMERS,
    ),
    M(
        "T09",
        "kiosk/tools.py",
        "return max(0.0, self.duration - (now - self.started_at))",
        "return self.duration - (now - self.started_at)",
        "Countdown.remaining: no clamp at 0",
        TIMERS,
        equivalent="a negative remaining time is never shown: done() takes over at <= 0 "
        "and clock_text clamps at 0",
    ),
    M(
        "T10",
        "kiosk/tools.py",
        'length matters)."""\n        if self.running(now):\n            self.stopped_at = now',
        'length matters)."""\n        if True:\n            self.stopped_at = now',
        "Stopwatch.stop no longer checks running (a second stop moves the stop time)",
        TIMERS,
        equivalent="the card screen calls stop() only while the stopwatch runs",
    ),
    # -- the search screen (screens/search.py, app.py)
    M(
        "S01",
        "kiosk/screens/search.py",
        "        if self._shown:\n",
        "        if True:\n",
        "Enter with no results raises (and sends the visitor home)",
        SEARCH,
    ),
    M(
        "S02",
        "kiosk/screens/search.py",
        "button.display = card_id in wanted",
        "button.display = True",
        "every result button always shown",
        SEARCH,
    ),
    M(
        "S03",
        "kiosk/screens/search.py",
        "MAX_QUERY_LENGTH = 40",
        "MAX_QUERY_LENGTH = 4",
        "the query is cut at 4 characters",
        SEARCH,
    ),
    M(
        "S04",
        "kiosk/screens/search.py",
        "            if position < 0:\n                query.focus()",
        "            if position < 0:\n                pass",
        "Up from the first result no longer returns to the query",
        SEARCH,
    ),
    M(
        "S05",
        "kiosk/screens/search.py",
        '            if event.character == " ":\n                return',
        "            if False:\n                return",
        "Space on a focused result goes into the query",
        SEARCH,
    ),
    M(
        "S06",
        "kiosk/screens/search.py",
        "        query.insert_text_at_cursor(event.text)\n        query.focus()",
        "        query.insert_text_at_cursor(event.text)",
        "an on-screen key tap does not give the focus back to the query",
        SEARCH,
        equivalent="the on-screen keys never take focus, so the query keeps it anyway",
    ),
    M(
        "S07",
        "kiosk/screens/search.py",
        "query.action_delete_left()",
        "query.action_delete_right()",
        "on-screen backspace deletes to the right",
        SEARCH,
    ),
    M(
        "S09",
        "kiosk/screens/search.py",
        'self.query_one("#search-no-results").display = not card_ids',
        'self.query_one("#search-no-results").display = False',
        "'no results' never shown",
        SEARCH,
    ),
    M(
        "S10",
        "kiosk/screens/search.py",
        "short = height < SHORT_ROWS",
        "short = height >= SHORT_ROWS",
        "short-screen keyboard fit inverted",
        SEARCH,
    ),
    M(
        "S11",
        "kiosk/screens/search.py",
        "        page = 0\n        if keep is not None:",
        "        page = self.results_page\n        if keep is not None:",
        "after a keystroke the results stay on the page turned to, not the first (it was: "
        "not scrolled back to the top; results are paged now)",
        SEARCH,
    ),
    M(
        "S12",
        "kiosk/app.py",
        "SearchScreen(self.deck, self.language, self.site, self.strings)",
        "SearchScreen(self.deck, self.deck.default_language, self.site, self.strings)",
        "search opened in the visitor's language lists the default language's cards",
        SEARCH,
    ),
    M(
        "S13",
        "kiosk/screens/search.py",
        "        elif direction > 0 and visible:\n",
        "        elif False:\n",
        "arrow down from the query does nothing",
        SEARCH,
    ),
    # -- search in the deck (deck/search.py)
    M(
        "D01",
        "kiosk/deck/search.py",
        "        card.scenario,\n",
        "",
        "a card's scenario is not searched",
        DECK_SEARCH,
    ),
    M(
        "D02",
        "kiosk/deck/search.py",
        "        *(step.text for step in card.steps),\n",
        "",
        "step text is not searched",
        DECK_SEARCH,
    ),
    M(
        "D03",
        "kiosk/deck/search.py",
        "        *card.keywords,\n",
        "",
        "keywords are not searched",
        DECK_SEARCH,
    ),
    M(
        "D04",
        "kiosk/deck/search.py",
        "return text.casefold().translate(_NO_APOSTROPHES)",
        "return text.translate(_NO_APOSTROPHES)",
        "search is case-sensitive",
        DECK_SEARCH,
    ),
    M(
        "D05",
        "kiosk/deck/search.py",
        "tokens = tuple(token for token in vocabulary if word in token)",
        "tokens = tuple(token for token in vocabulary if token.startswith(word))",
        "prefix match instead of substring",
        DECK_SEARCH,
    ),
    M(
        "D06",
        "kiosk/deck/search.py",
        "return [self._cards[index] for index in self._indices(bits, limit)]",
        "return [self._cards[index] for index in self._indices(bits, len(self._cards))]",
        "the result limit is ignored",
        DECK_SEARCH,
    ),
    M(
        "D07",
        "kiosk/deck/search.py",
        "narrower = self._memo.get(word[:-1]) if len(word) > 1 else None",
        "narrower = self._memo.get(word[1:]) if len(word) > 1 else None",
        "narrowing from the wrong shorter word (word[1:])",
        DECK_SEARCH,
        equivalent="tokens containing word[1:] are a superset of those containing "
        "word, except after a slip; only slower",
    ),
    M(
        "D08",
        "kiosk/deck/search.py",
        "            if word in texts[index]:\n",
        "            if True:\n",
        "a word with punctuation: the text check is dropped",
        DECK_SEARCH,
    ),
    M(
        "D09",
        "kiosk/deck/search.py",
        "if _WORD.fullmatch(word) is None:",
        "if False:",
        "a word with punctuation takes the plain path (finds nothing)",
        DECK_SEARCH,
    ),
    M(
        "D10",
        "kiosk/deck/search.py",
        "bits &= self._cards_with(word)",
        "bits |= self._cards_with(word)",
        "any word matches instead of every word",
        DECK_SEARCH,
    ),
    M(
        "D11",
        "kiosk/deck/search.py",
        "            if len(self._memo) >= _MEMO_SIZE:\n",
        "            if False:\n",
        "the search memo never evicts (memory grows over days of typing)",
        DECK_SEARCH,
        equivalent="invisible in any test a visitor would recognise: memory grows "
        "by a few bytes per distinct query word; the soak test guards gross leaks",
    ),
    M(
        "D12",
        "kiosk/deck/search.py",
        "tuple(bit for bit in range(8) if value >> bit & 1)",
        "tuple(bit for bit in range(7) if value >> bit & 1)",
        "every 8th card is never found",
        DECK_SEARCH,
    ),
)

#: Mutants of the review whose code no longer exists after the restructure.
RETIRED = {
    "T07": "Stopwatch.reset() is gone; a stopwatch is restarted with start(), which T03 covers",
    "S08": "a result button carries its card id in its action (CardButton): no handler picks "
    "the result by position any more",
}


@dataclass
class Outcome:
    mutant: Mutant
    result: str  # killed | survived | timeout | stale | error
    seconds: float = 0.0
    detail: str = ""
    tests: list[str] = field(default_factory=list)


def tracked_changes(root: Path) -> str:
    """``git status`` of tracked files (untracked files are not our business)."""
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def first_failure(output: str) -> str:
    """The first failing test named in pytest's short summary (not a captured log line)."""
    for line in output.splitlines():
        if line.startswith(("FAILED ", "ERROR ")) and "::" in line.split(" - ")[0]:
            return line.split(" ", 1)[1].split(" - ")[0]
    return output.strip().splitlines()[-1] if output.strip() else ""


def run_mutant(mutant: Mutant, root: Path, timeout: float, output: Path | None = None) -> Outcome:
    """Write the mutant, run its tests, and restore the file whatever happens."""
    path = root / mutant.path
    original = path.read_bytes()
    source = original.decode("utf-8")
    count = source.count(mutant.old)
    if count != 1:
        return Outcome(mutant, "stale", detail=f"snippet found {count} times in {mutant.path}")
    tests = [t for t in dict.fromkeys(mutant.tests) if (root / t).exists()]
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=str(root))
    started = time.monotonic()
    try:
        path.write_bytes(source.replace(mutant.old, mutant.new).encode("utf-8"))
        try:
            done = subprocess.run(
                command, cwd=root, env=env, capture_output=True, text=True, timeout=timeout
            )
        except subprocess.TimeoutExpired:
            return Outcome(mutant, "timeout", time.monotonic() - started, "hung", tests)
    finally:
        path.write_bytes(original)
    seconds = time.monotonic() - started
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
        (output / f"{mutant.id}.txt").write_text(done.stdout + done.stderr, encoding="utf-8")
    if done.returncode == 0:
        return Outcome(mutant, "survived", seconds, "", tests)
    if done.returncode in (1, 2, 3):  # failures, interrupted (import error), internal error
        return Outcome(mutant, "killed", seconds, first_failure(done.stdout), tests)
    return Outcome(mutant, "error", seconds, f"pytest exit {done.returncode}", tests)


def score_line(name: str, outcomes: list[Outcome]) -> str:
    counted = [o for o in outcomes if o.result in ("killed", "survived", "timeout")]
    killed = sum(o.result in ("killed", "timeout") for o in counted)
    real = [o for o in counted if not o.mutant.equivalent]
    real_killed = sum(o.result in ("killed", "timeout") for o in real)
    raw = 100.0 * killed / len(counted) if counted else 0.0
    net = 100.0 * real_killed / len(real) if real else 0.0
    survived = len(counted) - killed
    equivalent = sum(o.result == "survived" and bool(o.mutant.equivalent) for o in counted)
    return (
        f"| {name} | {len(counted)} | {killed} | {survived} ({equivalent} equivalent) "
        f"| {raw:.0f}% | {net:.0f}% |"
    )


def report(outcomes: list[Outcome]) -> str:
    lines = ["| id | file | breaks | result | killed by / note | s |", "|---|---|---|---|---|---:|"]
    for o in outcomes:
        note = o.detail or (f"equivalent: {o.mutant.equivalent}" if o.mutant.equivalent else "")
        result = (
            f"**{o.result}**" if o.result == "survived" and not o.mutant.equivalent else o.result
        )
        lines.append(
            f"| {o.mutant.id} | {o.mutant.path} | {o.mutant.breaks} | {result} | {note} "
            f"| {o.seconds:.0f} |"
        )
    lines += [
        "",
        "| module | mutants | killed | survived | score | without equivalents |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    by_module: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_module[o.mutant.path].append(o)
    for module in sorted(by_module):
        lines.append(score_line(module, by_module[module]))
    lines.append(score_line("**all**", outcomes))
    stale = [o.mutant.id for o in outcomes if o.result in ("stale", "error")]
    if stale:
        lines.append(f"\nNot counted (stale snippet or pytest error): {', '.join(stale)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="comma-separated mutant ids")
    parser.add_argument("--module", default="", help="only mutants of files containing this")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per mutant")
    parser.add_argument("--list", action="store_true", help="print the mutants and stop")
    parser.add_argument("--output", type=Path, default=None, help="keep pytest's output here")
    args = parser.parse_args(argv)

    wanted = {m.strip() for m in args.only.split(",") if m.strip()}
    mutants = [m for m in MUTANTS if (not wanted or m.id in wanted) and args.module in m.path]
    if args.list:
        for m in mutants:
            print(f"{m.id}  {m.path}  {m.breaks}  [{', '.join(m.tests)}]")
        for mutant_id, why in RETIRED.items():
            print(f"{mutant_id}  retired: {why}")
        return 0
    dirty = tracked_changes(ROOT)
    if dirty:
        print("refusing to run: tracked files have uncommitted changes:\n" + dirty)
        return 2

    # A stop (ctrl+c, SIGTERM, SIGHUP) must still restore the file: raise, so `finally` runs.
    # (A shell's background job starts with SIGINT ignored; set it back.)
    def stop(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    outcomes = []
    try:
        for mutant in mutants:
            outcome = run_mutant(mutant, ROOT, args.timeout, args.output)
            outcomes.append(outcome)
            print(
                f"{mutant.id} {outcome.result:8} {outcome.seconds:5.0f} s  {outcome.detail}",
                file=sys.stderr,
                flush=True,
            )
    finally:
        left = tracked_changes(ROOT)
        if left:
            print("tree not clean after the run (restore by hand!):\n" + left, file=sys.stderr)
    load = os.getloadavg()
    print(
        f"# Mutation run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}\n"
    )
    print(report(outcomes))
    for mutant_id, why in RETIRED.items():
        print(f"\nRetired {mutant_id}: {why}")
    return 1 if left else 0


if __name__ == "__main__":
    raise SystemExit(main())
