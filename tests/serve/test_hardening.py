"""Red-team findings B1, B2 (the server's side), B4, B6 and B7 (``shared/reviews/redteam.md``, 2).

In-process: :class:`kiosk.serve.KioskServer` on aiohttp's test server, or listening for
real on a free loopback port (:meth:`KioskServer.start`), with a stand-in app that
echoes what it is sent, so the tests see what reaches the app.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shlex
import socket
import sys
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import WSMsgType, WSServerHandshakeError
from aiohttp.test_utils import TestClient, TestServer

from kiosk.serve import COLUMNS_RANGE, ROWS_RANGE, KioskServer
from kiosk.serve_guard import MAX_STDIN_CHARS, HostPolicy, parse_envelope, split_host

pytestmark = pytest.mark.e2e  # stand-in app processes

# Announces itself like a Textual app, writes one screen, then echoes every packet it
# is sent back as screen data, until its stdin closes.
ECHO_APP = r"""
import sys
out = sys.stdout.buffer
out.write(b"__GANGLION__\n")
screen = b"screen"
out.write(b"D" + len(screen).to_bytes(4, "big") + screen)
out.flush()
while True:
    chunk = sys.stdin.buffer.read1(65536)
    if not chunk or b'"quit"' in chunk:
        break
    out.write(b"D" + len(chunk).to_bytes(4, "big") + chunk)
    out.flush()
"""
ECHO_COMMAND = "exec " + shlex.join([sys.executable, "-c", ECHO_APP])


@pytest.fixture
async def make_client() -> AsyncIterator:
    clients: list[TestClient] = []

    async def make(**options: object) -> TestClient:
        options.setdefault("warm", 0)
        server = KioskServer(ECHO_COMMAND, title="Lido Pool", **options)  # type: ignore[arg-type]
        client = TestClient(TestServer(await server.make_app()))
        await client.start_server()
        client.kiosk_server = server  # type: ignore[attr-defined]
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()


def origin_of(client: TestClient) -> str:
    return str(client.make_url("/")).rstrip("/")


async def receive_until(websocket, predicate, timeout: float = 10) -> list:
    """Messages until one satisfies ``predicate``; fails the test at the deadline."""
    received = []
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            pytest.fail(f"nothing matching arrived within {timeout} s: {received}")
        message = await asyncio.wait_for(websocket.receive(), timeout=left)
        received.append(message)
        if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.ERROR):
            pytest.fail(f"the session closed: {received}")
        if predicate(message):
            return received


# --- B1: Origin and Host ------------------------------------------------------------------


@pytest.mark.parametrize(
    "origin", ["http://evil.example", "null", "http://127.0.0.1:1", "https://127.0.0.1"]
)
async def test_b1_a_websocket_from_another_page_is_refused_and_starts_no_app(
    make_client, origin: str
) -> None:
    client = await make_client()
    with pytest.raises(WSServerHandshakeError) as refused:
        await client.ws_connect("/ws", origin=origin)
    assert refused.value.status == 403
    assert not client.kiosk_server.sessions
    assert client.kiosk_server.processes.running == 0


async def test_b1_a_websocket_with_no_origin_is_refused(make_client) -> None:
    client = await make_client()
    with pytest.raises(WSServerHandshakeError) as refused:
        await client.ws_connect("/ws")
    assert refused.value.status == 403


@pytest.mark.parametrize("path", ["/", "/ws", "/health", "/static/css/xterm.css"])
@pytest.mark.parametrize("host", ["evil.example:{port}", "127.0.0.1:1", "localhost.:{port}", ""])
async def test_b1_a_request_for_another_host_is_refused(make_client, path: str, host: str) -> None:
    client = await make_client()
    headers = {"Host": host.format(port=client.port)}
    if path == "/ws":
        headers.update(
            Origin=f"http://{headers['Host']}", Connection="Upgrade", Upgrade="websocket"
        )
    response = await client.get(path, headers=headers)
    assert response.status == 421
    assert not client.kiosk_server.sessions


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}"])
async def test_b1_the_kiosk_own_names_are_served(make_client, host: str) -> None:
    client = await make_client()
    response = await client.get("/", headers={"Host": host.format(port=client.port)})
    assert response.status == 200


async def test_b1_refusals_are_logged_at_most_once_a_minute(
    make_client, caplog: pytest.LogCaptureFixture
) -> None:
    client = await make_client()
    with caplog.at_level(logging.INFO, logger="kiosk.serve"):
        for _ in range(30):
            with pytest.raises(WSServerHandshakeError):
                await client.ws_connect("/ws", origin="http://evil.example")
            await client.get("/", headers={"Host": "evil.example"})
    refusals = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 2, [r.getMessage() for r in refusals]  # one per kind


async def test_b1_two_squatting_websockets_do_not_keep_the_kiosk_page_out(make_client) -> None:
    client = await make_client(max_sessions=2)
    squatters = [await client.ws_connect("/ws", origin=origin_of(client)) for _ in range(2)]
    for squatter in squatters:
        await receive_until(squatter, lambda m: m.type == WSMsgType.BINARY)

    page = await client.get("/")
    assert page.status == 200, "the kiosk page got the busy page"
    kiosk = await client.ws_connect("/ws", origin=origin_of(client))
    await receive_until(kiosk, lambda m: m.data == b"screen")
    await kiosk.send_str(json.dumps(["stdin", "2"]))
    await receive_until(kiosk, lambda m: m.type == WSMsgType.BINARY and b"2" in m.data)
    closed = [await closes_within(squatter, 3) for squatter in squatters]
    assert closed == [True, False], "the stalest squatter was not the one to go"
    await kiosk.close()


async def closes_within(websocket, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            message = await asyncio.wait_for(websocket.receive(), timeout=left)
        except asyncio.TimeoutError:
            return False
        if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING):
            return True
    return False


def test_b1_host_policy() -> None:
    loopback = HostPolicy("127.0.0.1")
    assert loopback.allows_host("127.0.0.1:8000", 8000)
    assert loopback.allows_host("LOCALHOST:8000", 8000)
    assert loopback.allows_host("[::1]:8000", 8000)
    assert not loopback.allows_host("127.0.0.1:8001", 8000)
    assert not loopback.allows_host("kiosk.example:8000", 8000)
    assert not loopback.allows_host("192.168.1.5:8000", 8000)
    assert not loopback.allows_host(None, 8000)
    wildcard = HostPolicy("0.0.0.0")
    assert wildcard.allows_host("192.168.1.5:8000", 8000)
    assert not wildcard.allows_host("rebound.example:8000", 8000)
    assert HostPolicy.allows_origin("http://127.0.0.1:8000", "127.0.0.1:8000")
    assert not HostPolicy.allows_origin("http://127.0.0.1:8000", "localhost:8000")
    assert split_host("[::1]") == ("::1", 80)
    assert split_host("a b:80") is None
    assert split_host("host:") is None
    assert split_host("host:99999999") is None


# --- B6: nothing from the request in a response ---------------------------------------------


async def test_b6_no_request_header_is_copied_into_the_page_or_its_headers(make_client) -> None:
    client = await make_client()
    marker = "localhost"  # an allowed name that nothing else in the page contains
    response = await client.get("/", headers={"Host": f"{marker}:{client.port}"})
    assert response.status == 200
    body = await response.text()
    assert marker not in body
    assert all(marker not in value for value in response.headers.values())
    assert str(client.port) not in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "host", ["a; script-src *; connect-src *", '"><script>alert(1)</script>', "x\tinjected"]
)
async def test_b6_a_hostile_host_is_refused_without_an_echo(make_client, host: str) -> None:
    client = await make_client()
    response = await client.get("/", headers={"Host": host})
    assert response.status == 421
    body = await response.text()
    assert "script" not in body and "injected" not in body
    assert all("script" not in value for value in response.headers.values())


# --- B7: bounded messages ---------------------------------------------------------------------


async def test_b7_a_deeply_nested_message_is_ignored_and_the_session_lives_on(make_client) -> None:
    client = await make_client()
    websocket = await client.ws_connect("/ws", origin=origin_of(client))
    await receive_until(websocket, lambda m: m.data == b"screen")
    await websocket.send_str("[" * 30_000)
    await websocket.send_str('["stdin", "' + "{" * 500 + '"]')  # nesting inside a string is text
    await websocket.send_str(json.dumps(["ping", "still-here"]))
    await receive_until(websocket, lambda m: m.type == WSMsgType.TEXT and "still-here" in m.data)
    await websocket.close()


async def test_b7_an_oversized_message_never_reaches_the_app(make_client) -> None:
    client = await make_client()
    websocket = await client.ws_connect("/ws", origin=origin_of(client))
    await receive_until(websocket, lambda m: m.data == b"screen")
    await websocket.send_str(json.dumps(["stdin", "+" * (MAX_STDIN_CHARS + 1)]))
    await websocket.send_str(json.dumps(["stdin", "after"]))
    received = await receive_until(websocket, lambda m: b"after" in (m.data or b""))
    assert not any(b"+++" in (m.data or b"") for m in received)
    await websocket.close()


def test_b7_parse_envelope() -> None:
    assert parse_envelope('["stdin", "\\u001b[<0;1;2M"]') == ("stdin", "\x1b[<0;1;2M")
    assert parse_envelope('["resize", {"width": 80, "height": 24}]') == (
        "resize",
        {"width": 80, "height": 24},
    )
    assert parse_envelope('["focus"]') == ("focus", None)
    assert parse_envelope("[" * 100_000) is None
    assert parse_envelope('[[[["x"]]]]') is None
    assert parse_envelope('{"a": 1}') is None
    assert parse_envelope("[1]") is None
    assert parse_envelope("not json") is None
    assert parse_envelope('["stdin", "' + "[" * 5000 + '"]') == ("stdin", "[" * 5000)


# --- B2, the server's side: the resizes it passes on ------------------------------------------


async def test_b2_resizes_are_clamped_and_coalesced(make_client) -> None:
    client = await make_client()
    websocket = await client.ws_connect("/ws", origin=origin_of(client))
    await receive_until(websocket, lambda m: m.data == b"screen")
    for size in range(100):
        await websocket.send_str(json.dumps(["resize", {"width": 3000 + size, "height": 3000}]))
    await websocket.send_str(json.dumps(["resize", {"width": 3000, "height": 3000}]))
    received = await receive_until(websocket, lambda m: b'"width": 400' in (m.data or b""))
    echoed = b"".join(m.data for m in received if m.type == WSMsgType.BINARY)
    assert f'"width": {COLUMNS_RANGE[1]}, "height": {ROWS_RANGE[1]}'.encode() in echoed
    await asyncio.sleep(0.5)
    await websocket.send_str(json.dumps(["ping", "end"]))
    received += await receive_until(websocket, lambda m: m.type == WSMsgType.TEXT)
    resizes = b"".join(m.data for m in received if m.type == WSMsgType.BINARY).count(b'"resize"')
    assert resizes <= 3, f"{resizes} resizes reached the app for one size"
    await websocket.close()


# --- B4: half-open connections ------------------------------------------------------------------


@pytest.fixture
async def listening() -> AsyncIterator:
    servers: list[KioskServer] = []

    async def start(**options: object) -> KioskServer:
        options.setdefault("warm", 0)
        server = KioskServer(ECHO_COMMAND, port=0, **options)  # type: ignore[arg-type]
        await server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        await server.stop()


def half_open(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
    sock.setblocking(False)
    return sock


def closed_by_server(sock: socket.socket) -> bool:
    try:
        return sock.recv(4096) == b""
    except BlockingIOError:
        return False
    except ConnectionResetError:
        return True


async def get_health(port: int) -> int:
    async with aiohttp.ClientSession() as session:  # noqa: SIM117 (Python 3.9)
        async with session.get(
            f"http://127.0.0.1:{port}/health", timeout=aiohttp.ClientTimeout(5)
        ) as response:
            return response.status


async def test_b4_a_half_open_connection_is_closed_after_the_idle_timeout(listening) -> None:
    """aiohttp's keep-alive deadline or the guard's sweep, whichever comes first, closes it."""
    server = await listening(idle_timeout=1.0)
    sock = half_open(server.port)
    try:
        deadline = time.monotonic() + 10
        while not closed_by_server(sock):
            assert time.monotonic() < deadline, "the half-open connection was never closed"
            await asyncio.sleep(0.1)
    finally:
        sock.close()


async def test_b4_at_the_connection_cap_the_stalest_idle_connection_makes_room(listening) -> None:
    server = await listening(max_connections=16)
    socks = []
    try:
        for _ in range(60):
            socks.append(half_open(server.port))
            await asyncio.sleep(0.002)
        await asyncio.sleep(0.2)
        assert server.guard.open_connections <= 16
        assert await get_health(server.port) == 200
        assert server.guard.evicted >= 40
        assert sum(closed_by_server(s) for s in socks[:20]) == 20, "the oldest were not the ones"
    finally:
        for sock in socks:
            sock.close()


class FakeTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.aborted = False

    def is_closing(self) -> bool:
        return self.aborted

    def abort(self) -> None:
        self.aborted = True


class FakeConnection(asyncio.Protocol):
    def __init__(self) -> None:
        self.transport = FakeTransport()


async def test_b4_the_guard_times_out_idle_connections_and_spares_busy_ones() -> None:
    from types import SimpleNamespace

    from kiosk.serve_guard import ConnectionGuard

    now = [0.0]
    guard = ConnectionGuard(
        FakeConnection, max_connections=3, idle_timeout=10, clock=lambda: now[0]
    )
    idle, busy = guard.protocol_factory(), guard.protocol_factory()
    release = asyncio.Event()

    async def long_request(request: object) -> None:
        await release.wait()

    request = asyncio.ensure_future(guard.middleware(SimpleNamespace(protocol=busy), long_request))
    await asyncio.sleep(0)
    now[0] = 11.0
    assert guard.sweep() == 1
    assert idle.transport.aborted and not busy.transport.aborted
    # at the cap, the connection idle longest makes room; one with a request never does
    now[0] = 12.0
    first = guard.protocol_factory()
    now[0] = 13.0
    guard.protocol_factory()
    guard.protocol_factory()
    assert first.transport.aborted and not busy.transport.aborted
    assert guard.open_connections == 3
    release.set()
    await request
