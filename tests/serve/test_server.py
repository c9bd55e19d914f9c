"""The pieces of ``kiosk serve``: address check, offline page, lockdown, sessions.

The server tests run :class:`kiosk.serve.KioskServer` in-process on aiohttp's test
server, with a tiny stand-in for the app that speaks textual-serve's packet protocol,
so they need neither a browser nor the real app.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import re
import shlex
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import WSMsgType
from aiohttp.test_utils import TestClient, TestServer

from kiosk import serve
from kiosk.serve import KioskServer, app_command, is_loopback, render_page

EXTERNAL_URL = re.compile(r"(?:https?|wss?)://(?!127\.0\.0\.1[:/]|localhost[:/])[^\s\"'<>]+")

# A stand-in app: announces itself like a Textual app, writes the packets given in
# argv[1] (JSON list of [type, payload]), then waits until told to quit (or, with
# "exit" as argv[2], exits at once as if it had crashed; with "hang", ignores "quit").
FAKE_APP = r"""
import json, sys
out = sys.stdout.buffer
out.write(b"__GANGLION__\n")
for kind, payload in json.loads(sys.argv[1]):
    data = payload.encode()
    out.write(kind.encode() + len(data).to_bytes(4, "big") + data)
out.flush()
if len(sys.argv) > 2 and sys.argv[2] == "exit":
    sys.exit(1)
if len(sys.argv) > 2 and sys.argv[2] == "hang":
    while sys.stdin.buffer.read1(4096):
        pass
while True:
    chunk = sys.stdin.buffer.read1(4096)
    if not chunk or b'"quit"' in chunk:
        break
"""


def fake_app_command(packets: list[tuple[str, str]], then: str = "wait") -> str:
    """Like :func:`kiosk.serve.app_command`: ``exec``, so killing the process kills the app."""
    return "exec " + " ".join(
        shlex.quote(part) for part in [sys.executable, "-c", FAKE_APP, json.dumps(packets), then]
    )


def page_origin(client: TestClient) -> str:
    """The Origin the kiosk page served by ``client``'s server has."""
    return str(client.make_url("/")).rstrip("/")


async def open_session(client: TestClient, path: str = "/ws") -> aiohttp.ClientWebSocketResponse:
    """The app websocket, opened as the kiosk page opens it."""
    return await client.ws_connect(path, origin=page_origin(client))


def serve_args(**overrides: object) -> argparse.Namespace:
    values: dict[str, object] = dict(
        cards=None,
        site=None,
        kiosk=False,
        host="127.0.0.1",
        port=8000,
        font_size=None,
        allow_remote=False,
    )
    values.update(overrides)
    return argparse.Namespace(**values)


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[KioskServer]:
    """Stop ``serve_command`` before it listens; collect the server it built."""
    started: list[KioskServer] = []
    monkeypatch.setattr(KioskServer, "serve", lambda self, debug=False: started.append(self))
    return started


# --- the address -----------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost", "LOCALHOST"])
def test_loopback_addresses_are_recognised(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "kiosk.example", ""])
def test_other_addresses_are_not_loopback(host: str) -> None:
    assert not is_loopback(host)


def test_other_address_is_refused_without_allow_remote(
    served: list[KioskServer], capsys: pytest.CaptureFixture[str]
) -> None:
    assert serve.serve_command(serve_args(host="0.0.0.0")) == 2
    assert served == []
    error = capsys.readouterr().err
    assert "0.0.0.0" in error and "--allow-remote" in error


def test_other_address_with_allow_remote_is_served_with_a_warning(
    served: list[KioskServer], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="kiosk.serve"):
        assert serve.serve_command(serve_args(host="0.0.0.0", allow_remote=True)) == 0
    assert [server.host for server in served] == ["0.0.0.0"]
    assert any("0.0.0.0" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("port", [0, 70000])
def test_impossible_port_is_refused(
    port: int, served: list[KioskServer], capsys: pytest.CaptureFixture[str]
) -> None:
    assert serve.serve_command(serve_args(port=port)) == 2
    assert served == []
    assert "--port" in capsys.readouterr().err


def test_loopback_is_served_by_default(served: list[KioskServer]) -> None:
    assert serve.serve_command(serve_args()) == 0
    assert served[0].host == "127.0.0.1"


# --- what the server runs and shows ------------------------------------------------------


def test_font_size_and_title_come_from_the_site_unless_given(
    served: list[KioskServer], tmp_path: Path
) -> None:
    site = tmp_path / "site.toml"
    site.write_text('name = "Lido Pool"\nfont_size = 30\nkiosk = true\n', encoding="utf-8")
    serve.serve_command(serve_args(site=site))
    serve.serve_command(serve_args(site=site, font_size=40))
    assert [(s.title, s.font_size, s.auto_reconnect) for s in served] == [
        ("Lido Pool", 30, True),
        ("Lido Pool", 40, True),
    ]


def test_kiosk_flag_turns_on_recovery_and_is_passed_to_the_app(served: list[KioskServer]) -> None:
    serve.serve_command(serve_args())
    serve.serve_command(serve_args(kiosk=True))
    assert [s.auto_reconnect for s in served] == [False, True]
    assert "--kiosk" not in shlex.split(served[0].command)
    assert shlex.split(served[1].command)[-1] == "--kiosk"


def test_app_command_runs_this_interpreter_with_absolute_paths(tmp_path: Path) -> None:
    cards = tmp_path / "my cards"
    words = shlex.split(app_command(cards, Path("site.toml"), kiosk=True))
    assert words[:5] == ["exec", sys.executable, "-m", "kiosk", "run"]
    assert words[words.index("--cards") + 1] == str(cards.absolute())
    assert Path(words[words.index("--site") + 1]).is_absolute()


@pytest.mark.parametrize("busy", [False, True])
def test_page_refers_to_nothing_off_the_machine_and_has_no_links(busy: bool) -> None:
    html = render_page(
        title="Pool",
        font_size=24,
        auto_reconnect=True,
        busy=busy,
        nonce="abc",
    )
    assert EXTERNAL_URL.findall(html) == []
    assert "<a " not in html.lower()
    loaded = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert loaded and all(url.startswith(("/", "data:")) for url in loaded), loaded


def test_the_external_url_check_can_fail() -> None:
    page = '<link href="https://fonts.googleapis.com/css?family=Roboto"> ws://127.0.0.1:1/ws'
    assert EXTERNAL_URL.findall(page) == ["https://fonts.googleapis.com/css?family=Roboto"]


def test_page_title_is_the_site_name_escaped() -> None:
    html = render_page(
        title="Pool <b>&</b>",
        font_size=24,
        auto_reconnect=False,
    )
    assert "<title>Pool &lt;b&gt;&amp;&lt;/b&gt;</title>" in html


# --- the running server ------------------------------------------------------------------


@pytest.fixture
async def make_client() -> AsyncIterator:
    clients: list[TestClient] = []

    async def make(command: str = "true", **options: object) -> TestClient:
        server = KioskServer(command, title="Lido Pool", font_size=28, **options)
        client = TestClient(TestServer(await server.make_app()))
        await client.start_server()
        client.kiosk_server = server  # type: ignore[attr-defined]
        clients.append(client)
        return client

    yield make
    for client in clients:
        for _ in range(100):  # let sessions end and their app processes be reaped
            if not client.kiosk_server.sessions:
                break
            await asyncio.sleep(0.05)
        await client.close()


async def test_index_is_the_offline_page_with_a_strict_policy(make_client) -> None:
    client = await make_client()
    response = await client.get("/")
    html = await response.text()
    assert response.status == 200
    assert "<title>Lido Pool</title>" in html
    assert 'data-font-size="28"' in html
    assert EXTERNAL_URL.findall(html) == []
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "connect-src 'self';" in policy


@pytest.mark.parametrize(("query", "size"), [("?fontsize=40", 40), ("?fontsize=9999", 96)])
async def test_font_size_can_be_set_in_the_address(make_client, query: str, size: int) -> None:
    client = await make_client()
    html = await (await client.get("/" + query)).text()
    assert f'data-font-size="{size}"' in html


async def test_every_file_the_page_loads_is_served(make_client) -> None:
    client = await make_client()
    html = await (await client.get("/")).text()
    for url in re.findall(r'(?:href|src)="(/[^"]*)"', html) + [
        "/static/fonts/RobotoMono-VariableFont_wght.ttf"
    ]:
        assert (await client.get(url)).status == 200, url
    script = await (await client.get(serve.PATCHED_JS_PATH)).text()
    assert "window.textualSession=t;" in script


async def test_plain_request_for_the_websocket_starts_no_app(make_client) -> None:
    client = await make_client()
    assert (await client.get("/ws")).status == 400
    assert not client.kiosk_server.sessions


async def test_there_is_no_download_route(make_client) -> None:
    client = await make_client()
    assert (await client.get("/download/anything")).status == 404


async def test_open_url_and_downloads_never_reach_the_browser(make_client) -> None:
    packets = [
        ("M", json.dumps({"type": "open_url", "url": "https://example.org/", "new_tab": True})),
        (
            "M",
            json.dumps(
                {
                    "type": "deliver_file_start",
                    "key": "k1",
                    "path": "/etc/passwd",
                    "open_method": "download",
                    "mime_type": "text/plain",
                    "encoding": "utf-8",
                }
            ),
        ),
        ("D", "screen"),
    ]
    client = await make_client(fake_app_command(packets))
    websocket = await open_session(client, "/ws?width=80&height=24")
    received = []
    while True:
        message = await asyncio.wait_for(websocket.receive(), timeout=10)
        received.append(message)
        if message.type == WSMsgType.BINARY:
            break
    await websocket.close()
    assert received[-1].data == b"screen"
    assert all(message.type == WSMsgType.BINARY for message in received)


async def test_session_closes_when_the_app_process_ends(make_client) -> None:
    client = await make_client(fake_app_command([("D", "hello")], then="exit"))
    websocket = await open_session(client)
    kinds = []
    while not websocket.closed:
        kinds.append((await asyncio.wait_for(websocket.receive(), timeout=10)).type)
    assert WSMsgType.CLOSE in kinds or WSMsgType.CLOSED in kinds


async def test_a_session_beyond_the_limit_takes_the_place_of_the_stalest(make_client) -> None:
    client = await make_client(fake_app_command([("D", "hello")]), max_sessions=1, warm=0)
    first = await open_session(client)
    await asyncio.wait_for(first.receive(), timeout=10)

    page = await client.get("/")
    assert page.status == 200
    assert serve.PATCHED_JS_PATH in await page.text()
    second = await open_session(client)
    assert (await asyncio.wait_for(second.receive(), timeout=10)).data == b"hello"
    closing = await asyncio.wait_for(first.receive(), timeout=10)
    assert closing.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING)
    assert len(client.kiosk_server.sessions) == 1
    await second.close()


async def wait_until_no_sessions(server: KioskServer, seconds: float = 20) -> None:
    """Until no session is open and no app process is still quitting."""
    for _ in range(int(seconds / 0.05)):
        if not server.sessions and not server.processes.stopping:
            return
        await asyncio.sleep(0.05)


async def test_a_browser_that_vanishes_frees_its_session(
    make_client, caplog: pytest.LogCaptureFixture
) -> None:
    client = await make_client(fake_app_command([("D", "hello")], then="hang"))
    async with aiohttp.ClientSession() as browser:
        websocket = await browser.ws_connect(client.make_url("/ws"), origin=page_origin(client))
        await asyncio.wait_for(websocket.receive(), timeout=10)
    # The browser is gone without a goodbye and the app ignores "quit": the app is
    # killed and the session slot given back.
    with caplog.at_level(logging.WARNING, logger="kiosk.serve"):
        await wait_until_no_sessions(client.kiosk_server)
    assert not client.kiosk_server.sessions
    assert any("killing it" in record.getMessage() for record in caplog.records)
