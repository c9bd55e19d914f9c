"""One test per private member of textual-serve, textual.js, asyncio and Textual that
``kiosk/compat/textual_serve.py`` relies on: each fails if an upgrade moves it."""

from __future__ import annotations

import asyncio
import inspect
import json
import shlex
import sys
from pathlib import Path

import pytest
from textual.app import App
from textual.drivers.web_driver import WebDriver
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from kiosk.compat.textual_serve import (
    SESSION_MEMBERS,
    TEXTUAL_SERVE_STATIC_DIR,
    AppServiceBase,
    close_process_pipes,
    expose_terminal_session,
    web_driver,
)
from kiosk.web_bridge import FONT_SCALE_META, request_font_scale, request_text_size

pytestmark = pytest.mark.data

TEXTUAL_JS = TEXTUAL_SERVE_STATIC_DIR / "js" / "textual.js"


def test_textual_js_is_where_the_server_serves_it_from() -> None:
    assert TEXTUAL_JS.is_file()
    assert (TEXTUAL_SERVE_STATIC_DIR / "css" / "xterm.css").is_file()
    assert (TEXTUAL_SERVE_STATIC_DIR / "fonts" / "RobotoMono-VariableFont_wght.ttf").is_file()


def test_the_session_edit_applies_to_the_bundled_textual_js() -> None:
    patched = expose_terminal_session(TEXTUAL_JS.read_text(encoding="utf-8"))
    assert patched is not None, "textual.js changed: the page cannot reach its session"
    assert patched.count("window.textualSession=t;") == 1


def test_the_session_edit_refuses_an_unknown_script() -> None:
    assert expose_terminal_session("console.log('another script')") is None


@pytest.mark.parametrize("member", sorted(SESSION_MEMBERS))
def test_textual_js_defines_each_session_member_the_page_uses(member: str) -> None:
    assert SESSION_MEMBERS[member] in TEXTUAL_JS.read_text(encoding="utf-8"), member


def test_textual_js_ignores_message_types_it_does_not_know() -> None:
    """The font-scale message reaches the page's own listener; textual.js must skip it."""
    source = TEXTUAL_JS.read_text(encoding="utf-8")
    assert 'switch(i){case"log":' in source
    assert FONT_SCALE_META not in source


def test_app_service_still_builds_the_environment_through_the_overridden_method() -> None:
    assert "width" in inspect.signature(AppService._build_environment).parameters
    assert "_build_environment(" in inspect.getsource(AppService._open_app_process)


async def test_extra_environment_process_and_reader_reach_the_app_process() -> None:
    app = (
        "import os, sys\n"
        "sys.stdout.write('__GANGLION__\\n')\n"
        "data = os.environ['KIOSK_COMPAT_PROBE'].encode()\n"
        "sys.stdout.buffer.write(b'D' + len(data).to_bytes(4, 'big') + data)\n"
    )
    received: list[bytes] = []

    class Probe(AppServiceBase):
        def extra_environment(self) -> dict[str, str]:
            return {"KIOSK_COMPAT_PROBE": "reached"}

        async def on_data(self, payload: bytes) -> None:
            received.append(payload)

    async def ignore(*_: object) -> None:
        return None

    service = Probe(
        "exec " + shlex.join([sys.executable, "-c", app]),
        write_bytes=ignore,
        write_str=ignore,
        close=ignore,
        download_manager=DownloadManager(),
    )
    assert service.process is None and service.reader is None
    await service.start(80, 24)
    assert isinstance(service.process, asyncio.subprocess.Process)
    assert isinstance(service.reader, asyncio.Task)
    await asyncio.wait_for(service.reader, timeout=20)
    assert received == [b"reached"]
    process = service.process
    await process.wait()
    assert hasattr(process, "_transport"), "asyncio's Process lost _transport"
    close_process_pipes(process)
    assert process._transport.is_closing()  # type: ignore[attr-defined]


def test_textual_app_keeps_its_driver_in_driver() -> None:
    assert App()._driver is None  # the attribute web_driver() reads


def test_web_driver_is_none_outside_a_browser() -> None:
    assert web_driver(App()) is None


async def test_web_driver_is_none_under_the_test_driver() -> None:
    app = App()
    async with app.run_test():
        assert app._driver is not None
        assert web_driver(app) is None
        assert request_font_scale(app, 1.5) is False


def test_request_font_scale_writes_a_meta_packet_through_textual_web_driver() -> None:
    app = App()
    # Textual's own WebDriver.write_meta and is_web, without its input thread on stdin.
    driver = object.__new__(WebDriver)
    written: list[bytes] = []
    driver._write = written.append  # type: ignore[attr-defined]
    app._driver = driver
    assert web_driver(app) is driver
    assert request_text_size(app, "extra-large") is True
    assert request_font_scale(app, 99) is True
    packets = []
    for packet in written:
        assert packet[:1] == b"M"
        size = int.from_bytes(packet[1:5], "big")
        packets.append(json.loads(packet[5 : 5 + size]))
    assert packets == [
        {"type": FONT_SCALE_META, "scale": 1.5},
        {"type": FONT_SCALE_META, "scale": 3.0},
    ]


def test_request_font_scale_ignores_what_is_not_a_number() -> None:
    assert request_font_scale(App(), float("nan")) is False
    assert request_font_scale(App(), "big") is False  # type: ignore[arg-type]


def test_compat_module_is_the_only_place_the_server_touches_private_members() -> None:
    """kiosk/serve*.py and web_bridge.py reach no ``_name`` of textual-serve or Textual."""
    root = Path(__file__).resolve().parents[2] / "kiosk"
    for name in ("serve.py", "serve_sessions.py", "serve_guard.py", "web_bridge.py"):
        source = (root / name).read_text(encoding="utf-8")
        for private in ("._process", "._task", "._driver", "._transport", "_build_environment"):
            assert f"{private}\n" not in source and f"{private})" not in source, (name, private)
            assert f"{private} " not in source and f"{private}." not in source, (name, private)
