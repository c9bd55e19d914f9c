"""Playback that never blocks the caller and never takes the kiosk down with it.

A :class:`Player` owns one worker thread. ``play()`` and ``stop()`` return at once: they
hand a request to the worker and, when something is playing, kill its player process
(a signal, not a wait). The worker streams raw PCM to the OS player's stdin (``aplay``
from alsa-utils, else ``paplay`` or ``pw-play``), with non-blocking writes and deadlines,
so a player that hangs, crashes or finds no sound card costs a log line, not a frozen
screen.

Why a subprocess and not a Python audio library: the OS players are on every Raspberry
Pi OS image (alsa-utils), need no wheel with native code, and run in their own process:
a crash in the audio stack cannot reach the kiosk, and stopping is a kill.

The state (:attr:`Player.available`, :attr:`Player.reason_unavailable`) is always
current: unknown until the first play (the start-up probe plays 0.1 s of silence), then
what the last play found. Listeners hear of each change, on the worker thread.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import re
import select
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Callable, Protocol

from kiosk.voice.audio import SAMPLE_WIDTH, Pcm
from kiosk.voice.engines import OnceLog, log_once

log = logging.getLogger("kiosk.voice")

#: OS players that read raw S16LE mono PCM on stdin, best first; ``{rate}`` is filled in.
#: aplay's buffer is kept at 100 ms so that Stop is heard at once and the CPR tick lines
#: up with the screen.
PLAYER_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("aplay", "-q", "-t", "raw", "-f", "S16_LE", "-c", "1", "-r", "{rate}", "-B", "100000", "-"),
    ("paplay", "--raw", "--format=s16le", "--channels=1", "--rate={rate}"),
    ("pw-play", "--format=s16", "--channels=1", "--rate={rate}", "-"),
)
#: A write that cannot go through for this long means the player stopped reading.
WRITE_DEADLINE_SECONDS = 3.0
#: Time allowed past the end of the audio for the player to drain and exit.
DRAIN_GRACE_SECONDS = 3.0
CHUNK_SECONDS = 0.05
#: The start-up probe: this much silence, played to learn whether there is a sound card.
PROBE_SECONDS = 0.1


def find_player_command(
    commands: Sequence[Sequence[str]] = PLAYER_COMMANDS,
) -> tuple[str, ...] | None:
    """The first player command installed (with its path resolved), or None."""
    for command in commands:
        path = shutil.which(command[0])
        if path:
            return (path, *command[1:])
    return None


class SinkStream(Protocol):
    """One playback: bytes in, then an outcome."""

    def write(self, data: bytes, deadline: float) -> str | None:
        """Write all of ``data``; a failure reason, or None."""
        ...

    def finish(self, deadline: float, superseded: Callable[[], bool]) -> str | None:
        """End of input: wait for the player to drain; a failure reason, or None."""
        ...

    def kill(self) -> None:
        """Stop at once (from any thread)."""
        ...


class Sink(Protocol):
    """Where audio goes: a player command, or a fake in tests and benchmarks."""

    name: str

    def open(self, rate: int) -> SinkStream | str:
        """A new stream, or why it cannot start."""
        ...


class CommandSink:
    """An OS player process per playback, fed raw PCM on stdin."""

    def __init__(self, command: Sequence[str]) -> None:
        self.command = tuple(command)
        self.name = os.path.basename(self.command[0])

    def open(self, rate: int) -> SinkStream | str:
        argv = [part.replace("{rate}", str(rate)) for part in self.command]
        try:
            process = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,  # keystrokes' signals never reach it
            )
        except OSError as error:
            return f"{self.name} does not start: {error.strerror or error}"
        return _ProcessStream(process, self.name)


class _ProcessStream:
    def __init__(self, process: subprocess.Popen[bytes], name: str) -> None:
        self.process = process
        self.name = name
        self.killed = False
        assert process.stdin is not None
        self.fd = process.stdin.fileno()
        os.set_blocking(self.fd, False)

    def write(self, data: bytes, deadline: float) -> str | None:
        view = memoryview(data)
        while view:
            wait = deadline - time.monotonic()
            if wait <= 0:
                self.kill()
                return f"{self.name} stopped reading audio"
            try:
                _, writable, _ = select.select([], [self.fd], [], min(wait, 0.25))
                if writable:
                    view = view[os.write(self.fd, view) :]
            except BlockingIOError:
                continue
            except (BrokenPipeError, ValueError, OSError):
                if self.killed:
                    return None
                return self._exit_reason(wait_seconds=1.0) or f"{self.name} closed its input"
        return None

    def finish(self, deadline: float, superseded: Callable[[], bool]) -> str | None:
        try:
            assert self.process.stdin is not None
            self.process.stdin.close()
        except OSError:
            pass
        while self.process.poll() is None:
            if superseded():
                self.kill()
                return None
            if time.monotonic() > deadline:
                self.kill()
                return f"{self.name} did not finish playing"
            time.sleep(0.02)
        return None if self.killed else self._exit_reason(wait_seconds=0)

    def _exit_reason(self, wait_seconds: float) -> str | None:
        try:
            code = self.process.wait(timeout=wait_seconds)
        except subprocess.TimeoutExpired:
            self.kill()
            return f"{self.name} stopped reading audio"
        if code == 0 or self.killed:
            return None
        message = ""
        if self.process.stderr is not None:
            try:
                os.set_blocking(self.process.stderr.fileno(), False)
                message = (self.process.stderr.read(4096) or b"").decode("utf-8", "replace")
            except (OSError, ValueError):
                message = ""
        lines = [line.strip() for line in message.splitlines() if line.strip()]
        detail = lines[-1][:160] if lines else f"exit status {code}"
        # "aplay: main:831: audio open error: ..." -> "audio open error: ..."
        detail = re.sub(rf"^(?:{re.escape(self.name)}:\s*|\w+:\d+:\s*)+", "", detail)
        return f"{self.name}: {detail}"

    def kill(self) -> None:
        self.killed = True
        with contextlib.suppress(OSError):
            self.process.kill()

    def close(self) -> None:
        for pipe in (self.process.stdin, self.process.stderr):
            try:
                if pipe is not None:
                    pipe.close()
            except OSError:
                pass
        if self.process.poll() is None:
            self.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=1.0)


@dataclass
class Prepared:
    """Audio ready to stream: its rate, its chunks, and its length if it has one."""

    rate: int
    chunks: Iterator[bytes]
    seconds: float | None = None  # None: endless (the CPR track)


@dataclass
class Source:
    """Audio to play. ``prepare`` runs on the worker thread, never the caller's: it may
    render (a cache miss) first. None means there is nothing to play."""

    label: str
    prepare: Callable[[], Prepared | None]

    @classmethod
    def from_pcm(cls, label: str, pcm: Pcm) -> Source:
        return cls(label, lambda: prepared_pcm(pcm))


def prepared_pcm(pcm: Pcm) -> Prepared:
    def chunks() -> Iterator[bytes]:
        size = SAMPLE_WIDTH * max(1, round(CHUNK_SECONDS * pcm.rate))
        for start in range(0, len(pcm.data), size):
            yield pcm.data[start : start + size]

    return Prepared(pcm.rate, chunks(), pcm.duration)


class Player:
    """One worker thread; the newest request wins; see the module docstring."""

    def __init__(
        self,
        sink: Sink | None,
        *,
        note: OnceLog = log_once,
        missing_reason: str = "no audio player installed (aplay, from the alsa-utils package)",
    ) -> None:
        self.sink = sink
        self.note = note
        self.available: bool | None = None if sink is not None else False
        self.reason_unavailable = "" if sink is not None else missing_reason
        self.plays = 0  # finished without a failure (tests poll it)
        self.failures = 0
        self._listeners: list[Callable[[], None]] = []
        self._requests: queue.Queue[tuple[int, Source] | None] = queue.Queue()  # None: close
        self._generation = 0
        self._pending = 0  # requests handed in and not yet finished (see ``idle``)
        self._lock = threading.Lock()
        self._current: SinkStream | None = None
        self._thread: threading.Thread | None = None
        self.playing = threading.Event()
        if sink is None:
            note(logging.WARNING, f"voice unavailable: {missing_reason}")

    # -- the caller's side: all return at once ----------------------------------------

    def play(self, source: Source) -> None:
        """Play ``source``, cutting off whatever is playing."""
        if self.sink is None:
            return
        self._ensure_thread()
        with self._lock:
            self._generation += 1
            generation = self._generation
            current = self._current
            self._pending += 1
        if current is not None:
            current.kill()
        self._requests.put((generation, source))

    @property
    def idle(self) -> bool:
        """Nothing is playing or waiting to play (what was asked has finished or was cut)."""
        with self._lock:
            return self._pending == 0

    def stop(self) -> None:
        """Silence now."""
        with self._lock:
            self._generation += 1
            current = self._current
        if current is not None:
            current.kill()

    def probe(self) -> None:
        """Learn whether audio works by playing a moment of silence."""
        self.play(Source.from_pcm("probe", Pcm.silence(PROBE_SECONDS, 22050)))

    def add_listener(self, callback: Callable[[], None]) -> None:
        """``callback()`` after each change of availability (on the worker thread)."""
        self._listeners.append(callback)

    def close(self, timeout: float = 2.0) -> None:
        self.stop()
        if self._thread is not None:
            self._requests.put(None)
            self._thread.join(timeout)

    # -- the worker's side ------------------------------------------------------------

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="kiosk-voice-player", daemon=True
                )
                self._thread.start()

    def _superseded(self, generation: int) -> bool:
        return generation != self._generation

    def _run(self) -> None:
        while True:
            request = self._requests.get()
            if request is None:
                return
            generation, source = request
            try:
                if not self._superseded(generation):
                    self._play(generation, source)
            except Exception as error:  # a bug here must only cost the sound
                self._failed(f"voice player error: {error!r}")
            finally:
                self.playing.clear()
                with self._lock:
                    self._pending -= 1

    def _play(self, generation: int, source: Source) -> None:
        assert self.sink is not None
        prepared = source.prepare()  # may render or wait for the engines: before the player
        if prepared is None or self._superseded(generation):
            return
        opened = self.sink.open(prepared.rate)
        if isinstance(opened, str):
            self._failed(opened)
            return
        with self._lock:
            if self._superseded(generation):
                _close(opened)
                return
            self._current = opened
        self.playing.set()
        started = time.monotonic()
        try:
            failure = self._stream(generation, opened, prepared.chunks)
            if failure is None and not self._superseded(generation):
                length = prepared.seconds if prepared.seconds is not None else 0.0
                deadline = started + length + DRAIN_GRACE_SECONDS
                failure = opened.finish(deadline, lambda: self._superseded(generation))
        finally:
            with self._lock:
                if self._current is opened:
                    self._current = None
            _close(opened)
        if self._superseded(generation):
            return
        if failure is not None:
            self._failed(failure)
        else:
            self._worked()

    def _stream(self, generation: int, stream: SinkStream, chunks: Iterator[bytes]) -> str | None:
        for chunk in chunks:
            if self._superseded(generation):
                stream.kill()
                return None
            failure = stream.write(chunk, time.monotonic() + WRITE_DEADLINE_SECONDS)
            if failure is not None:
                return failure
        return None

    def _failed(self, reason: str) -> None:
        self.failures += 1
        self.note(logging.WARNING, f"voice unavailable: {reason}")
        self._set(False, reason)

    def _worked(self) -> None:
        self.plays += 1
        if self.available is False:
            log.info("voice: audio plays again")
        self._set(True, "")

    def _set(self, available: bool, reason: str) -> None:
        changed = (available, reason) != (self.available, self.reason_unavailable)
        self.available, self.reason_unavailable = available, reason
        if changed:
            for callback in list(self._listeners):
                try:
                    callback()
                except Exception as error:  # a listener's bug must not stop the player
                    log.warning("voice status listener failed: %r", error)


class MemorySink:
    """A fake sink that keeps what it is given, with the time of each playback's first
    byte (``time.perf_counter``): for tests and the latency benchmark."""

    name = "memory"

    def __init__(self, *, fail: str | None = None, bytes_per_second: float | None = None):
        self.fail = fail
        self.bytes_per_second = bytes_per_second  # None: takes bytes as fast as they come
        self.streams: list[MemoryStream] = []
        self.opened = threading.Event()

    def open(self, rate: int) -> SinkStream | str:
        if self.fail is not None:
            return self.fail
        stream = MemoryStream(rate, self.bytes_per_second)
        self.streams.append(stream)
        self.opened.set()
        return stream


class MemoryStream:
    def __init__(self, rate: int, bytes_per_second: float | None) -> None:
        self.rate = rate
        self.bytes_per_second = bytes_per_second
        self.data = bytearray()
        self.first_byte_at: float | None = None
        self.killed = False
        self.finished = False

    def write(self, data: bytes, deadline: float) -> str | None:
        if self.killed:
            return None
        if self.first_byte_at is None:
            self.first_byte_at = time.perf_counter()
        self.data += data
        if self.bytes_per_second:
            time.sleep(len(data) / self.bytes_per_second)
        return None

    def finish(self, deadline: float, superseded: Callable[[], bool]) -> str | None:
        self.finished = True
        return None

    def kill(self) -> None:
        self.killed = True


def _close(stream: SinkStream) -> None:
    close = getattr(stream, "close", None)
    if callable(close):
        close()
