"""The hook into Textual's drivers (kiosk/compat/textual_input.py).

The first test fails if a Textual upgrade moves what the hook relies on. The others check
the pipeline (filter, then Textual's parser) on every class of hostile input, its
recovery if the parser raises anyway, and the web driver's answer to its input thread
dying (B3), against Textual's own driver, which leaves the page frozen.
"""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import logging
import random
import sys
from pathlib import Path

import pytest
import textual
from textual import events, messages
from textual.drivers.linux_driver import LinuxDriver
from textual.drivers.web_driver import WebDriver

from kiosk.compat import textual_input
from kiosk.compat.textual_input import (
    HardenedInput,
    HardenedLinuxDriver,
    hardened_driver_class,
)
from kiosk.compat.textual_web_input import HardenedWebDriver

pytestmark = pytest.mark.data

HOSTILE_INPUTS = Path(__file__).resolve().parents[2] / "benchmarks" / "hostile_inputs.py"
TAP = b"\x1b[<0;10;8M\x1b[<0;10;8m"


def load_hostile_inputs():
    spec = importlib.util.spec_from_file_location("kiosk_hostile_inputs", HOSTILE_INPUTS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_what_the_hook_relies_on_is_still_in_textual() -> None:
    """Fails if an upgrade moves a private name the hook uses (see the module docstring)."""
    assert textual.__version__ == "8.2.8", "re-check kiosk/compat/textual_input.py, then this"
    from textual import constants
    from textual._ansi_sequences import ANSI_SEQUENCES_KEYS, IGNORE_SEQUENCE  # noqa: F401
    from textual._keyboard_protocol import FUNCTIONAL_KEYS
    from textual._xterm_parser import XTermParser  # noqa: F401
    from textual.drivers._byte_stream import ByteStream  # noqa: F401
    from textual.drivers.web_driver import _ExitInput  # noqa: F401

    assert FUNCTIONAL_KEYS["27u"] == "escape"
    assert isinstance(constants.DISABLE_KITTY_KEY, bool)
    assert isinstance(constants.ESCAPE_DELAY, float)
    # The drivers' input threads run the method the hook overrides.
    assert "self.run_input_thread()" in inspect.getsource(LinuxDriver._run_input_thread)
    assert "target=self.run_input_thread" in inspect.getsource(WebDriver.__init__)
    # The Linux driver draws on self._file, set from sys.__stderr__, and sizes itself here.
    assert "self._file = sys.__stderr__" in inspect.getsource(LinuxDriver.__init__)
    assert "self._file" in inspect.getsource(LinuxDriver.start_application_mode)
    assert callable(LinuxDriver._get_terminal_size)
    # The web driver's reader and meta handling.
    web_source = inspect.getsource(WebDriver)
    assert "self._input_reader = InputReader()" in web_source
    assert "def _on_meta" in web_source and "raise _ExitInput()" in web_source
    # Both drivers ask the app to end this way.
    assert "_post_message" in inspect.getsource(WebDriver.start_application_mode)


def test_hardened_driver_class_replaces_only_the_two_drivers() -> None:
    from textual.drivers.headless_driver import HeadlessDriver

    assert hardened_driver_class(LinuxDriver) is HardenedLinuxDriver
    assert hardened_driver_class(WebDriver) is HardenedWebDriver
    assert hardened_driver_class(HardenedWebDriver) is HardenedWebDriver
    assert hardened_driver_class(HeadlessDriver) is HeadlessDriver


def test_under_kiosk_serve_make_app_uses_the_hardened_web_driver(bundled_dir) -> None:
    """Textual picks its web driver from TEXTUAL_DRIVER, as textual-serve starts the app;
    the kiosk imports its own hardened one only then. A fresh interpreter, as a session."""
    import os
    import subprocess

    code = (
        "from kiosk.app import make_app; from kiosk.deck import load_deck;"
        "from kiosk.site import Site;"
        f"app = make_app(load_deck({str(bundled_dir)!r}), Site());"
        "print(app.driver_class.__module__, app.driver_class.__name__)"
    )
    env = {**os.environ, "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.split() == ["kiosk.compat.textual_web_input", "HardenedWebDriver"]


def test_make_app_uses_the_hardened_driver(bundled_dir) -> None:
    from kiosk.app import make_app
    from kiosk.deck import load_deck
    from kiosk.site import Site

    app = make_app(load_deck(bundled_dir), Site())
    assert issubclass(app.driver_class, textual_input.InputGuard)


def feed_all(pipeline: HardenedInput, clock: Clock, data: bytes) -> list:
    clock.now += 5.0
    out = pipeline.feed(data)
    clock.now += 5.0
    return out + pipeline.tick()


def test_every_reproduction_and_generated_input_leaves_a_working_parser(caplog) -> None:
    hostile = load_hostile_inputs()
    clock = Clock()
    pipeline = HardenedInput(clock=clock)
    rng = random.Random(20261201)
    inputs = list(hostile.REPRODUCTIONS.values()) + [hostile.hostile(rng)[1] for _ in range(3000)]
    with caplog.at_level(logging.ERROR, logger="kiosk.input"):
        for data in inputs:
            feed_all(pipeline, clock, data)
            tap = feed_all(pipeline, clock, TAP)
            assert [type(m) for m in tap] == [events.MouseDown, events.MouseUp], data
    assert not caplog.records, "the parser raised behind the filter"


@pytest.mark.expected_errors
def test_parser_error_behind_the_filter_is_logged_once_and_a_new_parser_reads_on(
    monkeypatch, caplog
) -> None:
    """Defence in depth: should the filter let something through that the parser cannot
    take, the input thread lives on with a fresh parser."""
    clock = Clock()
    pipeline = HardenedInput(clock=clock)
    monkeypatch.setattr(pipeline._bytes, "feed", lambda data, now: data.decode())
    with caplog.at_level(logging.ERROR, logger="kiosk.input"):
        assert feed_all(pipeline, clock, b"\x1b[5555555~") == []
        assert feed_all(pipeline, clock, b"\x1b[1114112u") == []
    assert len(caplog.records) == 1
    assert [m.key for m in feed_all(pipeline, clock, b"2")] == ["2"]


class FakeApp:
    """What a driver needs of an app: posted messages are recorded."""

    def __init__(self) -> None:
        self.posted: list = []
        self.focused = None
        self.screen = self

    async def _post_message(self, message) -> bool:
        self.posted.append(message)
        return True

    def call_later(self, callback, *args) -> bool:
        asyncio.get_running_loop().call_soon(callback, *args)
        return True


class FailingReader:
    """An input reader that fails: what the thread does next is what matters."""

    timeout = 0.1

    def __iter__(self):
        yield b"D\x00\x00\x00\x012"  # one stdin packet: "2"
        raise RuntimeError("the input reader broke")

    def close(self) -> None:
        pass


@pytest.fixture
def no_stdin_reader(monkeypatch):
    """The web driver's reader registers stdin with epoll, which a test's stdin refuses."""
    import textual.drivers.web_driver as web_driver

    monkeypatch.setattr(web_driver, "InputReader", FailingReader)


async def run_input_thread(driver) -> None:
    await asyncio.get_running_loop().run_in_executor(None, driver.run_input_thread)
    await asyncio.sleep(0.05)


@pytest.mark.skipif(sys.__stdout__ is None, reason="needs a stdout file descriptor")
@pytest.mark.expected_errors
async def test_web_input_thread_death_ends_the_session(caplog, no_stdin_reader) -> None:
    """B3: the page froze for good when the input thread died. Now the app ends, the
    server closes the socket and the page reconnects to a fresh app."""
    app = FakeApp()
    driver = HardenedWebDriver(app)
    driver._input_reader = FailingReader()
    with caplog.at_level(logging.ERROR, logger="kiosk.input"):
        await run_input_thread(driver)
    assert any(isinstance(m, events.Key) and m.key == "2" for m in app.posted)
    assert any(isinstance(m, messages.ExitApp) for m in app.posted)
    assert any("ending the session" in r.getMessage() for r in caplog.records)


@pytest.mark.skipif(sys.__stdout__ is None, reason="needs a stdout file descriptor")
async def test_textual_web_driver_alone_leaves_the_app_without_input(no_stdin_reader) -> None:
    """Upstream behaviour the hook works around (docs/upstream/textual-web-input-thread.md)."""
    app = FakeApp()
    driver = WebDriver(app)
    driver._input_reader = FailingReader()
    await run_input_thread(driver)
    assert not any(isinstance(m, messages.ExitApp) for m in app.posted)


@pytest.mark.skipif(sys.__stdout__ is None, reason="needs a stdout file descriptor")
async def test_web_parser_crash_sequence_does_not_stop_input(no_stdin_reader) -> None:
    """B3 with the red team's sequence: Textual's web driver stopped reading after it."""

    class Reader(FailingReader):
        def __iter__(self):
            for text in (b"\x1b[5555555~", b"2"):
                yield b"D" + len(text).to_bytes(4, "big") + text
                yield b""

    app = FakeApp()
    driver = HardenedWebDriver(app)
    driver._input_reader = Reader()
    await run_input_thread(driver)
    assert [m.key for m in app.posted if isinstance(m, events.Key)] == ["2"]
