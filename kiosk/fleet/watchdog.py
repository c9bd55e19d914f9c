"""The systemd watchdog: ``READY=1`` at start, ``WATCHDOG=1`` from the app's own loop.

The units set ``WatchdogSec=``; if the kiosk's event loop freezes, the pings stop and
systemd restarts the service. The pings must come from a timer of the app's own loop
(``set_interval``), never from a thread, or a frozen screen would still look alive.
Messages go through ``sdnotify`` (pure Python, the sd_notify protocol). With no
``NOTIFY_SOCKET`` (not under systemd, or a unit without it) everything here is silent;
``sdnotify`` reads the socket's address from the process environment.

``WATCHDOG_PID`` is not checked: under cage and foot (deploy/kiosk.service) the kiosk is
a grandchild of the main process, and the unit's ``NotifyAccess=all`` lets it ping.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Protocol

log = logging.getLogger("kiosk.fleet.watchdog")

#: The variables systemd gives the notifying process; a process that pings on behalf of
#: its children (``kiosk serve``) drops them from their environment.
NOTIFY_VARIABLES = ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID")
#: Ping interval when systemd does not say (no ``WATCHDOG_USEC``).
DEFAULT_PING_SECONDS = 5.0


class _Notifier(Protocol):
    def notify(self, state: str) -> None: ...


class SystemdWatchdog:
    """Tells systemd the kiosk is ready, then that it is alive. Never raises."""

    def __init__(
        self, environ: Mapping[str, str] | None = None, notifier: _Notifier | None = None
    ) -> None:
        environ = os.environ if environ is None else environ
        self.enabled = bool(environ.get("NOTIFY_SOCKET"))
        self.ping_seconds = ping_interval(environ)
        self._notifier = notifier
        if self.enabled and self._notifier is None:
            try:
                import sdnotify

                self._notifier = sdnotify.SystemdNotifier()
            except Exception as error:
                log.warning("systemd notification unavailable (%r)", error)
                self.enabled = False
        self.pings = 0

    def ready(self) -> None:
        """The kiosk has started (call once, when the first screen is up)."""
        self._send("READY=1")

    def ping(self) -> None:
        """The event loop is alive: call from a ``set_interval`` of the app."""
        self.pings += 1
        self._send("WATCHDOG=1")

    def stopping(self) -> None:
        self._send("STOPPING=1")

    def _send(self, state: str) -> None:
        if not self.enabled or self._notifier is None:
            return
        try:
            self._notifier.notify(state)
        except Exception as error:  # sdnotify swallows socket errors itself; belt and braces
            log.debug("sd_notify %s failed (%r)", state, error)


def ping_interval(environ: Mapping[str, str]) -> float:
    """A third of systemd's ``WATCHDOG_USEC`` (so two pings may be late), else the default."""
    try:
        microseconds = int(environ.get("WATCHDOG_USEC", ""))
    except ValueError:
        return DEFAULT_PING_SECONDS
    if microseconds <= 0:
        return DEFAULT_PING_SECONDS
    return max(0.5, microseconds / 1_000_000 / 3)
