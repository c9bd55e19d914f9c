"""Speech engines: Piper (a neural voice, when its file is installed) and espeak-ng.

An engine turns speech text into :class:`~kiosk.voice.audio.Pcm`. Its ``voice_id`` names
exactly what produced the audio (engine, version, voice, settings), so the cache never
plays audio from another voice. :func:`choose_engines` gives, for one language, the
engines to try in order: Piper when the site names a voice file for the language and it
loads, then espeak-ng when it is installed and has a voice for the language. An empty list
means the language is silent; the reasons say why.
"""

from __future__ import annotations

import contextlib
import io
import logging
import shutil
import subprocess
import threading
import wave
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Protocol

from kiosk.voice.audio import Pcm

log = logging.getLogger("kiosk.voice")


class OnceLog:
    """Logs each distinct message once: a failure repeats on every tap; the log must not."""

    def __init__(self, logger: logging.Logger = log) -> None:
        self.logger = logger
        self.seen: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, level: int, message: str) -> None:
        with self._lock:
            if message in self.seen:
                return
            self.seen.add(message)
        self.logger.log(level, message)


#: The process-wide one (``kiosk check`` and ``kiosk speak``); a VoiceService has its own.
log_once = OnceLog()


ESPEAK_COMMAND = "espeak-ng"
#: Words a minute: a little slower than espeak-ng's 175, for someone under stress.
ESPEAK_SPEED = 150
ESPEAK_TIMEOUT_SECONDS = 30.0
#: espeak-ng voices to try per language, best first.
ESPEAK_VOICES: dict[str, tuple[str, ...]] = {"en": ("en-gb", "en"), "uk": ("uk",)}
#: Site settings naming a Piper voice file, per language (``Site.voice_en``...).
PIPER_SETTINGS: dict[str, str] = {"en": "voice_en", "uk": "voice_uk"}


class Engine(Protocol):
    """What the renderer needs from an engine."""

    @property
    def name(self) -> str: ...

    @property
    def language(self) -> str: ...

    @property
    def voice_id(self) -> str:
        """Names exactly what produces the audio: part of the cache key."""
        ...

    def synthesize(self, text: str) -> Pcm:
        """Audio for ``text``; raises ``EngineError`` (or anything) when it cannot."""
        ...


class EngineError(Exception):
    """An engine could not produce audio."""


class PiperVoiceLike(Protocol):
    """The part of ``piper.PiperVoice`` (piper-tts 1.3+) the kiosk uses."""

    config: Any  # has .sample_rate and .espeak_voice

    def synthesize_wav(self, text: str, wav_file: wave.Wave_write) -> object: ...


# -- espeak-ng -------------------------------------------------------------------------


@dataclass
class EspeakEngine:
    """espeak-ng in a subprocess that writes a WAV to its stdout (nothing touches the disk)."""

    language: str
    voice: str
    version: str
    command: str = ESPEAK_COMMAND
    speed: int = ESPEAK_SPEED
    name: str = "espeak-ng"

    @property
    def voice_id(self) -> str:
        return f"espeak-ng {self.version} {self.voice} s{self.speed}"

    def synthesize(self, text: str) -> Pcm:
        argv = [self.command, "-v", self.voice, "-s", str(self.speed), "-b", "1"]
        argv += ["--stdout", "--stdin"]
        try:
            done = subprocess.run(
                argv,
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=ESPEAK_TIMEOUT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.SubprocessError) as error:
            raise EngineError(f"espeak-ng did not run: {error}") from None
        if done.returncode != 0:
            raise EngineError(f"espeak-ng exited with {done.returncode}: {_last_line(done.stderr)}")
        try:
            return Pcm.from_wav(done.stdout)
        except ValueError as error:
            raise EngineError(f"espeak-ng gave no usable audio: {error}") from None


@lru_cache(maxsize=4)
def _espeak_inventory(command: str) -> tuple[str, frozenset[str]] | str:
    """(version, voice names) of an installed espeak-ng, or why there is none."""
    path = shutil.which(command)
    if path is None:
        return f"{command} is not installed (Debian package espeak-ng)"
    try:
        version = subprocess.run(
            [path, "--version"], capture_output=True, timeout=10, check=False
        ).stdout.decode("utf-8", "replace")
        listing = subprocess.run(
            [path, "--voices"], capture_output=True, timeout=10, check=False
        ).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError) as error:
        return f"{command} does not run: {error}"
    words = version.split()
    number = next((w for w in words if w[:1].isdigit()), "unknown")
    names: set[str] = set()
    for line in listing.splitlines()[1:]:
        columns = line.split()
        if len(columns) >= 5:
            names.add(columns[1].lower())  # language, e.g. en-gb
            names.add(columns[4].lower().rsplit("/", 1)[-1])  # file, e.g. gmw/en -> en
    return number, frozenset(names)


def espeak_engine(language: str, command: str = ESPEAK_COMMAND) -> EspeakEngine | str:
    """The espeak-ng engine for ``language``, or the reason there is none."""
    inventory = _espeak_inventory(command)
    if isinstance(inventory, str):
        return inventory
    version, names = inventory
    base = language.split("-")[0].lower()
    candidates = ESPEAK_VOICES.get(base, (language.lower(), base))
    for voice in candidates:
        if voice in names:
            return EspeakEngine(language, voice, version, command=command)
    return f"espeak-ng has no voice for {language!r} (tried {', '.join(candidates)})"


# -- Piper -----------------------------------------------------------------------------


def load_piper_voice(model_path: Path) -> PiperVoiceLike:
    """``piper.PiperVoice.load``: raises ImportError without the ``voice`` extra."""
    from piper import PiperVoice  # type: ignore[import-not-found,unused-ignore]

    voice: PiperVoiceLike = PiperVoice.load(str(model_path))
    return voice


@dataclass
class PiperEngine:
    """A loaded Piper voice, run in the caller's thread (the renderer's, never the UI's)."""

    language: str
    model_path: Path
    voice: PiperVoiceLike
    name: str = "piper"
    voice_id: str = ""

    def __post_init__(self) -> None:
        if not self.voice_id:
            self.voice_id = f"piper {_file_identity(self.model_path)}"

    def synthesize(self, text: str) -> Pcm:
        buffer = io.BytesIO()
        writer = wave.open(buffer, "wb")  # noqa: SIM115 - closed below, also on failure
        try:
            self.voice.synthesize_wav(text, writer)
            writer.close()
        except Exception as error:  # onnxruntime and piper raise many kinds
            # Closing a writer that got no format raises too; the first error is the news.
            with contextlib.suppress(Exception):
                writer.close()
            raise EngineError(f"Piper failed: {error!r}") from None
        try:
            return Pcm.from_wav(buffer.getvalue())
        except ValueError as error:
            raise EngineError(f"Piper gave no usable audio: {error}") from None


def _file_identity(path: Path) -> str:
    """Name, size and modification time: a replaced voice file gets a new cache key."""
    try:
        info = path.stat()
    except OSError:
        return path.name
    return f"{path.name} {info.st_size} {info.st_mtime_ns}"


def piper_problem(language: str, model: str) -> str | None:
    """Why the Piper voice file ``model`` cannot serve ``language`` (without loading it)."""
    path = Path(model)
    if not path.is_file():
        return f"Piper voice file {model} not found"
    if not Path(f"{model}.json").is_file():
        return f"Piper voice config {model}.json not found (it comes with the .onnx file)"
    try:
        import importlib.util

        if importlib.util.find_spec("piper") is None:
            return "piper-tts is not installed (pip extra: first-aid-kiosk[voice])"
    except (ImportError, ValueError):
        return "piper-tts is not installed (pip extra: first-aid-kiosk[voice])"
    return None


def piper_engine(
    language: str,
    model: str,
    loader: Callable[[Path], PiperVoiceLike] = load_piper_voice,
) -> PiperEngine | str:
    """The Piper engine for ``language`` from the voice file ``model``, or why not."""
    path = Path(model)
    if not path.is_file():
        return f"Piper voice file {model} not found"
    try:
        voice = loader(path)
    except ImportError:
        return "piper-tts is not installed (pip extra: first-aid-kiosk[voice])"
    except Exception as error:
        return f"Piper voice file {model} does not load: {error!r}"
    spoken = str(getattr(getattr(voice, "config", None), "espeak_voice", "") or "")
    base = language.split("-")[0].lower()
    if spoken and spoken.split("-")[0].lower() != base:
        return f"Piper voice file {model} speaks {spoken!r}, not {language!r}"
    return PiperEngine(language, path, voice)


# -- choosing --------------------------------------------------------------------------


@dataclass
class EngineChoice:
    """The engines for one language, best first, and why better ones are missing."""

    language: str
    engines: list[Engine] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def available(self) -> bool:
        return bool(self.engines)

    @property
    def best(self) -> Engine | None:
        return self.engines[0] if self.engines else None


def piper_model_for(site: object, language: str) -> str:
    """The Piper voice file the site names for ``language`` ("" for none)."""
    setting = PIPER_SETTINGS.get(language.split("-")[0].lower())
    return str(getattr(site, setting, "") or "") if setting else ""


def choose_engines(
    language: str,
    site: object,
    *,
    piper_loader: Callable[[Path], PiperVoiceLike] = load_piper_voice,
    espeak_command: str = ESPEAK_COMMAND,
    note: Callable[[int, str], None] = log_once,
) -> EngineChoice:
    """Piper if the site's voice file for ``language`` loads, then espeak-ng.

    Each reason a better engine is missing goes to ``note`` (a :class:`OnceLog`).
    """
    choice = EngineChoice(language)
    model = piper_model_for(site, language)
    if model:
        piper = piper_engine(language, model, piper_loader)
        if isinstance(piper, str):
            choice.reasons.append(piper)
            note(logging.WARNING, f"voice {language}: {piper}; trying espeak-ng")
        else:
            choice.engines.append(piper)
    espeak = espeak_engine(language, espeak_command)
    if isinstance(espeak, str):
        choice.reasons.append(espeak)
        if not choice.engines:
            note(logging.WARNING, f"voice {language}: {espeak}; {language} is silent")
    else:
        choice.engines.append(espeak)
    return choice


def _last_line(blob: bytes | str | None) -> str:
    if not blob:
        return "no message"
    text = blob.decode("utf-8", "replace") if isinstance(blob, bytes) else blob
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:200] if lines else "no message"
