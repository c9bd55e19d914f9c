"""Pins the private Textual API kiosk/compat/textual.py relies on (Textual 8.2.8).

If an upgrade renames ``App._handle_exception``, stops routing handler and timer errors
through it, or changes how breakpoint classes are chosen, these fail.
"""

from __future__ import annotations

import asyncio
import inspect

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from kiosk.compat.textual import ErrorHookApp, breakpoint_classes

pytestmark = pytest.mark.ui


def raise_in_a_handler() -> None:
    raise RuntimeError("in a handler")


class Probe(ErrorHookApp):
    HORIZONTAL_BREAKPOINTS = [(0, "-w0"), (48, "-w48"), (80, "-w80")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]

    def __init__(self) -> None:
        super().__init__()
        self.errors: list[Exception] = []

    def compose(self) -> ComposeResult:
        yield Static("boom", id="boom")

    def unexpected_error(self, error: Exception) -> None:
        self.errors.append(error)

    def action_explode(self) -> None:
        raise RuntimeError("in an action")


def test_the_private_names_exist() -> None:
    assert callable(App._handle_exception)
    assert callable(App._close_messages_no_wait)
    assert "_return_code" in inspect.getsource(App.__init__)
    assert list(inspect.signature(App.run_action).parameters)[1:] == [
        "action",
        "default_namespace",
        "namespaces",
    ]


async def test_handler_timer_and_action_errors_reach_the_hook() -> None:
    app = Probe()
    async with app.run_test(size=(80, 24)) as pilot:
        app.set_timer(0.01, lambda: 1 / 0)
        await pilot.pause(0.1)
        await app.run_action("app.explode")
        # Last: a widget whose handler raised stops processing messages (the kiosk
        # rebuilds its screens then), so nothing may wait for this one afterwards.
        app.query_one("#boom").call_later(raise_in_a_handler)
        await asyncio.sleep(0.3)
        assert app.is_running, "the app keeps running: the hook decides"
    messages = sorted(type(e).__name__ + str(e) for e in app.errors)
    assert messages == [
        "RuntimeErrorin a handler",
        "RuntimeErrorin an action",
        "ZeroDivisionErrordivision by zero",
    ]


async def test_breakpoint_classes_match_what_textual_sets() -> None:
    app = Probe()
    async with app.run_test(size=(80, 24)) as pilot:
        for size in ((40, 15), (50, 20), (100, 30), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            shown = {c for c in app.screen.classes if c.startswith(("-w", "-short", "-tall"))}
            assert shown == set(breakpoint_classes(app, *size)), size


class WatchingScreenProbe(App[None]):
    """An app whose pushed-and-popped screens watch one of the app's reactives."""

    from textual.reactive import reactive

    size_name = reactive("normal")


async def test_a_removed_screen_leaves_its_watcher_on_the_app_until_dropped() -> None:
    """Pins where ``DOMNode.watch`` keeps a watcher (``__watchers`` on the watched object,
    ``(node, callback)`` pairs) and that Textual 8.2.8 keeps a removed node's entry until
    the reactive changes: the leak :func:`drop_watchers_of_closed_nodes` stops."""
    import gc

    from textual.screen import Screen

    from kiosk.compat.textual import drop_watchers_of_closed_nodes

    class Watching(Screen[None]):
        def on_mount(self) -> None:
            self.watch(self.app, "size_name", self.noted)

        def noted(self, value: str) -> None:
            pass

    app = WatchingScreenProbe()
    async with app.run_test() as pilot:
        for _ in range(3):
            await app.push_screen(Watching())
            await app.pop_screen()
            await pilot.pause()
        entries = getattr(app, "__watchers")["size_name"]
        assert len(entries) == 3 and all(isinstance(n, Watching) for n, _ in entries)
        assert all(node._closed for node, _ in entries)
        assert drop_watchers_of_closed_nodes(app) == 3
        assert getattr(app, "__watchers")["size_name"] == []
        gc.collect()
        assert not [o for o in gc.get_objects() if isinstance(o, Watching)]
