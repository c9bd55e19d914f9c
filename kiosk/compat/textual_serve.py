"""textual-serve 1.1.3 (and Textual's web driver) internals that ``kiosk serve`` relies on.

Every private member of textual-serve, of its bundled ``textual.js`` and of Textual's
``WebDriver`` that the kiosk touches is reached through this module, so an upgrade
breaks in one place, and ``tests/compat/test_textual_serve.py`` says which member moved:

- :class:`AppServiceBase`: overrides ``AppService._build_environment`` (the app
  process's environment) and reads ``AppService._process`` and ``AppService._task``.
- :func:`expose_terminal_session`: one edit to the minified ``textual.js`` that puts its
  terminal session object on ``window.textualSession``; the page then uses the
  session's members listed in :data:`SESSION_MEMBERS`.
- :func:`close_process_pipes`: asyncio's ``Process._transport`` (to close the pipes
  of a killed app now, not when the loop is gone).
- :func:`web_driver`: ``App._driver``, for :func:`kiosk.web_bridge.request_font_scale`
  (defined in :mod:`kiosk.compat.textual`, so the app's start does not import
  textual-serve; re-exported here).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import textual_serve
from textual_serve.app_service import AppService

from kiosk.compat.textual import web_driver

TEXTUAL_SERVE_STATIC_DIR = Path(textual_serve.__file__).resolve().parent / "static"
"""textual-serve's bundled JS, CSS and font, served by ``kiosk serve`` under ``/static``."""

_JS_SESSION_ORIGINAL = "const t=new w(e,{ping:r});"
_JS_SESSION_PATCHED = "const t=new w(e,{ping:r});window.textualSession=t;"

SESSION_MEMBERS: dict[str, str] = {
    "terminal": "this.terminal=new v.Terminal(",
    "socket": "this.socket=new WebSocket(",
    "fit": "fit(){this.fitAddon.fit(",
    "weblinksAddon": "this.weblinksAddon=new S.WebLinksAddon",
    "websocket_url": "this.websocket_url=e.dataset.sessionWebsocketUrl",
}
"""The members of textual.js's session object that ``kiosk/web/page.html`` uses, each with
the text of ``textual.js`` that defines it (checked by the compat test)."""


def expose_terminal_session(source: str) -> str | None:
    """``textual.js`` with its session object exposed as ``window.textualSession``.

    ``None`` if the script is not the one this edit was written for (textual-serve
    upgraded); the caller then serves it unedited and logs why.
    """
    if source.count(_JS_SESSION_ORIGINAL) != 1:
        return None
    return source.replace(_JS_SESSION_ORIGINAL, _JS_SESSION_PATCHED)


class AppServiceBase(AppService):
    """textual-serve's ``AppService`` with public hooks for the internals the kiosk needs."""

    def extra_environment(self) -> dict[str, str]:
        """Variables added to the app process's environment; override in a subclass."""
        return {}

    def removed_environment(self) -> tuple[str, ...]:
        """Variables removed from the app process's environment; override in a subclass."""
        return ()

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        environment.update(self.extra_environment())
        for name in self.removed_environment():
            environment.pop(name, None)
        return environment

    @property
    def process(self) -> asyncio.subprocess.Process | None:
        """The app process, once started (``AppService._process``)."""
        return self._process

    @property
    def reader(self) -> asyncio.Task[None] | None:
        """The task that reads the app's output; it ends when the app process ends
        (``AppService._task``)."""
        return self._task


def close_process_pipes(process: asyncio.subprocess.Process) -> None:
    """Close a finished process's pipes now, so nothing is left for a closed loop to clean up."""
    transport = getattr(process, "_transport", None)
    if transport is not None:
        transport.close()


__all__ = [
    "SESSION_MEMBERS",
    "TEXTUAL_SERVE_STATIC_DIR",
    "AppServiceBase",
    "close_process_pipes",
    "expose_terminal_session",
    "web_driver",
]
