"""A fake systemd ``NOTIFY_SOCKET``: a Unix datagram socket in the test's tmp folder."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[socket.socket]:
    """The listening end; point ``NOTIFY_SOCKET`` at ``notify_socket.getsockname()``."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(str(tmp_path / "notify"))
    listener.setblocking(False)
    yield listener
    listener.close()


def received(listener: socket.socket) -> list[str]:
    """Every message that arrived since the last call (``READY=1``, ``WATCHDOG=1``...)."""
    messages = []
    while True:
        try:
            messages.append(listener.recv(4096).decode())
        except BlockingIOError:
            return messages
