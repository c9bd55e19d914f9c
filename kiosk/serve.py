"""``kiosk serve``: the kiosk in a browser, for Chromium in kiosk mode on a touchscreen.

Built on textual-serve (pinned to 1.1.3; its internals are reached only through
:mod:`kiosk.compat.textual_serve`): every browser session gets its own app process,
``python -m kiosk run ...`` with this interpreter. What this module adds:

- **Loopback by default.** Any other address needs ``--allow-remote`` and is logged
  as a warning.
- **Only the kiosk's own page.** A request whose ``Host`` does not name this server is
  refused (421), and the app websocket only opens for the page this server served
  (``Origin``); no request header is ever copied into a response (:mod:`kiosk.serve_guard`).
- **Offline page.** Our own template (``kiosk/web/page.html``) refers only to files
  this server serves: textual-serve's bundled JS, CSS and Roboto Mono font. A
  Content-Security-Policy header makes the browser refuse anything else.
- **No way out.** The app's "open URL" and "deliver file" requests are dropped
  here and never reach the browser; there is no download route; the page turns
  off the terminal's link detection and replaces ``window.open``.
- **Never a dead page.** When the app process ends (exit or crash) the websocket
  is closed; in kiosk mode the page then waits, with backoff, until the server
  answers and reloads itself.
- **A warm process and a session limit** (:mod:`kiosk.serve_sessions`): one app
  process waits, started, for the next browser, so a reload paints at once; at most
  :data:`MAX_SESSIONS` sessions, and a new browser takes the place of the stalest.
- **Bounded everything** (:mod:`kiosk.serve_guard`): open connections, idle and
  half-open connections, message size and depth, resize size and rate, log lines.
- **Text size**: the app's font-scale request (:mod:`kiosk.web_bridge`) reaches the
  page, which changes the terminal's real font size.

Public interface: :func:`serve_command` (the CLI entry), :class:`KioskServer`,
:func:`app_command`, :func:`is_loopback` and :func:`render_page`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import ipaddress
import logging
import os
import secrets
import shlex
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Hashable, Sequence
from pathlib import Path

import jinja2
from aiohttp import WSMsgType, web
from textual_serve.download_manager import DownloadManager

from kiosk.compat.textual_serve import TEXTUAL_SERVE_STATIC_DIR, expose_terminal_session
from kiosk.fleet.watchdog import SystemdWatchdog
from kiosk.serve_guard import (
    IDLE_TIMEOUT_SECONDS,
    MAX_CONNECTIONS,
    MAX_MESSAGE_BYTES,
    MAX_STDIN_CHARS,
    ConnectionGuard,
    FloodFilter,
    HostPolicy,
    OncePerInterval,
    connection_cap,
    local_port,
    loop_exception_handler,
    parse_envelope,
    raise_open_file_limit,
)
from kiosk.serve_sessions import (
    STOP_TIMEOUT_SECONDS,
    WARM_PROCESSES,
    AppProcesses,
    Busy,
    KioskAppService,
)

log = logging.getLogger("kiosk.serve")

MAX_SESSIONS = 2
"""Simultaneous browser sessions (app processes); a Raspberry Pi runs two comfortably."""

FONT_SIZE_RANGE = (8, 96)

COLUMNS_RANGE = (10, 400)
ROWS_RANGE = (5, 160)
"""Terminal sizes the server passes on (a 4K screen at 16 px is about 400 x 110 cells);
anything else is clamped. The targets top out at 200 x 60."""

RESIZE_INTERVAL_SECONDS = 0.1
"""At most one resize every this long reaches the app (the last one always does)."""

WEB_DIR = Path(__file__).resolve().parent / "web"
TEXTUAL_STATIC_DIR = TEXTUAL_SERVE_STATIC_DIR
PAGE_TEMPLATE = "page.html"
PATCHED_JS_PATH = "/kiosk/textual.js"

__all__ = [
    "STOP_TIMEOUT_SECONDS",
    "KioskAppService",
    "KioskServer",
    "app_command",
    "content_security_policy",
    "is_loopback",
    "render_page",
    "serve_command",
]


def is_loopback(host: str) -> bool:
    """True if ``host`` only accepts connections from this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_command(cards: Path | None = None, site: Path | None = None, kiosk: bool = False) -> str:
    """The shell command run for each browser session.

    Paths are made absolute but symbolic links are kept: ``--cards
    /opt/kiosk-decks/current`` must follow the link each time a process starts, so
    that ``kiosk deck install`` (which swaps the link) reaches the browser too.
    ``exec`` makes the app the shell's own process, so that ending the process ends
    the app (and does not leave it orphaned behind a killed shell).
    """
    parts = [sys.executable, "-m", "kiosk", "run"]
    if cards is not None:
        parts += ["--cards", os.path.abspath(cards)]
    if site is not None:
        parts += ["--site", os.path.abspath(site)]
    if kiosk:
        parts.append("--kiosk")
    return "exec " + " ".join(shlex.quote(part) for part in parts)


def files_fingerprint(paths: Sequence[Path]) -> Hashable:
    """Changes when any of ``paths`` changes: where a link points, a file's or folder's stat.

    A warm app process started before the change is replaced (it would show the old
    deck or site).
    """

    def stat_key(path: str) -> tuple[int, int, int] | None:
        try:
            info = os.stat(path)
        except OSError:
            return None
        return (info.st_mtime_ns, info.st_size, info.st_ino)

    parts = []
    for path in paths:
        real = os.path.realpath(path)
        parts.append((real, stat_key(real), stat_key(os.path.join(real, "deck.toml"))))
    return tuple(parts)


@functools.cache
def _template_environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(WEB_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def render_page(
    *,
    title: str,
    font_size: int,
    auto_reconnect: bool,
    busy: bool = False,
    nonce: str = "",
    language: str = "en",
) -> str:
    """The HTML of the kiosk page; with ``busy``, the page shown while no session can start.

    Nothing from the request goes in: the page finds its websocket from its own address.
    """
    return (
        _template_environment()
        .get_template(PAGE_TEMPLATE)
        .render(
            title=title,
            font_size=font_size,
            auto_reconnect=auto_reconnect,
            busy=busy,
            nonce=nonce,
            language=language,
            textual_js=PATCHED_JS_PATH,
        )
    )


def content_security_policy(nonce: str) -> str:
    """Only this server's own files and websocket; nothing framed, posted or loaded elsewhere.

    ``connect-src 'self'`` covers the page's own ``ws:`` address (CSP level 3), so the
    policy names no host: nothing in it comes from the request.
    """
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src 'self' 'nonce-{nonce}'",
            # textual.js inserts its own <style> elements
            "style-src 'self' 'unsafe-inline'",
            "font-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


def _clamp(value: object, default: int, low: int, high: int) -> int:
    if isinstance(value, bool):
        number = default
    elif isinstance(value, int):
        number = value
    else:
        try:
            number = int(str(value)) if value is not None else default
        except ValueError:
            number = default
    return max(low, min(high, number))


def terminal_size(width: object, height: object) -> tuple[int, int]:
    """A browser's terminal size in cells, clamped to :data:`COLUMNS_RANGE` x :data:`ROWS_RANGE`."""
    return _clamp(width, 80, *COLUMNS_RANGE), _clamp(height, 24, *ROWS_RANGE)


class ResizeThrottle:
    """Passes resizes on: the same size never twice, at most one per interval, the last always."""

    def __init__(
        self,
        send: Callable[[int, int], Awaitable[None]],
        current: tuple[int, int],
        interval: float = RESIZE_INTERVAL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.send = send
        self.current = current
        self.interval = interval
        self.clock = clock
        self._wanted: tuple[int, int] | None = None
        self._sent_at = float("-inf")
        self._later: asyncio.Task[None] | None = None

    async def request(self, size: tuple[int, int]) -> None:
        self._wanted = size
        if self._later is not None:
            return
        wait = self._sent_at + self.interval - self.clock()
        if wait <= 0:
            await self._flush()
        else:
            self._later = asyncio.ensure_future(self._flush_after(wait))

    async def _flush_after(self, wait: float) -> None:
        await asyncio.sleep(wait)
        self._later = None
        await self._flush()

    async def _flush(self) -> None:
        size, self._wanted = self._wanted, None
        if size is None or size == self.current:
            return
        self.current = size
        self._sent_at = self.clock()
        await self.send(*size)

    def cancel(self) -> None:
        if self._later is not None:
            self._later.cancel()
            self._later = None


class KioskServer:
    """The kiosk's web server: its page, the app sessions, and every limit that protects them."""

    def __init__(
        self,
        command: str,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        title: str = "First aid",
        font_size: int = 24,
        auto_reconnect: bool = True,
        max_sessions: int = MAX_SESSIONS,
        language: str = "en",
        warm: int = WARM_PROCESSES,
        watch_paths: Sequence[Path] = (),
        max_connections: int = MAX_CONNECTIONS,
        idle_timeout: float = IDLE_TIMEOUT_SECONDS,
        debug: bool = False,
    ) -> None:
        self.command = command
        self.host = host
        self.port = port
        self.title = title
        self.font_size = font_size
        self.auto_reconnect = auto_reconnect
        self.max_sessions = max_sessions
        self.language = language
        self.debug = debug
        self.statics_path = TEXTUAL_STATIC_DIR
        self.max_connections = max_connections
        self.idle_timeout = idle_timeout
        self.policy = HostPolicy(host)
        self.flood_log = OncePerInterval(log)
        self.guard = ConnectionGuard(
            lambda: asyncio.Protocol(),
            max_connections=max_connections,
            idle_timeout=idle_timeout,
            flood_log=self.flood_log,
        )
        watched = tuple(watch_paths)
        self.processes = AppProcesses(
            command,
            max_sessions=max_sessions,
            warm=warm,
            download_manager=DownloadManager(),
            environment={"PYTHONPATH": _python_path_with_kiosk()},
            fingerprint=lambda: files_fingerprint(watched),
            debug=debug,
        )
        self._patched_js: bytes | None = None
        self.watchdog = SystemdWatchdog()
        self._pinger: asyncio.Task[None] | None = None
        self._keeper: asyncio.Task[None] | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self._runner: web.AppRunner | None = None
        self._listener: asyncio.AbstractServer | None = None

    @property
    def sessions(self) -> dict[KioskAppService, object]:
        """The open browser sessions, by app process."""
        return self.processes.sessions  # type: ignore[return-value]

    # --- the application ---------------------------------------------------------------

    def initialize_logging(self) -> None:
        """Log to stderr (the journal), through a :class:`FloodFilter`; once, and only if
        nothing else (a test runner) has set up logging already."""
        root = logging.getLogger()
        if root.handlers:
            return
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        handler.addFilter(FloodFilter())
        root.addHandler(handler)
        root.setLevel(logging.DEBUG if self.debug else logging.INFO)

    async def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.guard.middleware, self._check_host])
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/health", self.handle_health, name="health"),
                web.get(PATCHED_JS_PATH, self.handle_textual_js, name="textual_js"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    @web.middleware
    async def _check_host(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Every request must name this server (no DNS rebinding, no other site's name)."""
        if not self.policy.allows_host(request.headers.get("Host"), local_port(request)):
            self.flood_log.warning(
                "host",
                "refused a request for another host (Host %.80r) from %s",
                request.headers.get("Host"),
                request.remote,
            )
            raise web.HTTPMisdirectedRequest(text="misdirected request")
        return await handler(request)

    @property
    def busy(self) -> bool:
        """True if a new session could not start now, even by taking the stalest one's place."""
        return not self.processes.warm_ready and self.processes.running >= self.processes.limit

    async def handle_index(self, request: web.Request) -> web.Response:
        """The kiosk page, or the busy page (503) when no session can start now."""
        nonce = secrets.token_urlsafe(16)
        font_size = _clamp(request.query.get("fontsize"), self.font_size, *FONT_SIZE_RANGE)
        busy = self.busy
        html = render_page(
            title=self.title,
            font_size=font_size,
            auto_reconnect=self.auto_reconnect,
            busy=busy,
            nonce=nonce,
            language=self.language,
        )
        return web.Response(
            text=html,
            content_type="text/html",
            status=503 if busy else 200,
            headers={
                "Content-Security-Policy": content_security_policy(nonce),
                "Cache-Control": "no-store",
                "Referrer-Policy": "no-referrer",
            },
        )

    async def handle_health(self, request: web.Request) -> web.Response:
        """For the Chromium start script (200 as soon as the server runs), tests and benchmarks."""
        processes = self.processes
        return web.json_response(
            {
                "ok": True,
                "sessions": len(processes.sessions),
                "max_sessions": processes.max_sessions,
                "warm": processes.warm_ready,
                "processes": processes.running,
                "warm_handed_over": processes.warm_handed_over,
                "cold_started": processes.cold_started,
            },
            headers={"Cache-Control": "no-store"},
        )

    def patched_textual_js(self) -> bytes:
        """textual-serve's textual.js with the terminal session exposed to the page."""
        if self._patched_js is None:
            source = (self.statics_path / "js" / "textual.js").read_text(encoding="utf-8")
            patched = expose_terminal_session(source)
            if patched is None:
                log.error(
                    "textual.js has changed (textual-serve upgraded?): serving it unpatched; "
                    "links in the terminal stay neutralised by the page, but the text-size "
                    "control cannot change the font: see kiosk/compat/textual_serve.py"
                )
            self._patched_js = (patched or source).encode("utf-8")
        return self._patched_js

    async def handle_textual_js(self, request: web.Request) -> web.Response:
        return web.Response(body=self.patched_textual_js(), content_type="application/javascript")

    # --- sessions ----------------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser session: hand it an app process and relay until either side ends."""
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE_BYTES)
        if not websocket.can_prepare(request).ok:
            raise web.HTTPBadRequest(text="expected a websocket")
        origin = request.headers.get("Origin")
        if not self.policy.allows_origin(origin, request.headers.get("Host", "")):
            self.flood_log.warning(
                "origin",
                "refused an app websocket not opened by the kiosk page (Origin %.80r) from %s",
                origin,
                request.remote,
            )
            raise web.HTTPForbidden(text="forbidden")
        width, height = terminal_size(request.query.get("width"), request.query.get("height"))
        try:
            service = self.processes.claim(websocket)
        except Busy as reason:
            self.flood_log.warning("busy", "refused a browser session: %s", reason)
            raise web.HTTPServiceUnavailable(text="busy") from None
        session = self.processes.sessions[service]
        log.info(
            "browser session from %s (%s app process, %d open)",
            request.remote,
            "warm" if session.warm else "new",
            len(self.processes.sessions),
        )
        closer: asyncio.Task[None] | None = None
        throttle: ResizeThrottle | None = None
        try:
            await websocket.prepare(request)
            if not self.processes.is_open(service):  # closed to make room meanwhile
                await websocket.close()
                return websocket
            if service.process is None:
                await service.start(width, height)
            elif service.size != (width, height):
                await service.resize_before_attach(width, height)
                self.processes.size = (width, height)
            throttle = ResizeThrottle(functools.partial(self._resize, service), service.size)
            await service.attach(websocket)
            await throttle.request((width, height))
            closer = asyncio.ensure_future(self._close_when_app_ends(service, websocket))
            await self._relay(websocket, service, throttle)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:
            log.exception("browser session failed")
        finally:
            if closer is not None:
                closer.cancel()
            if throttle is not None:
                throttle.cancel()
            # Its own task, so the slot is given back even if this handler is cancelled.
            await asyncio.shield(asyncio.ensure_future(self._end_session(service)))
        return websocket

    async def _resize(self, service: KioskAppService, width: int, height: int) -> None:
        service.size = (width, height)
        self.processes.size = (width, height)
        await service.set_terminal_size(width, height)

    async def _end_session(self, service: KioskAppService) -> None:
        try:
            await self.processes.end(service)
        finally:
            log.info("browser session ended (%d open)", len(self.processes.sessions))

    async def _close_when_app_ends(
        self, service: KioskAppService, websocket: web.WebSocketResponse
    ) -> None:
        """Close the socket when the app ends (textual-serve would not), so the page recovers."""
        task = service.reader
        if task is None:
            return
        await asyncio.shield(task)
        if not websocket.closed:
            log.warning("the app process ended; closing its browser session")
            await websocket.close()

    async def _relay(
        self, websocket: web.WebSocketResponse, service: KioskAppService, throttle: ResizeThrottle
    ) -> None:
        """Relay the browser's input; anything malformed, oversized or unknown is ignored."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            envelope = parse_envelope(message.data)
            if envelope is None:
                self.flood_log.log(
                    logging.INFO, "malformed", "ignored a malformed message from the browser"
                )
                continue
            kind, data = envelope
            if kind != "ping":
                self.processes.touch(service)
            try:
                if kind == "stdin" and isinstance(data, str):
                    if len(data) > MAX_STDIN_CHARS:
                        self.flood_log.warning(
                            "stdin", "ignored %d characters of input in one message", len(data)
                        )
                        continue
                    await service.send_bytes(data.encode("utf-8"))
                elif kind == "resize" and isinstance(data, dict):
                    await throttle.request(terminal_size(data.get("width"), data.get("height")))
                elif kind == "ping":
                    await websocket.send_json(["pong", data if isinstance(data, str) else ""])
                elif kind == "blur":
                    await service.blur()
                elif kind == "focus":
                    await service.focus()
            except ValueError:  # text that is not UTF-8 (lone surrogates)
                log.debug("ignored undecodable input from the browser")

    # --- lifecycle -----------------------------------------------------------------------

    async def on_startup(self, app: web.Application) -> None:
        self._keeper = asyncio.ensure_future(self.processes.keep_warm())
        log.info(
            "serving the kiosk on http://%s:%d/ (%s, at most %d sessions, %d warm): %s",
            self.host,
            self.port,
            "kiosk mode" if self.auto_reconnect else "not kiosk mode",
            self.max_sessions,
            self.processes.warm_count,
            self.command,
        )

    async def on_shutdown(self, app: web.Application) -> None:
        if self._keeper is not None:
            self._keeper.cancel()
        for session in list(self.processes.sessions.values()):
            with contextlib.suppress(Exception):
                await session.websocket.close()
        await self.processes.close()

    async def start(self) -> int:
        """Listen on ``host``:``port`` (0 picks a free port); return the port."""
        loop = asyncio.get_running_loop()
        open_files = raise_open_file_limit()
        self.guard.max_connections = connection_cap(open_files, self.max_connections)
        loop.set_exception_handler(loop_exception_handler(self.flood_log))
        self._runner = web.AppRunner(
            await self.make_app(),
            handle_signals=False,
            access_log=None,
            keepalive_timeout=self.idle_timeout,
            shutdown_timeout=STOP_TIMEOUT_SECONDS * 2,
        )
        await self._runner.setup()
        server = self._runner.server
        assert server is not None
        self.guard.factory = server
        self._listener = await loop.create_server(
            self.guard.protocol_factory, self.host, self.port, reuse_address=True
        )
        self._sweeper = asyncio.ensure_future(self.guard.sweep_forever())
        self.port = self._listener.sockets[0].getsockname()[1]
        self.watchdog.ready()
        self._pinger = asyncio.ensure_future(self._ping_forever())
        return self.port

    async def _ping_forever(self) -> None:
        """systemd's watchdog, from the server's own loop (a frozen loop stops pinging)."""
        while True:
            self.watchdog.ping()
            await asyncio.sleep(self.watchdog.ping_seconds)

    async def stop(self) -> None:
        self.watchdog.stopping()
        if self._pinger is not None:
            self._pinger.cancel()
            self._pinger = None
        if self._sweeper is not None:
            self._sweeper.cancel()
        if self._listener is not None:
            self._listener.close()
        if self._runner is not None:
            await self._runner.cleanup()
        self._runner = self._listener = self._sweeper = None

    async def serve_until_stopped(self) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signum, stop.set)
        await self.start()
        try:
            await stop.wait()
        finally:
            await self.stop()

    def serve(self) -> None:
        """Serve until SIGTERM or Ctrl+C. Raises OSError if the address cannot be used."""
        self.initialize_logging()
        asyncio.run(self.serve_until_stopped())


def _python_path_with_kiosk() -> str:
    """``PYTHONPATH`` for the app process: this kiosk package first, installed or not."""
    package_parent = str(Path(__file__).resolve().parent.parent)
    existing = os.environ.get("PYTHONPATH")
    return package_parent + os.pathsep + existing if existing else package_parent


def serve_command(args: argparse.Namespace) -> int:
    """``kiosk serve``: check the address, then serve until stopped (SIGTERM, Ctrl+C)."""
    from dataclasses import replace

    from kiosk.deck import bundled_cards_dir
    from kiosk.site import load_site

    if not is_loopback(args.host) and not args.allow_remote:
        print(
            f"kiosk serve: refusing to listen on {args.host!r}: other machines could reach "
            "the kiosk. Use the default 127.0.0.1 for a kiosk on this machine, or add "
            "--allow-remote if you really mean it.",
            file=sys.stderr,
        )
        return 2
    if not 1 <= args.port <= 65535:
        print(f"kiosk serve: --port must be 1 to 65535, not {args.port}", file=sys.stderr)
        return 2
    warm = getattr(args, "warm", None)
    warm = WARM_PROCESSES if warm is None else warm
    if warm not in (0, 1):
        print(f"kiosk serve: --warm must be 0 or 1, not {warm}", file=sys.stderr)
        return 2
    site_result = load_site(args.site)
    for problem in site_result.problems:
        print(problem.format(), file=sys.stderr)
    site = site_result.site
    if args.kiosk:
        site = replace(site, kiosk=True)
    font_size = args.font_size if args.font_size is not None else site.font_size
    watched = [Path(args.cards) if args.cards is not None else bundled_cards_dir()]
    if args.site is not None:
        watched.append(Path(args.site))
    server = KioskServer(
        app_command(args.cards, args.site, args.kiosk),
        host=args.host,
        port=args.port,
        title=site.name,
        font_size=_clamp(font_size, 24, *FONT_SIZE_RANGE),
        auto_reconnect=site.kiosk,
        language=site.default_language,
        warm=warm,
        watch_paths=watched,
    )
    if not is_loopback(args.host):
        server.initialize_logging()
        log.warning(
            "listening on %s:%d: other machines on the network can open the kiosk",
            args.host,
            args.port,
        )
    try:
        server.serve()
    except OSError as error:
        print(f"kiosk serve: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    return 0
