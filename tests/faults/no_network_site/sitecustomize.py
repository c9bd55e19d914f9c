"""Put on PYTHONPATH to cut a child Python process off the network (fault tests).

Every socket connection, name lookup and datagram send raises ``OSError``; each attempt
is also appended to the file named by ``KIOSK_NET_ATTEMPTS`` so that a test can fail on
an attempt the program under test swallowed.
"""

from __future__ import annotations

import os
import socket


def _blocked(what: str):
    def refuse(*args, **kwargs):
        log = os.environ.get("KIOSK_NET_ATTEMPTS")
        if log:
            with open(log, "a", encoding="utf-8") as attempts:
                attempts.write(f"{what} {args[1:2]!r}\n")
        raise OSError(101, f"network disabled by the fault test ({what})")

    return refuse


socket.socket.connect = _blocked("connect")
socket.socket.connect_ex = _blocked("connect_ex")
socket.socket.sendto = _blocked("sendto")
socket.create_connection = _blocked("create_connection")
socket.getaddrinfo = _blocked("getaddrinfo")
