"""What keeps ``kiosk serve`` reachable for the kiosk's own browser, whatever else connects.

- :class:`HostPolicy`: only requests naming this server (``Host``) are answered, and only
  the kiosk's own page (``Origin``) may open the app websocket. A web page elsewhere, or
  a DNS-rebinding name, gets nothing.
- :class:`ConnectionGuard`: a cap on open connections, and a deadline for a connection
  that is idle or has not finished its request head (half-open, slowloris). When the cap
  is reached, the stalest idle connection is closed to make room, so a flood of
  half-open connections cannot keep the kiosk's browser out or use up file descriptors.
- :func:`parse_envelope`: a browser message, bounded in size and depth, or ``None``.
- :class:`OncePerInterval` and :class:`FloodFilter`: a flood of refusals or errors
  writes at most a line a minute, never megabytes.
- :func:`raise_open_file_limit`: the soft descriptor limit up to the hard one.

Nothing here imports Textual; it is plain aiohttp and asyncio.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

log = logging.getLogger("kiosk.serve")

LOG_INTERVAL_SECONDS = 60.0
"""A refusal, eviction or loop error of one kind is logged at most once in this long."""

MAX_CONNECTIONS = 256
"""Open HTTP connections at most (the kiosk's browser needs two or three)."""

IDLE_TIMEOUT_SECONDS = 10.0
"""A connection with no request under way (half-open, between requests) is closed after this."""

FD_RESERVE = 128
"""Descriptors kept free for app processes' pipes, log files and the listening socket."""

MAX_MESSAGE_BYTES = 64 * 1024
"""aiohttp closes a websocket whose message is larger (the kiosk page sends a few bytes)."""

MAX_STDIN_CHARS = 1024
"""A longer ``stdin`` message is dropped: a key or a tap is a few bytes, the kiosk has no paste."""

MAX_ENVELOPE_STRUCTURE = 256
"""Characters of a message outside its strings; bounds the nesting the JSON decoder sees."""

MAX_ENVELOPE_DEPTH = 3
"""``["resize", {"width": 80, "height": 24}]`` is two levels deep."""

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


class OncePerInterval:
    """Log a message of each kind at most once per interval, with the count of those left out."""

    def __init__(
        self,
        logger: logging.Logger,
        interval: float = LOG_INTERVAL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.logger = logger
        self.interval = interval
        self.clock = clock
        self._last: dict[object, float] = {}
        self._left_out: dict[object, int] = {}

    def log(self, level: int, key: object, message: str, *args: object) -> bool:
        """Log ``message % args`` unless ``key`` was logged less than an interval ago."""
        now = self.clock()
        last = self._last.get(key)
        if last is not None and now - last < self.interval:
            self._left_out[key] = self._left_out.get(key, 0) + 1
            return False
        left_out = self._left_out.pop(key, 0)
        if left_out:
            message += f" ({left_out} more like this in the last {self.interval:.0f} s)"
        self._last[key] = now
        self.logger.log(level, message, *args)
        return True

    def warning(self, key: object, message: str, *args: object) -> bool:
        return self.log(logging.WARNING, key, message, *args)


class FloodFilter(logging.Filter):
    """A logging filter: at most ``burst`` records of one template per interval.

    For the server's log handler, so that errors raised by a flood (aiohttp, asyncio)
    can never fill the disk. The first record after a quiet interval says how many
    were left out.
    """

    def __init__(
        self,
        burst: int = 10,
        interval: float = LOG_INTERVAL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.burst = burst
        self.interval = interval
        self.clock = clock
        self._windows: dict[tuple[str, int, str], list[float]] = {}
        self._left_out: dict[tuple[str, int, str], int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.levelno, str(record.msg))
        now = self.clock()
        window = [t for t in self._windows.get(key, ()) if now - t < self.interval]
        if len(window) >= self.burst:
            self._windows[key] = window
            self._left_out[key] = self._left_out.get(key, 0) + 1
            return False
        window.append(now)
        self._windows[key] = window
        left_out = self._left_out.pop(key, 0)
        if left_out:
            record.msg = f"{record.msg} ({left_out} more like this left out)"
        if len(self._windows) > 1000:  # templates are few; forget old ones anyway
            self._windows = {k: v for k, v in self._windows.items() if now - v[-1] < self.interval}
        return True


def raise_open_file_limit(target: int = 65536) -> int:
    """Raise the soft limit on open files towards the hard limit; return the soft limit now."""
    try:
        import resource
    except ImportError:  # not on this platform
        return 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = target if hard == resource.RLIM_INFINITY else min(target, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return target if soft == resource.RLIM_INFINITY else soft


def connection_cap(open_file_limit: int, maximum: int = MAX_CONNECTIONS) -> int:
    """How many connections to allow with this many descriptors (at least 16)."""
    return max(16, min(maximum, open_file_limit - FD_RESERVE))


# --- Host and Origin --------------------------------------------------------------------


def split_host(value: str) -> tuple[str, int] | None:
    """``Host`` header -> (lower-case name, port), port 80 when absent; ``None`` if malformed."""
    value = value.strip()
    if not value or any(ch.isspace() for ch in value):
        return None
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        name, rest = value[1:end], value[end + 1 :]
        if rest and not rest.startswith(":"):
            return None
        port_text = rest[1:] if rest else ""
    else:
        name, colon, port_text = value.partition(":")
        if colon and not port_text:
            return None
    if not name:
        return None
    if not port_text:
        return name.lower(), 80
    if not port_text.isdigit() or len(port_text) > 5:
        return None
    return name.lower(), int(port_text)


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class HostPolicy:
    """Which ``Host`` names this server answers to, given the address it listens on.

    On loopback (the kiosk): 127.0.0.1, localhost, ::1 and the address itself. On
    another address (``--allow-remote``): that address too, and on a wildcard address
    (0.0.0.0, ::) any IP address. Never a DNS name other than ``localhost``: a name can
    be rebound to this machine by a web page elsewhere.
    """

    bind_host: str

    def allows_name(self, name: str) -> bool:
        bind = self.bind_host.strip("[]").lower()
        if name in LOOPBACK_NAMES or name == bind:
            return True
        return bind in ("", "0.0.0.0", "::") and _is_ip(name)

    def allows_host(self, host: str | None, local_port: int | None) -> bool:
        """True if ``host`` (a ``Host`` header) names this server on ``local_port``."""
        parsed = split_host(host or "")
        if parsed is None:
            return False
        name, port = parsed
        return self.allows_name(name) and (local_port is None or port == local_port)

    @staticmethod
    def allows_origin(origin: str | None, host: str) -> bool:
        """True if ``origin`` is the page this server served under ``host`` (already checked)."""
        return origin is not None and origin.lower() == f"http://{host.lower()}"


def local_port(request: web.BaseRequest) -> int | None:
    """The port the request came in on, or ``None`` if unknown."""
    transport = request.transport
    sockname = transport.get_extra_info("sockname") if transport is not None else None
    if isinstance(sockname, (tuple, list)) and len(sockname) >= 2:
        return int(sockname[1])
    return None


# --- browser messages ----------------------------------------------------------------------


def parse_envelope(text: str) -> tuple[str, Any] | None:
    """A browser message ``[kind, data]`` as (kind, data), or ``None`` if it is not one.

    The message's structure outside its strings is bounded before it is decoded, so a
    deeply nested message is refused without reaching the recursive decoder.
    """
    structure = _JSON_STRING.sub('""', text)
    if len(structure) > MAX_ENVELOPE_STRUCTURE:
        return None
    depth = 0
    for char in structure:
        if char in "[{":
            depth += 1
            if depth > MAX_ENVELOPE_DEPTH:
                return None
        elif char in "]}":
            depth -= 1
    try:
        envelope = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
        return None
    return envelope[0], envelope[1] if len(envelope) > 1 else None


# --- connections -------------------------------------------------------------------------


@dataclass
class _Connection:
    opened: float
    idle_since: float
    requests_under_way: int = 0
    connected: bool = field(default=False)


class _Refused(asyncio.Protocol):
    """Accepted only to be closed at once: the server is at its connection cap."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport.abort()  # type: ignore[attr-defined]


class ConnectionGuard:
    """Wraps aiohttp's protocol factory: a connection cap and an idle deadline.

    Use :meth:`protocol_factory` with ``loop.create_server``, add :attr:`middleware` to
    the application (it tells the guard which connections have a request under way) and
    run :meth:`sweep_forever` while serving.
    """

    def __init__(
        self,
        factory: Callable[[], asyncio.BaseProtocol],
        *,
        max_connections: int = MAX_CONNECTIONS,
        idle_timeout: float = IDLE_TIMEOUT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        flood_log: OncePerInterval | None = None,
    ) -> None:
        self.factory = factory
        self.max_connections = max_connections
        self.idle_timeout = idle_timeout
        self.clock = clock
        self.flood_log = flood_log or OncePerInterval(log)
        self._connections: dict[asyncio.BaseProtocol, _Connection] = {}
        self.evicted = 0
        self.timed_out = 0
        self.refused = 0

    @property
    def open_connections(self) -> int:
        self._forget_closed()
        return len(self._connections)

    def protocol_factory(self) -> asyncio.BaseProtocol:
        self._forget_closed()
        if len(self._connections) >= self.max_connections and not self._evict_stalest():
            self.refused += 1
            self.flood_log.warning(
                "refused",
                "refused a connection: %d open, all with a request under way",
                len(self._connections),
            )
            return _Refused()
        protocol = self.factory()
        now = self.clock()
        self._connections[protocol] = _Connection(opened=now, idle_since=now)
        return protocol

    @web.middleware
    async def middleware(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        state = self._connections.get(request.protocol)
        if state is not None:
            state.requests_under_way += 1
        try:
            return await handler(request)
        finally:
            if state is not None:
                state.requests_under_way -= 1
                state.idle_since = self.clock()

    def _transport(self, protocol: asyncio.BaseProtocol) -> asyncio.BaseTransport | None:
        transport = getattr(protocol, "transport", None)
        return transport if isinstance(transport, asyncio.BaseTransport) else None

    def _forget_closed(self) -> None:
        now = self.clock()
        for protocol, state in list(self._connections.items()):
            transport = self._transport(protocol)
            if transport is not None and not transport.is_closing():
                state.connected = True
            elif state.connected or now - state.opened > 5.0:
                del self._connections[protocol]

    def _idle(self) -> Iterable[tuple[asyncio.BaseProtocol, _Connection]]:
        for protocol, state in self._connections.items():
            if state.requests_under_way == 0 and self._transport(protocol) is not None:
                yield protocol, state

    def _close(self, protocol: asyncio.BaseProtocol) -> None:
        transport = self._transport(protocol)
        if transport is not None:
            transport.abort()  # type: ignore[attr-defined]
        self._connections.pop(protocol, None)

    def _evict_stalest(self) -> bool:
        idle = sorted(self._idle(), key=lambda item: item[1].idle_since)
        if not idle:
            return False
        self._close(idle[0][0])
        self.evicted += 1
        self.flood_log.warning(
            "evicted",
            "connection cap (%d) reached: closed the connection idle the longest",
            self.max_connections,
        )
        return True

    def sweep(self) -> int:
        """Close every connection idle longer than the deadline; return how many."""
        self._forget_closed()
        now = self.clock()
        stale = [p for p, state in self._idle() if now - state.idle_since > self.idle_timeout]
        for protocol in stale:
            self._close(protocol)
        if stale:
            self.timed_out += len(stale)
            self.flood_log.log(
                logging.INFO,
                "timed-out",
                "closed %d connection(s) idle or half-open for over %g s",
                len(stale),
                self.idle_timeout,
            )
        return len(stale)

    async def sweep_forever(self, interval: float = 1.0) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                self.sweep()
            except Exception:  # never let the sweeper die
                self.flood_log.log(logging.ERROR, "sweep", "connection sweep failed")
                log.debug("connection sweep failed", exc_info=True)

    def close_all(self) -> None:
        for protocol in list(self._connections):
            self._close(protocol)


def loop_exception_handler(
    flood_log: OncePerInterval,
) -> Callable[[asyncio.AbstractEventLoop, dict[str, Any]], None]:
    """An event-loop exception handler that logs each kind of error at most once a minute.

    asyncio's own handler logs every ``accept()`` failure (``EMFILE``) with a traceback,
    which is how 1,100 half-open connections once wrote 103 MB of log.
    """

    def handle(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        message = str(context.get("message") or "unhandled error in the event loop")
        error = context.get("exception")
        key = ("loop", message, type(error).__name__)
        if error is not None:
            flood_log.log(logging.ERROR, key, "%s: %s: %s", message, type(error).__name__, error)
        else:
            flood_log.log(logging.ERROR, key, "%s", message)

    return handle
