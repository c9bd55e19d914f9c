"""``kiosk serve``: the kiosk in a browser, for Chromium in kiosk mode on a touchscreen.

Built on textual-serve (pinned to 1.1.3): every browser connection gets its own app
process, ``python -m kiosk run ...`` with this interpreter. What this module adds:

- **Loopback by default.** Any other address needs ``--allow-remote`` and is logged
  as a warning.
- **Offline page.** Our own template (``kiosk/web/page.html``) refers only to files
  this server serves: textual-serve's bundled JS, CSS and Roboto Mono font. A
  Content-Security-Policy header makes the browser refuse anything else.
- **No way out.** The app's "open URL" and "deliver file" requests are dropped
  here and never reach the browser; there is no download route; the page turns
  off the terminal's link detection and replaces ``window.open``.
- **Never a dead page.** When the app process ends (exit or crash) the websocket
  is closed; in kiosk mode the page then waits, with backoff, until the server
  answers and reloads itself.
- **A session limit** (:data:`MAX_SESSIONS`): further connections get a
  "busy" page (HTTP 503) that retries by itself.

Public interface: :func:`serve_command` (the CLI entry), :class:`KioskServer`,
:func:`app_command`, :func:`is_loopback` and :func:`render_page`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import ipaddress
import json
import logging
import os
import secrets
import shlex
import sys
from pathlib import Path

import jinja2
import textual_serve
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

log = logging.getLogger("kiosk.serve")

MAX_SESSIONS = 2
"""Simultaneous browser sessions (app processes); a Raspberry Pi runs two comfortably."""

STOP_TIMEOUT_SECONDS = 3.0
"""How long an app process may take to quit after its browser left before it is killed."""

FONT_SIZE_RANGE = (8, 96)

WEB_DIR = Path(__file__).resolve().parent / "web"
TEXTUAL_STATIC_DIR = Path(textual_serve.__file__).resolve().parent / "static"
PAGE_TEMPLATE = "page.html"
PATCHED_JS_PATH = "/kiosk/textual.js"

# textual.js keeps its terminal session in a local variable; this one edit exposes it
# as ``window.textualSession`` so the page can switch off link handling (and tests can
# read the screen). If textual-serve changes, the original is served and we log why.
_JS_SESSION_ORIGINAL = "const t=new w(e,{ping:r});"
_JS_SESSION_PATCHED = "const t=new w(e,{ping:r});window.textualSession=t;"

_BLOCKED_META = frozenset({"open_url", "deliver_file_start"})


def is_loopback(host: str) -> bool:
    """True if ``host`` only accepts connections from this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_command(cards: Path | None = None, site: Path | None = None, kiosk: bool = False) -> str:
    """The shell command textual-serve runs for each browser session.

    ``exec`` makes the app the shell's own process, so that ending the process ends
    the app (and does not leave it orphaned behind a killed shell).
    """
    parts = [sys.executable, "-m", "kiosk", "run"]
    if cards is not None:
        parts += ["--cards", str(Path(cards).resolve())]
    if site is not None:
        parts += ["--site", str(Path(site).resolve())]
    if kiosk:
        parts.append("--kiosk")
    return "exec " + " ".join(shlex.quote(part) for part in parts)


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
    websocket_url: str,
    font_size: int,
    auto_reconnect: bool,
    busy: bool = False,
    nonce: str = "",
    language: str = "en",
) -> str:
    """The HTML of the kiosk page; with ``busy``, the page shown while every session is taken."""
    return (
        _template_environment()
        .get_template(PAGE_TEMPLATE)
        .render(
            title=title,
            websocket_url=websocket_url,
            font_size=font_size,
            auto_reconnect=auto_reconnect,
            busy=busy,
            nonce=nonce,
            language=language,
            textual_js=PATCHED_JS_PATH,
        )
    )


def content_security_policy(nonce: str, websocket_url: str) -> str:
    """Only this server's own files and websocket; nothing framed, posted or loaded elsewhere."""
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src 'self' 'nonce-{nonce}'",
            # textual.js inserts its own <style> elements
            "style-src 'self' 'unsafe-inline'",
            "font-src 'self'",
            "img-src 'self' data:",
            f"connect-src 'self' {websocket_url}",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


def _clamp(value: str | None, default: int, low: int, high: int) -> int:
    try:
        number = int(value) if value is not None else default
    except ValueError:
        number = default
    return max(low, min(high, number))


class KioskAppService(AppService):
    """One app process; drops the messages that would open a URL or a download in the browser."""

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        # The app process must import this same kiosk package, installed or not.
        package_parent = str(Path(__file__).resolve().parent.parent)
        existing = environment.get("PYTHONPATH")
        environment["PYTHONPATH"] = (
            package_parent + os.pathsep + existing if existing else package_parent
        )
        return environment

    async def on_meta(self, data: bytes) -> None:
        try:
            meta_type = json.loads(data).get("type")
        except (ValueError, AttributeError):
            log.warning("ignored an unreadable message from the app")
            return
        if meta_type in _BLOCKED_META:
            log.warning("blocked a %r request from the app (not allowed on the kiosk)", meta_type)
            return
        await super().on_meta(data)

    async def on_packed(self, payload: bytes) -> None:
        log.warning("ignored a file chunk from the app (downloads are disabled)")

    @property
    def finished(self) -> asyncio.Task[None] | None:
        """The task that reads the app's output; it ends when the app process ends."""
        return self._task

    async def kill(self) -> None:
        """End the app process now and reap it."""
        process = self._process
        if process is None:
            return
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
        # wait() returns only once every pipe is closed, and the app's stdin is ours.
        if process.stdin is not None:
            process.stdin.close()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(process.wait(), timeout=STOP_TIMEOUT_SECONDS)
        # Close the pipes now, not when the loop may already be gone.
        transport = getattr(process, "_transport", None)
        if transport is not None:
            transport.close()


class KioskServer(Server):
    """textual-serve's server with the kiosk's page, session limit and lockdown."""

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
    ) -> None:
        super().__init__(
            command,
            host=host,
            port=port,
            title=title,
            statics_path=TEXTUAL_STATIC_DIR,
            templates_path=WEB_DIR,
        )
        self.font_size = font_size
        self.auto_reconnect = auto_reconnect
        self.max_sessions = max_sessions
        self.language = language
        self.sessions: set[KioskAppService] = set()
        self._patched_js: bytes | None = None

    # --- pages -------------------------------------------------------------------

    def initialize_logging(self) -> None:
        logging.basicConfig(
            level=logging.DEBUG if self.debug else logging.INFO,
            format="%(levelname)s %(name)s: %(message)s",
        )

    async def _make_app(self) -> web.Application:
        app = web.Application()
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

    @property
    def busy(self) -> bool:
        return len(self.sessions) >= self.max_sessions

    async def handle_index(self, request: web.Request) -> web.Response:  # type: ignore[override]
        """The kiosk page, or the busy page (503) when every session is taken."""
        nonce = secrets.token_urlsafe(16)
        websocket_url = f"ws://{request.host}/ws"
        font_size = _clamp(request.query.get("fontsize"), self.font_size, *FONT_SIZE_RANGE)
        html = render_page(
            title=self.title,
            websocket_url=websocket_url,
            font_size=font_size,
            auto_reconnect=self.auto_reconnect,
            busy=self.busy,
            nonce=nonce,
            language=self.language,
        )
        return web.Response(
            text=html,
            content_type="text/html",
            status=503 if self.busy else 200,
            headers={
                "Content-Security-Policy": content_security_policy(nonce, websocket_url),
                "Cache-Control": "no-store",
                "Referrer-Policy": "no-referrer",
            },
        )

    async def handle_health(self, request: web.Request) -> web.Response:
        """For the Chromium start script: 200 as soon as the server runs."""
        return web.json_response(
            {"ok": True, "sessions": len(self.sessions), "max_sessions": self.max_sessions},
            headers={"Cache-Control": "no-store"},
        )

    def patched_textual_js(self) -> bytes:
        """textual-serve's textual.js with the terminal session exposed to the page."""
        if self._patched_js is None:
            source = (self.statics_path / "js" / "textual.js").read_text(encoding="utf-8")
            if source.count(_JS_SESSION_ORIGINAL) == 1:
                source = source.replace(_JS_SESSION_ORIGINAL, _JS_SESSION_PATCHED)
            else:
                log.error(
                    "textual.js has changed (textual-serve upgraded?): serving it unpatched; "
                    "links in the terminal stay neutralised by the page, but check kiosk/serve.py"
                )
            self._patched_js = source.encode("utf-8")
        return self._patched_js

    async def handle_textual_js(self, request: web.Request) -> web.Response:
        return web.Response(body=self.patched_textual_js(), content_type="application/javascript")

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPNotFound()

    # --- sessions ----------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser session: start an app process and relay until either side ends."""
        websocket = web.WebSocketResponse(heartbeat=15)
        if not websocket.can_prepare(request).ok:
            raise web.HTTPBadRequest(text="expected a websocket")
        if self.busy:
            log.warning(
                "refused a browser session from %s: %d of %d in use",
                request.remote,
                len(self.sessions),
                self.max_sessions,
            )
            raise web.HTTPServiceUnavailable(text="busy")
        width = _clamp(request.query.get("width"), 80, 10, 1000)
        height = _clamp(request.query.get("height"), 24, 5, 500)
        service = KioskAppService(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        self.sessions.add(service)
        log.info("browser session from %s (%d open)", request.remote, len(self.sessions))
        closer: asyncio.Task[None] | None = None
        try:
            await websocket.prepare(request)
            await service.start(width, height)
            closer = asyncio.ensure_future(self._close_when_app_ends(service, websocket))
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:
            log.exception("browser session failed")
        finally:
            if closer is not None:
                closer.cancel()
            # Its own task, so the slot is given back even if this handler is cancelled.
            await asyncio.shield(asyncio.ensure_future(self._end_session(service)))
        return websocket

    async def _end_session(self, service: KioskAppService) -> None:
        try:
            await self._stop_service(service)
        finally:
            self.sessions.discard(service)
            log.info("browser session ended (%d open)", len(self.sessions))

    async def _close_when_app_ends(
        self, service: KioskAppService, websocket: web.WebSocketResponse
    ) -> None:
        """Close the socket when the app ends (textual-serve would not), so the page recovers."""
        task = service.finished
        if task is None:
            return
        await asyncio.shield(task)
        if not websocket.closed:
            log.warning("the app process ended; closing its browser session")
            await websocket.close()

    async def _stop_service(self, service: KioskAppService) -> None:
        """Ask the app to quit; kill it if it has not within STOP_TIMEOUT_SECONDS."""
        stopping = asyncio.ensure_future(service.stop())
        done, _ = await asyncio.wait({stopping}, timeout=STOP_TIMEOUT_SECONDS)
        if not done:
            log.warning("the app did not quit within %g s; killing it", STOP_TIMEOUT_SECONDS)
        await service.kill()
        try:
            await asyncio.wait_for(stopping, timeout=STOP_TIMEOUT_SECONDS)
        except Exception:
            log.exception("stopping the app process failed")

    async def _process_messages(
        self, websocket: web.WebSocketResponse, app_service: AppService
    ) -> None:
        """Relay the browser's input; anything malformed or unknown is ignored."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
                kind = envelope[0]
                data = envelope[1] if len(envelope) > 1 else None
                if kind == "stdin" and isinstance(data, str):
                    await app_service.send_bytes(data.encode("utf-8"))
                elif kind == "resize" and isinstance(data, dict):
                    await app_service.set_terminal_size(
                        _clamp(str(data.get("width")), 80, 10, 1000),
                        _clamp(str(data.get("height")), 24, 5, 500),
                    )
                elif kind == "ping":
                    await websocket.send_json(["pong", data])
                elif kind == "blur":
                    await app_service.blur()
                elif kind == "focus":
                    await app_service.focus()
            except (ValueError, TypeError, IndexError, KeyError):
                log.debug("ignored a malformed message from the browser")

    # --- lifecycle -----------------------------------------------------------------

    async def on_startup(self, app: web.Application) -> None:
        log.info(
            "serving the kiosk on http://%s:%d/ (%s, at most %d sessions): %s",
            self.host,
            self.port,
            "kiosk mode" if self.auto_reconnect else "not kiosk mode",
            self.max_sessions,
            self.command,
        )

    async def on_shutdown(self, app: web.Application) -> None:
        await asyncio.gather(*(service.kill() for service in list(self.sessions)))


def serve_command(args: argparse.Namespace) -> int:
    """``kiosk serve``: check the address, then serve until stopped (SIGTERM, Ctrl+C)."""
    from dataclasses import replace

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
    site_result = load_site(args.site)
    for problem in site_result.problems:
        print(problem.format(), file=sys.stderr)
    site = site_result.site
    if args.kiosk:
        site = replace(site, kiosk=True)
    font_size = args.font_size if args.font_size is not None else site.font_size
    server = KioskServer(
        app_command(args.cards, args.site, args.kiosk),
        host=args.host,
        port=args.port,
        title=site.name,
        font_size=_clamp(str(font_size), 24, *FONT_SIZE_RANGE),
        auto_reconnect=site.kiosk,
        language=site.default_language,
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
