"""`kiosk speak`, the voice settings of the site file and `kiosk check`'s voice warnings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from voicehelpers import needs_espeak, voiced_fraction

from kiosk.site import Site, load_site
from kiosk.voice.audio import Pcm

REPO_ROOT = Path(__file__).resolve().parents[2]


def kiosk(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=REPO_ROOT,
    )


def write_site(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.data
def test_voice_settings_are_read_and_checked(tmp_path: Path) -> None:
    good = load_site(
        write_site(
            tmp_path,
            'voice = "on"\nvoice_uk = "/var/lib/kiosk/voices/uk.onnx"\n'
            'voice_cache_dir = "/var/cache/kiosk/voice"\n',
        )
    )
    assert good.problems == ()
    assert good.site.voice == "on" and good.site.voice_uk.endswith("uk.onnx")
    assert Site().voice == "off" and Site().voice_en == ""


@pytest.mark.data
@pytest.mark.parametrize(
    ("line", "code"),
    [
        ('voice = "loud"', "E109"),
        ('voice_en = "voices/en.onnx"', "E117"),
        ('voice_en = "/var/lib/kiosk/en.wav"', "E117"),
        ('voice_cache_dir = "cache"', "E117"),
        ("voice = true", "E108"),
    ],
)
def test_a_bad_voice_setting_keeps_its_default(tmp_path: Path, line: str, code: str) -> None:
    result = load_site(write_site(tmp_path, line + '\nname = "Pool"\n'))
    assert [p.code for p in result.problems] == [code]
    assert result.site.name == "Pool"
    assert result.site == Site(name="Pool")


@pytest.mark.e2e
def test_check_warns_about_a_language_without_a_voice(tmp_path: Path) -> None:
    """No espeak-ng on the PATH and a Piper file that is not there."""
    site = write_site(tmp_path, 'voice = "on"\nvoice_uk = "/nonexistent/uk.onnx"\n')
    env = dict(os.environ, PATH=str(tmp_path))  # nothing to run on this PATH
    out = kiosk("check", "--site", str(site), env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"{site}: W121: voice_uk: Piper voice file /nonexistent/uk.onnx not found" in out.stdout
    assert f"{site}: W120: voice: deck language en has no voice" in out.stdout
    assert f"{site}: W120: voice: deck language uk has no voice" in out.stdout
    hidden = write_site(tmp_path, 'voice = "hidden"\n')
    assert "W12" not in kiosk("check", "--site", str(hidden), env=env).stdout


@pytest.mark.e2e
@needs_espeak
def test_check_is_quiet_when_espeak_speaks_every_language(tmp_path: Path) -> None:
    out = kiosk("check", "--site", str(write_site(tmp_path, 'voice = "on"\n')))
    assert "W120" not in out.stdout and "W121" not in out.stdout


@pytest.mark.e2e
@pytest.mark.slow
@needs_espeak
def test_speak_writes_the_step_as_a_wav(tmp_path: Path) -> None:
    out_file = tmp_path / "step.wav"
    site = write_site(tmp_path, f'voice_cache_dir = "{tmp_path / "cache"}"\n')
    out = kiosk(
        "speak",
        "--card",
        "seizure",
        "--step",
        "1",
        "--lang",
        "uk",
        "--out",
        str(out_file),
        "--site",
        str(site),
    )
    assert out.returncode == 0, out.stderr
    pcm = Pcm.from_wav(out_file.read_bytes())
    assert pcm.duration > 3 and voiced_fraction(pcm) > 0.6
    assert not (tmp_path / "cache").exists()  # a one-off never writes the kiosk's cache


@pytest.mark.e2e
@pytest.mark.slow
@needs_espeak
def test_speak_alarm_cpr_show_and_all(tmp_path: Path) -> None:
    site = write_site(tmp_path, f'voice_cache_dir = "{tmp_path / "cache"}"\n')
    shown = kiosk("speak", "--alarm", "seizure-5min", "--show", "--site", str(site))
    assert shown.stdout.strip() == "Five minutes: call emergency now. Emergency: call one one two."
    cpr = tmp_path / "cpr.wav"
    made = kiosk("speak", "--cpr", "20", "--out", str(cpr), "--site", str(site))
    assert made.returncode == 0 and Pcm.from_wav(cpr.read_bytes()).duration == pytest.approx(20)
    everything = kiosk("speak", "--all", "--site", str(site))
    assert everything.returncode == 0, everything.stderr
    assert "0 failed" in everything.stdout
    assert len(list((tmp_path / "cache").glob("*.wav"))) > 100
    missing = kiosk("speak", "--card", "no-such-card", "--out", str(cpr), "--site", str(site))
    assert missing.returncode == 1 and "nothing to say" in missing.stderr
    assert "Traceback" not in missing.stderr
