"""The warm app process (issue 12, "Browser start"), with a stand-in app.

The stand-in announces itself like a Textual app, draws a "screen" naming its own pid
(long enough to count as a paint), and waits until told to quit.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import signal
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import WSMsgType
from aiohttp.test_utils import TestClient, TestServer

from kiosk.serve import KioskServer, app_command
from kiosk.serve_sessions import MAX_STOPPING

pytestmark = pytest.mark.e2e  # stand-in app processes

PID_APP = r"""
import os, sys
out = sys.stdout.buffer
out.write(b"__GANGLION__\n")
screen = b"pid=%d;" % os.getpid() + b" " * 400
out.write(b"D" + len(screen).to_bytes(4, "big") + screen)
out.flush()
while True:
    chunk = sys.stdin.buffer.read1(4096)
    if not chunk or b'"quit"' in chunk:
        break
"""
PID_COMMAND = "exec " + shlex.join([sys.executable, "-c", PID_APP])


@pytest.fixture
async def make_client() -> AsyncIterator:
    clients: list[TestClient] = []

    async def make(**options: object) -> TestClient:
        server = KioskServer(PID_COMMAND, **options)  # type: ignore[arg-type]
        client = TestClient(TestServer(await server.make_app()))
        await client.start_server()
        client.kiosk_server = server  # type: ignore[attr-defined]
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()


async def wait_until(condition, what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {timeout} s")
        await asyncio.sleep(0.05)


async def session_pid(client: TestClient) -> tuple[object, int]:
    """Open a session as the page does; return it and the pid its screen names."""
    websocket = await client.ws_connect("/ws", origin=str(client.make_url("/")).rstrip("/"))
    message = await asyncio.wait_for(websocket.receive(), timeout=20)
    assert message.type == WSMsgType.BINARY, message
    return websocket, int(message.data.split(b";")[0].split(b"=")[1])


def warm_pid(server: KioskServer) -> int | None:
    warm = server.processes.warm
    process = warm.process if warm is not None else None
    return process.pid if process is not None else None


async def test_the_next_browser_gets_the_process_started_in_advance(make_client) -> None:
    client = await make_client()
    server = client.kiosk_server
    await wait_until(lambda: server.processes.warm_ready, "a warm process")
    ready = warm_pid(server)
    started = time.monotonic()
    websocket, pid = await session_pid(client)
    print(f"screen of the warm process after {1000 * (time.monotonic() - started):.0f} ms")
    assert pid == ready
    health = await (await client.get("/health")).json()
    assert health["warm_handed_over"] == 1 and health["cold_started"] == 0
    # and another is warmed for the browser after that, a fresh process
    await wait_until(lambda: server.processes.warm_ready, "a new warm process")
    assert warm_pid(server) not in (None, pid)
    await websocket.close()


async def test_every_session_gets_a_process_nobody_used_before(make_client) -> None:
    client = await make_client(max_sessions=1)
    server = client.kiosk_server
    seen = []
    for _ in range(4):
        await wait_until(lambda: server.processes.warm_ready, "a warm process")
        websocket, pid = await session_pid(client)
        seen.append(pid)
        await websocket.close()
    assert len(set(seen)) == len(seen), seen


async def test_a_warm_process_that_died_is_replaced(make_client) -> None:
    client = await make_client()
    server = client.kiosk_server
    await wait_until(lambda: server.processes.warm_ready, "a warm process")
    dead = warm_pid(server)
    assert dead is not None
    os.kill(dead, signal.SIGKILL)
    await wait_until(
        lambda: server.processes.warm_ready and warm_pid(server) != dead, "a replacement"
    )
    websocket, pid = await session_pid(client)
    assert pid != dead
    await websocket.close()


async def test_a_warm_process_older_than_a_deck_swap_is_replaced(
    make_client, tmp_path: Path
) -> None:
    for name in ("deck-1", "deck-2"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "deck.toml").write_text(f"# {name}\n", encoding="utf-8")
    current = tmp_path / "current"
    current.symlink_to(tmp_path / "deck-1")
    client = await make_client(watch_paths=[current])
    server = client.kiosk_server
    await wait_until(lambda: server.processes.warm_ready, "a warm process")
    before = warm_pid(server)
    swapped = tmp_path / "current.new"
    swapped.symlink_to(tmp_path / "deck-2")
    swapped.replace(current)  # as `kiosk deck install` swaps the link
    websocket, pid = await session_pid(client)
    assert pid != before, "the browser got a process started with the old deck"
    await websocket.close()


def test_the_app_command_keeps_the_deck_link(tmp_path: Path) -> None:
    (tmp_path / "deck-1").mkdir()
    current = tmp_path / "current"
    current.symlink_to(tmp_path / "deck-1")
    words = shlex.split(app_command(current, None))
    assert words[words.index("--cards") + 1] == str(current)


async def test_the_processes_stay_within_their_limits(make_client) -> None:
    client = await make_client(max_sessions=2)
    server = client.kiosk_server
    limit = 2 + 1 + MAX_STOPPING
    highest = 0

    def children() -> int:
        return server.processes.running

    sockets = []
    for _ in range(12):
        try:
            websocket, _pid = await session_pid(client)
        except Exception:  # busy (503) while processes quit: allowed
            await asyncio.sleep(0.2)
            continue
        sockets.append(websocket)
        highest = max(highest, children())
    for websocket in sockets:
        await websocket.close()
    assert highest <= limit
    await wait_until(lambda: len(server.processes.sessions) == 0, "every session ended")


async def test_no_warm_process_with_warm_zero(make_client) -> None:
    client = await make_client(warm=0)
    await asyncio.sleep(1.5)
    assert client.kiosk_server.processes.running == 0
    websocket, _pid = await session_pid(client)
    health = await (await client.get("/health")).json()
    assert health["cold_started"] == 1 and health["warm_handed_over"] == 0
    await websocket.close()
