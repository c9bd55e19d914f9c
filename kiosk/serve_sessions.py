"""The app processes behind ``kiosk serve``: one per browser session, and one kept warm.

Starting ``python -m kiosk run`` takes seconds on small hardware (2.7 to 4.3 s to the
first text on a 2-core VM), so :class:`AppProcesses` keeps one process started in
advance. Its output is held back (:class:`KioskAppService` buffers it) until a browser
connects; the browser then gets the screen that is already drawn, and a new process is
warmed a moment later. A warm process is fresh state by construction: nobody has touched
it. It is replaced when it dies, when it is older than :data:`WARM_MAX_AGE_SECONDS`, when
the deck or site it was started with has changed on disk (``kiosk deck install`` swaps
the ``current`` link), or when it has written more than :data:`WARM_BUFFER_LIMIT` bytes
while waiting.

Limits: at most ``max_sessions`` sessions; a further browser takes the place of the
stalest session (the one whose browser sent nothing for longest), so squatting
connections cannot keep the kiosk's own page out. At most ``warm`` warm processes, and
at most :data:`MAX_STOPPING` processes still quitting, so the total never exceeds
``max_sessions + warm + MAX_STOPPING``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Union

from aiohttp import web
from textual_serve.download_manager import DownloadManager

from kiosk.compat.textual_serve import AppServiceBase, close_process_pipes
from kiosk.fleet.watchdog import NOTIFY_VARIABLES
from kiosk.web_bridge import FONT_SCALE_META, clamp_font_scale

log = logging.getLogger("kiosk.serve")

STOP_TIMEOUT_SECONDS = 3.0
"""How long an app process may take to quit after its browser left before it is killed."""

WARM_PROCESSES = 1
"""App processes kept started and ready for the next browser (0 turns warm starts off)."""

WARM_REFILL_DELAY_SECONDS = 1.0
"""After a warm process is handed over, wait this long before starting the next, so the
session just handed over has the CPU while it paints."""

WARM_MAX_AGE_SECONDS = 3600.0
"""A warm process older than this is replaced, whatever else."""

WARM_BUFFER_LIMIT = 4 * 1024 * 1024
"""A warm process that writes more than this before a browser takes it is replaced."""

WARM_RETRY_MAX_SECONDS = 60.0
"""Upper bound of the pause before warming again after warm processes died young."""

PAINTED_BYTES = 256
"""A write at least this long is a screen paint (the set-up before it is a few bytes at a time)."""

REPAINT_TIMEOUT = 5.0
"""Seconds a browser waits at most for a warm process to repaint at its size."""
REPAINT_QUIET = 0.25
"""Seconds without output after a paint that mean the repaint is done."""

MAX_STOPPING = 2
"""App processes that may still be quitting when a new session is asked for."""

BlockedMeta = frozenset({"open_url", "deliver_file_start"})

Pending = Union[bytes, str]


class Busy(Exception):
    """No app process can be started now (every slot, warm and quitting ones included, taken)."""


class KioskAppService(AppServiceBase):
    """One app process. Until :meth:`attach`, its output is kept, not sent.

    Also drops the messages that would open a URL or a download in the browser, and
    forwards the app's font-scale request (:mod:`kiosk.web_bridge`) to the page.
    """

    def __init__(
        self,
        command: str,
        *,
        download_manager: DownloadManager,
        debug: bool = False,
        environment: dict[str, str] | None = None,
        fingerprint: Hashable = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(
            command,
            write_bytes=self._write_bytes,
            write_str=self._write_str,
            close=self._close,
            download_manager=download_manager,
            debug=debug,
        )
        self._environment = dict(environment or {})
        self.fingerprint = fingerprint
        self.clock = clock
        self.started_at: float | None = None
        self.size: tuple[int, int] = (80, 24)
        self.websocket: web.WebSocketResponse | None = None
        self._pending: list[Pending] = []
        self.pending_bytes = 0
        self.overflowed = False
        self.painted_at: float | None = None
        """When the app first wrote a screen (not just terminal set-up)."""
        self._repainted: asyncio.Event | None = None
        self._output_lock = asyncio.Lock()

    def extra_environment(self) -> dict[str, str]:
        return self._environment

    def removed_environment(self) -> tuple[str, ...]:
        """The server pings systemd from its own loop; an app process must not."""
        return NOTIFY_VARIABLES

    async def start(self, width: int, height: int) -> None:
        self.size = (width, height)
        self.started_at = self.clock()
        await super().start(width, height)

    @property
    def age(self) -> float:
        return 0.0 if self.started_at is None else self.clock() - self.started_at

    @property
    def alive(self) -> bool:
        """Started, and its output reader still runs (so the process has not ended)."""
        reader = self.reader
        return reader is not None and not reader.done()

    # --- output ------------------------------------------------------------------

    def _keep(self, item: Pending) -> None:
        self.pending_bytes += len(item)
        if self.pending_bytes > WARM_BUFFER_LIMIT:
            if not self.overflowed:
                log.warning(
                    "a warm app process wrote over %d bytes unseen; replacing it", WARM_BUFFER_LIMIT
                )
            self.overflowed = True
            self._pending.clear()
            return
        if self._pending and isinstance(item, bytes) and isinstance(self._pending[-1], bytes):
            self._pending[-1] += item
        else:
            self._pending.append(item)

    async def _send(self, item: Pending) -> None:
        websocket = self.websocket
        if websocket is None or websocket.closed:
            return
        try:
            if isinstance(item, bytes):
                await websocket.send_bytes(item)
            else:
                await websocket.send_str(item)
        except (ConnectionError, RuntimeError):  # the browser has gone; the session ends
            pass

    @property
    def painted(self) -> bool:
        return self.painted_at is not None

    async def _write_bytes(self, data: bytes) -> None:
        if len(data) >= PAINTED_BYTES:
            if self.painted_at is None:
                self.painted_at = self.clock()
            if self._repainted is not None:
                self._repainted.set()  # (resize_before_attach waits for a quiet moment)
        async with self._output_lock:
            if self.websocket is None:
                self._keep(data)
            else:
                await self._send(data)

    async def _write_str(self, text: str) -> None:
        async with self._output_lock:
            if self.websocket is None:
                self._keep(text)
            else:
                await self._send(text)

    async def _close(self) -> None:
        websocket = self.websocket
        if websocket is not None and not websocket.closed:
            await websocket.close()

    async def resize_before_attach(
        self, width: int, height: int, timeout: float = REPAINT_TIMEOUT
    ) -> None:
        """Resize a process no browser sees yet, and wait (at most ``timeout``) for its repaint.

        A warm process drawn at another size is handed over with its new screen already
        behind the old one, so the browser never shows (or takes taps on) the old layout.
        A process that has not painted yet is waited for first. The repaint is over when
        the output has been quiet for ``REPAINT_QUIET`` after its first paint-sized write:
        on a loaded Pi the new layout can take a few frames (the card pages are split
        after the first layout).
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        self._repainted = asyncio.Event()
        if not self.painted:
            # Still starting: a size sent before the app's first paint is lost (its start
            # sets the size it was spawned with), and the browser kept an 80x24 layout.
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._repainted.wait(), timeout=timeout)
            self._repainted.clear()
        self.size = (width, height)
        await self.set_terminal_size(width, height)
        with contextlib.suppress(asyncio.TimeoutError):
            while True:
                await asyncio.wait_for(self._repainted.wait(), timeout=deadline - loop.time())
                self._repainted.clear()
                quiet = min(REPAINT_QUIET, max(0.0, deadline - loop.time()))
                try:
                    await asyncio.wait_for(self._repainted.wait(), timeout=quiet)
                except asyncio.TimeoutError:
                    break  # nothing more to draw
        self._repainted = None

    async def attach(self, websocket: web.WebSocketResponse) -> None:
        """From now on the output goes to ``websocket``, starting with all that was kept."""
        async with self._output_lock:
            pending, self._pending = self._pending, []
            self.pending_bytes = 0
            self.websocket = websocket
            for item in pending:
                await self._send(item)

    # --- meta from the app -----------------------------------------------------------

    async def on_meta(self, data: bytes) -> None:
        try:
            meta = json.loads(data)
            meta_type = meta.get("type")
        except (ValueError, AttributeError, RecursionError):
            log.warning("ignored an unreadable message from the app")
            return
        if meta_type in BlockedMeta:
            log.warning("blocked a %r request from the app (not allowed on the kiosk)", meta_type)
            return
        if meta_type == FONT_SCALE_META:
            scale = clamp_font_scale(meta.get("scale"))
            if scale is not None:
                await self._write_str(json.dumps([FONT_SCALE_META, {"scale": scale}]))
            return
        await super().on_meta(data)

    async def on_packed(self, payload: bytes) -> None:
        log.warning("ignored a file chunk from the app (downloads are disabled)")

    # --- ending ------------------------------------------------------------------------

    async def kill(self) -> None:
        """End the app process now and reap it."""
        process = self.process
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
        close_process_pipes(process)

    async def stop_or_kill(self) -> None:
        """Ask the app to quit; kill it if it has not within :data:`STOP_TIMEOUT_SECONDS`."""
        if self.process is None:
            return
        stopping = asyncio.ensure_future(self.stop())
        done, _ = await asyncio.wait({stopping}, timeout=STOP_TIMEOUT_SECONDS)
        if not done:
            log.warning("the app did not quit within %g s; killing it", STOP_TIMEOUT_SECONDS)
        await self.kill()
        try:
            await asyncio.wait_for(stopping, timeout=STOP_TIMEOUT_SECONDS)
        except Exception:
            log.exception("stopping the app process failed")


@dataclass
class Session:
    """A browser session: its websocket and when its browser last sent something."""

    websocket: web.WebSocketResponse
    opened: float
    last_input: float
    warm: bool = False


async def _close_quietly(websocket: web.WebSocketResponse) -> None:
    """Close a websocket, prepared or not yet (its handler then sees it was retired)."""
    with contextlib.suppress(Exception):
        if websocket.prepared and not websocket.closed:
            await websocket.close()


class AppProcesses:
    """The sessions' app processes, the warm one, and those still quitting."""

    def __init__(
        self,
        command: str,
        *,
        max_sessions: int,
        warm: int = WARM_PROCESSES,
        download_manager: DownloadManager,
        environment: dict[str, str] | None = None,
        fingerprint: Callable[[], Hashable] = lambda: None,
        debug: bool = False,
        clock: Callable[[], float] = time.monotonic,
        warm_max_age: float = WARM_MAX_AGE_SECONDS,
        refill_delay: float = WARM_REFILL_DELAY_SECONDS,
    ) -> None:
        self.command = command
        self.max_sessions = max(1, max_sessions)
        self.warm_count = max(0, min(1, warm))
        self.download_manager = download_manager
        self.environment = dict(environment or {})
        self.fingerprint = fingerprint
        self.debug = debug
        self.clock = clock
        self.warm_max_age = warm_max_age
        self.refill_delay = refill_delay
        self.sessions: dict[KioskAppService, Session] = {}
        self.warm: KioskAppService | None = None
        self.stopping: set[KioskAppService] = set()
        self.size: tuple[int, int] = (80, 24)
        """The size of the last session, for the next warm process."""
        self.warm_handed_over = 0
        self.cold_started = 0
        self._wake: asyncio.Event | None = None  # made in the running loop (Python 3.9)
        self._not_before = 0.0
        self._failures = 0
        self._closing = False
        self._starting: KioskAppService | None = None
        self._background: set[asyncio.Task[None]] = set()

    # --- counts --------------------------------------------------------------------

    @property
    def limit(self) -> int:
        return self.max_sessions + self.warm_count + MAX_STOPPING

    @property
    def running(self) -> int:
        return (
            len(self.sessions)
            + (self.warm is not None)
            + (self._starting is not None)
            + len(self.stopping)
        )

    @property
    def warm_ready(self) -> bool:
        """A warm process is alive and has drawn its first screen."""
        return self.warm is not None and self.warm.alive and self.warm.painted

    def _poke(self) -> None:
        if self._wake is not None:
            self._wake.set()

    def _new_service(self) -> KioskAppService:
        return KioskAppService(
            self.command,
            download_manager=self.download_manager,
            debug=self.debug,
            environment=self.environment,
            fingerprint=self.fingerprint(),
            clock=self.clock,
        )

    # --- sessions ------------------------------------------------------------------

    def stalest(self) -> KioskAppService | None:
        """The session whose browser has been silent longest (the oldest on a tie)."""
        if not self.sessions:
            return None
        return min(
            self.sessions, key=lambda s: (self.sessions[s].last_input, self.sessions[s].opened)
        )

    def claim(self, websocket: web.WebSocketResponse) -> KioskAppService:
        """A process for a new session: the warm one if it is fit, else a new one (not started).

        When every session is taken, the stalest is closed to make room. Raises
        :class:`Busy` if no process may be started now.
        """
        if self._closing:
            raise Busy("shutting down")
        warm = self.warm
        warm_fit = warm is not None and warm.alive and not self._stale(warm)
        if not warm_fit and self.running >= self.limit:
            # Checked first: making room below would close a session for nothing.
            raise Busy(f"{self.running} app processes running or quitting")
        while len(self.sessions) >= self.max_sessions:
            stalest = self.stalest()
            assert stalest is not None
            log.warning(
                "every session (%d) is taken: closing the one silent for %.0f s",
                self.max_sessions,
                self.clock() - self.sessions[stalest].last_input,
            )
            self._retire(stalest)
        service = self._take_warm()
        if service is None:
            service = self._new_service()
            self.cold_started += 1
        else:
            self.warm_handed_over += 1
        now = self.clock()
        self.sessions[service] = Session(
            websocket, opened=now, last_input=now, warm=service is warm
        )
        return service

    def _take_warm(self) -> KioskAppService | None:
        warm = self.warm
        if warm is None:
            return None
        self.warm = None
        self._not_before = max(self._not_before, self.clock() + self.refill_delay)
        self._poke()
        if warm.alive and not self._stale(warm):
            return warm
        self._stop_in_background(warm)
        return None

    def touch(self, service: KioskAppService) -> None:
        """The browser of ``service`` sent something."""
        session = self.sessions.get(service)
        if session is not None:
            session.last_input = self.clock()

    def _retire(self, service: KioskAppService) -> None:
        """Take a session out of the count now and close its browser; its handler ends it."""
        session = self.sessions.pop(service, None)
        if session is None:
            return
        self.stopping.add(service)
        self._spawn(_close_quietly(session.websocket))

    def is_open(self, service: KioskAppService) -> bool:
        """False once the session of ``service`` has been closed to make room."""
        return service in self.sessions

    async def end(self, service: KioskAppService) -> None:
        """The session of ``service`` is over: stop its process (kill it if it hangs)."""
        self.sessions.pop(service, None)
        self.stopping.add(service)
        try:
            await service.stop_or_kill()
        finally:
            self.stopping.discard(service)
            self._poke()

    def _stop_in_background(self, service: KioskAppService) -> None:
        self.stopping.add(service)
        self._spawn(self._finish_stopping(service))

    async def _finish_stopping(self, service: KioskAppService) -> None:
        try:
            await service.stop_or_kill()
        finally:
            self.stopping.discard(service)
            self._poke()

    def _spawn(self, awaitable: Awaitable[object]) -> None:
        async def run() -> None:
            await awaitable

        task = asyncio.ensure_future(run())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # --- the warm process ------------------------------------------------------------

    def _stale(self, service: KioskAppService) -> bool:
        return (
            service.overflowed
            or service.age > self.warm_max_age
            or service.fingerprint != self.fingerprint()
        )

    async def keep_warm(self, interval: float = 1.0) -> None:
        """Run while serving: keep a fit warm process ready."""
        if self.warm_count == 0:
            return
        self._wake = asyncio.Event()
        while not self._closing:
            try:
                await self._check_warm()
            except Exception:  # never let the keeper die
                log.exception("keeping an app process warm failed")
                self._not_before = self.clock() + WARM_RETRY_MAX_SECONDS
            self._wake.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=interval)

    async def _check_warm(self) -> None:
        warm = self.warm
        if warm is not None:
            if not warm.alive:
                self.warm = None
                self._died_young(warm)
                self._stop_in_background(warm)
            elif self._stale(warm):
                log.info("replacing the warm app process (deck or site changed, or too old)")
                self.warm = None
                self._stop_in_background(warm)
            return
        if self.clock() < self._not_before or self.running >= self.limit:
            return
        service = self._new_service()
        self._starting = service
        try:
            await service.start(*self.size)
        except Exception:
            self._died_young(service)
            raise
        finally:
            self._starting = None
        if self._closing:
            await service.kill()
            return
        self.warm = service

    def _died_young(self, service: KioskAppService) -> None:
        if service.age < 10.0:
            self._failures += 1
            pause = min(WARM_RETRY_MAX_SECONDS, 2.0**self._failures)
            log.warning(
                "the warm app process ended after %.1f s; trying again in %g s", service.age, pause
            )
            self._not_before = self.clock() + pause
        else:
            self._failures = 0
            log.warning("the warm app process ended; starting another")

    async def close(self) -> None:
        """Kill every process (server shutdown)."""
        self._closing = True
        self._poke()
        services = list(self.sessions) + list(self.stopping) + ([self.warm] if self.warm else [])
        self.warm = None
        await asyncio.gather(*(service.kill() for service in services), return_exceptions=True)
        for task in list(self._background):
            task.cancel()
