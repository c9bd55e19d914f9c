"""The one hook Textual gives no public form of: where every handler's error arrives.

In Textual 8.2.8 an exception raised in a message handler, a timer callback, a worker,
or while composing or mounting reaches ``App._handle_exception`` (``message_pump``,
``timer``, ``worker``, ``screen``); Textual's own version prints a traceback and ends
the app, which a visitor must never see. :class:`ErrorHookApp` sends it to
:meth:`ErrorHookApp.unexpected_error` instead, where the kiosk's one recovery path is.

Textual also ends the message loop of whatever raised. A key binding or a button
action runs on the *app's* loop, so :class:`ErrorHookApp` also catches errors around
:meth:`App.run_action` (public API), keeping the app's loop alive; both go to the same
:meth:`unexpected_error`.

Private API used here (pinned by ``tests/compat/test_textual.py``):
``App._handle_exception``, ``App._return_code``, ``App._close_messages_no_wait``; and for
:func:`drop_watchers_of_closed_nodes`, the ``__watchers`` table that ``DOMNode.watch``
fills on the watched object and ``MessagePump._closing``/``_closed``; for :func:`web_driver`,
``App._driver`` (pinned by ``tests/compat/test_textual_serve.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual.actions import ActionParseResult
from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen


class ErrorHookApp(App[None]):
    """An App whose unexpected errors go to :meth:`unexpected_error`, never to a traceback."""

    def unexpected_error(self, error: Exception) -> None:
        """Handle an error that escaped a handler, timer, worker or action (override this)."""
        self.end_after_error()

    def end_after_error(self) -> None:
        """End the app with status 1 and no traceback (when recovering is not possible)."""
        self._return_code = 1
        self._close_messages_no_wait()

    def _handle_exception(self, error: Exception) -> None:
        self.unexpected_error(error)

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Textual's ``run_action``; an error in the action goes to :meth:`unexpected_error`."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as error:
            self.unexpected_error(error)
            return True


__all__ = ["ErrorHookApp", "breakpoint_classes", "drop_watchers_of_closed_nodes", "web_driver"]


def drop_watchers_of_closed_nodes(watched: object) -> int:
    """Forget the watchers that closed (removed) nodes left on ``watched``; return how many.

    ``self.watch(self.app, "language", ...)`` stores the node and its bound method on the
    app, and Textual 8.2.8 drops a closed node's entry only when that reactive next
    changes. A screen shown and removed many times (search, the PIN prompt and its
    emergency bar) therefore stayed alive, with every widget in it, until a visitor
    changed the language or text size: about 1.8 MiB per search visit.
    """
    table = getattr(watched, "__watchers", None)
    if not isinstance(table, dict):
        return 0
    dropped = 0
    for entries in table.values():
        kept = [
            (node, callback)
            for node, callback in entries
            if not (getattr(node, "_closed", False) or getattr(node, "_closing", False))
        ]
        dropped += len(entries) - len(kept)
        entries[:] = kept
    return dropped


def set_breakpoint_classes(screen: Screen[Any], width: int, height: int) -> None:
    """Give ``screen`` the breakpoint classes of ``width`` x ``height`` and drop the others.

    For screens installed once and shown again later (home, card): Textual updates the
    classes of the active screen only, so one that was in the background during a resize
    (every browser session: its warm process starts at 80x24) would be laid out once with
    the old size's classes (a frame of three-row buttons on a 12-row page).
    """
    app = screen.app
    names = {
        name
        for breakpoints in (app.HORIZONTAL_BREAKPOINTS, app.VERTICAL_BREAKPOINTS)
        for _start, name in breakpoints or ()
    }
    wanted = set(breakpoint_classes(app, width, height))
    screen.update_classes({name: name in wanted for name in names})


def breakpoint_classes(app: App[Any], width: int, height: int) -> list[str]:
    """The breakpoint classes Textual gives a screen of ``width`` x ``height`` (8.2.8 rule:
    the largest breakpoint not above the size, per list).

    Given to a screen before it is first shown, so its first layout is already the right
    one: otherwise Textual lays the new screen out once without them and again with them,
    and for that moment a widget is not where it will be (a tap there misses). Pinned by
    ``tests/compat/test_textual.py`` against what Textual sets after a resize.
    """
    found = []
    for breakpoints, cells in (
        (app.HORIZONTAL_BREAKPOINTS, width),
        (app.VERTICAL_BREAKPOINTS, height),
    ):
        fitting = [(start, name) for start, name in breakpoints or () if cells >= start]
        if fitting:
            found.append(max(fitting)[1])
    return found


def web_driver(app: App[Any]) -> Any | None:
    """The running app's Textual ``WebDriver`` when it runs under textual-serve, else ``None``.

    Here rather than in :mod:`kiosk.compat.textual_serve` so that the app, which asks on
    every text-size change from its first mount, never imports textual-serve in a terminal.
    """
    driver = getattr(app, "_driver", None)
    if driver is None or not getattr(driver, "is_web", False):
        return None
    if not callable(getattr(driver, "write_meta", None)):
        return None
    return driver
