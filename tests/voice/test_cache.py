"""The cache: by content hash; a read-only or full disk costs memory, not speech."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.site import Site
from kiosk.voice.audio import Pcm
from kiosk.voice.cache import TAG_NAME, AudioCache, cache_dir_for, cache_name

pytestmark = [pytest.mark.data]

PCM = Pcm.from_samples([0, 1000, -1000, 0] * 100, 22050)


def test_the_name_depends_on_text_language_and_voice() -> None:
    base = cache_name("Step 1.", "en", "espeak-ng 1.51 en-gb s150")
    assert base.endswith(".wav") and len(base) == 36
    assert cache_name("Step 1.", "en", "espeak-ng 1.51 en-gb s150") == base
    assert cache_name("Step 2.", "en", "espeak-ng 1.51 en-gb s150") != base
    assert cache_name("Step 1.", "uk", "espeak-ng 1.51 en-gb s150") != base
    assert cache_name("Step 1.", "en", "espeak-ng 1.52 en-gb s150") != base


def test_put_then_get_round_trips_through_a_wav_file(tmp_path: Path) -> None:
    cache = AudioCache(tmp_path / "voice")
    cache.put("a" * 32 + ".wav", PCM)
    assert (tmp_path / "voice" / ("a" * 32 + ".wav")).is_file()
    assert (tmp_path / "voice" / TAG_NAME).is_file()
    assert cache.get("a" * 32 + ".wav") == PCM
    assert not [p for p in (tmp_path / "voice").iterdir() if p.name.startswith(".partial")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through read-only permissions")
def test_a_read_only_folder_keeps_speech_in_memory(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        cache = AudioCache(folder)
        cache.put("b" * 32 + ".wav", PCM)
        assert not cache.writable
        assert cache.get("b" * 32 + ".wav") == PCM
    finally:
        folder.chmod(0o755)


def test_a_folder_that_cannot_be_made_keeps_speech_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    cache = AudioCache(blocker / "voice")  # mkdir fails: a file is in the way (as root too)
    cache.put("c" * 32 + ".wav", PCM)
    assert not cache.writable
    assert cache.get("c" * 32 + ".wav") == PCM
    assert cache.has("c" * 32 + ".wav")


def test_a_corrupt_file_is_a_miss_not_a_crash(tmp_path: Path) -> None:
    cache = AudioCache(tmp_path)
    (tmp_path / ("d" * 32 + ".wav")).write_bytes(b"RIFF garbage")
    assert cache.get("d" * 32 + ".wav") is None


def test_prune_deletes_only_our_stale_files_in_our_folder(tmp_path: Path) -> None:
    cache = AudioCache(tmp_path / "voice")
    keep, stale = "e" * 32 + ".wav", "f" * 32 + ".wav"
    cache.put(keep, PCM)
    cache.put(stale, PCM)
    (tmp_path / "voice" / "notes.wav").write_bytes(b"an operator's file")
    assert cache.prune([keep]) == 1
    names = sorted(p.name for p in (tmp_path / "voice").iterdir())
    assert names == [TAG_NAME, keep, "notes.wav"]
    # A folder without our tag is never pruned, even of files named like ours.
    other = tmp_path / "other"
    other.mkdir()
    (other / stale).write_bytes(PCM.to_wav())
    assert AudioCache(other).prune([]) == 0
    assert (other / stale).exists()


def test_where_the_cache_goes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert cache_dir_for(Site(voice_cache_dir="/var/cache/kiosk/voice")) == Path(
        "/var/cache/kiosk/voice"
    )
    assert cache_dir_for(Site(log_dir="/run/kiosk")) == Path("/run/kiosk/voice-cache")
    monkeypatch.setenv("KIOSK_LOG_DIR", str(tmp_path))
    assert cache_dir_for(Site()) == tmp_path / "voice-cache"
