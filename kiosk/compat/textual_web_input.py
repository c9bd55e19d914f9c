"""The hardened input layer for Textual's web driver (``kiosk serve``; Textual 8.2.8).

Apart from :mod:`kiosk.compat.textual_input` (the terminal's driver and what both
share) so that a terminal start-up does not import Textual's web driver at all.
``tests/hostile/test_compat_textual_input.py`` checks the private names used here.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from textual.drivers._byte_stream import ByteStream
from textual.drivers.web_driver import WebDriver, _ExitInput

from kiosk import process_guard
from kiosk.compat.textual_input import HardenedInput, InputGuard

log = logging.getLogger("kiosk.input")


class HardenedWebDriver(InputGuard, WebDriver):
    """Textual's web driver with the hardened input thread; see the module docstring.

    If the input thread ends for any reason but the session's end, the app ends too (one
    log line): the server then closes the browser's socket and the page reconnects to a
    new app, where Textual's own driver would leave the page frozen with no input.
    """

    def __init__(self, app: Any, **options: Any) -> None:
        with process_guard.signals_deferred():
            super().__init__(app, **options)
        # The reader wakes this often to let time complete a lone ESC.
        self._input_reader.timeout = 0.05

    def start_application_mode(self) -> None:
        with process_guard.signals_deferred():
            super().start_application_mode()

    def run_input_thread(self) -> None:
        """Read the server's stream until the session ends; never raises."""
        pipeline = self._start_input_guard()
        ended_normally = False
        try:
            while not self.exit_event.is_set():
                try:
                    self._read_stream(pipeline)
                    ended_normally = True
                    return
                except _ExitInput:
                    ended_normally = True
                    return
                except BaseException:
                    if self.exit_event.is_set() or not self._input_thread_failed():
                        return
                    pipeline = self._start_input_guard()
        finally:
            with contextlib.suppress(Exception):
                self._input_reader.close()
            if not ended_normally and not self.exit_event.is_set():
                log.error("the browser input stopped; ending the session to reconnect")
                self._end_app_for_restart()

    def _read_stream(self, pipeline: HardenedInput) -> None:
        byte_stream = ByteStream()
        for data in self._input_reader:
            if data:
                for packet_type, payload in byte_stream.feed(data):
                    if packet_type == "D":
                        self._deliver(pipeline.feed(payload))
                    else:
                        try:
                            self._on_meta(packet_type, payload)
                        except _ExitInput:
                            raise
                        except Exception:
                            log.warning("ignored a bad message from the server")
            self._deliver(pipeline.tick())
            if self.exit_event.is_set():
                return
        # The reader ends when the server closes our stdin: the session is over.


__all__ = ["HardenedWebDriver"]
