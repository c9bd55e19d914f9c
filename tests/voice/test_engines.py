"""Choosing an engine: Piper when its file loads, else espeak-ng, else silent; logged once."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from voicehelpers import FakePiperVoice, needs_espeak

from kiosk.site import Site
from kiosk.voice.engines import (
    EngineError,
    EspeakEngine,
    OnceLog,
    PiperEngine,
    choose_engines,
    piper_problem,
)

pytestmark = [pytest.mark.data]


def voice_file(tmp_path: Path, name: str = "uk_UA-test-medium.onnx") -> Path:
    model = tmp_path / name
    model.write_bytes(b"not really onnx")
    Path(f"{model}.json").write_text("{}", encoding="utf-8")
    return model


def test_piper_is_chosen_when_its_voice_loads_and_speaks_through_the_same_interface(
    tmp_path: Path,
) -> None:
    model = voice_file(tmp_path)
    fake = FakePiperVoice("uk")
    loaded: list[Path] = []

    def loader(path: Path) -> FakePiperVoice:
        loaded.append(path)
        return fake

    site = Site(voice_uk=str(model))
    choice = choose_engines("uk", site, piper_loader=loader, espeak_command="no-such-espeak")
    assert loaded == [model]
    assert isinstance(choice.best, PiperEngine)
    pcm = choice.best.synthesize("Два вдихи.")
    assert fake.texts == ["Два вдихи."]
    assert pcm.rate == 16000
    assert pcm.duration == pytest.approx(0.06 * len("Два вдихи."), abs=0.01)
    assert model.name in choice.best.voice_id


def test_a_replaced_voice_file_gets_a_new_voice_id(tmp_path: Path) -> None:
    model = voice_file(tmp_path)
    first = PiperEngine("uk", model, FakePiperVoice()).voice_id
    model.write_bytes(b"another voice, longer")
    assert PiperEngine("uk", model, FakePiperVoice()).voice_id != first


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda tmp: str(tmp / "missing.onnx"), "not found"),
        (lambda tmp: str(voice_file(tmp)), "does not load"),
    ],
)
def test_a_piper_voice_that_cannot_be_used_falls_back_and_is_logged_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, make, reason: str
) -> None:
    def broken_loader(path: Path) -> FakePiperVoice:
        raise RuntimeError("bad model")

    note = OnceLog(logging.getLogger("kiosk.voice"))
    site = Site(voice_uk=make(tmp_path))
    with caplog.at_level(logging.WARNING, logger="kiosk.voice"):
        for _ in range(3):
            choice = choose_engines(
                "uk", site, piper_loader=broken_loader, espeak_command="no-such-espeak", note=note
            )
    assert choice.engines == []
    assert any(reason in r for r in choice.reasons)
    piper_lines = [r for r in caplog.messages if "Piper" in r]
    assert len(piper_lines) == 1, caplog.messages
    silent_lines = [r for r in caplog.messages if "is silent" in r]
    assert len(silent_lines) == 1


def test_a_voice_for_another_language_is_refused(tmp_path: Path) -> None:
    site = Site(voice_uk=str(voice_file(tmp_path)))
    choice = choose_engines(
        "uk", site, piper_loader=lambda p: FakePiperVoice("en-gb"), espeak_command="nope"
    )
    assert choice.engines == []
    assert "speaks 'en-gb'" in choice.reasons[0]


def test_piper_that_fails_while_speaking_raises_an_engine_error(tmp_path: Path) -> None:
    engine = PiperEngine("uk", voice_file(tmp_path), FakePiperVoice(fail=True))
    with pytest.raises(EngineError, match="exploded"):
        engine.synthesize("Текст")


def test_without_piper_installed_the_check_says_so(tmp_path: Path, monkeypatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "piper" else real(name, *a)
    )
    assert "piper-tts is not installed" in (piper_problem("uk", str(voice_file(tmp_path))) or "")
    assert "not found" in (piper_problem("uk", str(tmp_path / "x.onnx")) or "")


def test_no_espeak_means_silent_with_a_reason() -> None:
    choice = choose_engines("en", Site(), espeak_command="no-such-espeak-ng")
    assert not choice.available
    assert "not installed" in choice.reasons[0]


@needs_espeak
def test_espeak_voices_for_english_and_ukrainian() -> None:
    for language, voice in (("en", "en-gb"), ("uk", "uk")):
        engine = choose_engines(language, Site()).best
        assert isinstance(engine, EspeakEngine)
        assert engine.voice == voice
        assert engine.version in engine.voice_id


def test_the_real_piper_package_refuses_a_broken_voice_file(tmp_path: Path) -> None:
    """With piper-tts installed (the ``voice`` extra): the real loader, a file that is not
    a voice, and the interface the kiosk calls."""
    pytest.importorskip("piper")
    import inspect

    from piper import PiperVoice

    choice = choose_engines("uk", Site(voice_uk=str(voice_file(tmp_path))), espeak_command="x")
    assert choice.engines == []
    assert "does not load" in choice.reasons[0]
    assert "wav_file" in inspect.signature(PiperVoice.synthesize_wav).parameters
    assert "model_path" in inspect.signature(PiperVoice.load).parameters
