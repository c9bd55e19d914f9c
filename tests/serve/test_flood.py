"""Red-team B4: 1,100 half-open connections against ``kiosk serve`` with 1,024 descriptors.

The server runs as a subprocess under ``RLIMIT_NOFILE`` 1024:1024 (systemd's default
soft limit; the red team's ``prlimit``). Before the fix, ``/health`` timed out while the
connections were held and the log grew by 103 MB in 40 s.
"""

from __future__ import annotations

import contextlib
import os
import resource
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO_ROOT = Path(__file__).resolve().parents[2]
CONNECTIONS = 1100
FD_LIMIT = 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def health(port: int, timeout: float = 3) -> int | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=timeout) as r:
            return r.status
    except OSError:
        return None


def limit_descriptors() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (FD_LIMIT, FD_LIMIT))


def test_b4_half_open_flood_leaves_the_server_reachable_and_the_log_small(tmp_path: Path) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < CONNECTIONS + 200:
        pytest.skip(f"this test opens {CONNECTIONS} sockets; the hard limit is {hard}")
    if soft != resource.RLIM_INFINITY and soft < CONNECTIONS + 200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (CONNECTIONS + 200, hard))
    port = free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "serve", "--port", str(port), "--warm", "0"],
            cwd=REPO_ROOT,
            env=dict(os.environ, PYTHONPATH=str(REPO_ROOT)),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            preexec_fn=limit_descriptors,
        )
    socks: list[socket.socket] = []
    try:
        deadline = time.monotonic() + 30
        while health(port) != 200:
            assert server.poll() is None, log_path.read_text()[-2000:]
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)

        for _ in range(CONNECTIONS):
            try:
                sock = socket.create_connection(("127.0.0.1", port), timeout=2)
                sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            except OSError:
                continue
            socks.append(sock)
        # While they are all held (a slowloris adds a header line now and then):
        answered = []
        for _ in range(4):
            for sock in socks[-50:]:
                with contextlib.suppress(OSError):
                    sock.sendall(b"X-a: b\r\n")
            answered.append(health(port, timeout=5))
            time.sleep(2)
        fds = len(os.listdir(f"/proc/{server.pid}/fd"))
        print(f"held {len(socks)} half-open connections; /health {answered}; server fds {fds}")
        assert 200 in answered, f"/health did not answer during the flood: {answered}"
        assert fds < 600, f"the server holds {fds} descriptors"
    finally:
        for sock in socks:
            sock.close()
    try:
        deadline = time.monotonic() + 15
        while health(port) != 200:
            assert time.monotonic() < deadline, "the server did not recover after the flood"
            time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
            assert page.status == 200
    finally:
        server.terminate()
        server.wait(timeout=15)
    size = log_path.stat().st_size
    print(f"server log: {size} bytes")
    assert size < 20_000, log_path.read_text()[-3000:]
