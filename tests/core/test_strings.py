"""Interface text (kiosk/strings.py): the fallback to English and the language names."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import strings
from kiosk.strings import NAME_FILE, Strings, available_languages, language_name

pytestmark = [pytest.mark.data]


@pytest.mark.parametrize("language", available_languages())
def test_every_language_keeps_its_name_in_the_file_the_home_screen_reads(language: str) -> None:
    """The language button reads only this file at start-up (issue 19)."""
    path = strings.I18N_DIR / language / NAME_FILE
    assert '"language.name"' in path.read_text(encoding="utf-8")
    assert language_name(language) == Strings(language)["language.name"]


def test_the_names_are_each_language_in_itself() -> None:
    assert language_name("en") == "English"
    assert language_name("uk") == "Українська"


@pytest.fixture
def i18n(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of interface text of our own, with the module's caches emptied."""
    caches = (strings._read_language, strings.language_name)
    monkeypatch.setattr(strings, "I18N_DIR", tmp_path)
    for cached in caches:
        cached.cache_clear()
    yield tmp_path
    for cached in caches:  # the real text again for the tests that follow
        cached.cache_clear()


def write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_a_key_missing_in_a_translation_shows_the_english_text(i18n: Path) -> None:
    write(i18n / "en", "core.toml", '"language.name" = "English"\n"home.search" = "Search"\n')
    write(i18n / "uk", "core.toml", '"language.name" = "Українська"\n')
    assert Strings("uk")["home.search"] == "Search"
    assert Strings("uk")["language.name"] == "Українська"
    assert Strings("uk")["no.such.key"] == "no.such.key"  # never a blank button


def test_a_complete_translation_never_reads_the_english_text(
    i18n: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(i18n / "en", "core.toml", '"language.name" = "English"\n')
    write(i18n / "uk", "core.toml", '"language.name" = "Українська"\n')
    read: list[str] = []
    original = strings._read_language

    def recording(language: str):  # type: ignore[no-untyped-def]
        read.append(language)
        return original(language)

    monkeypatch.setattr(strings, "_read_language", recording)
    assert Strings("uk")["language.name"] == "Українська"
    assert read == ["uk"]


def test_a_language_without_its_name_file_still_has_a_name(i18n: Path) -> None:
    write(i18n / "en", "core.toml", '"language.name" = "English"\n')
    write(i18n / "de", "home.toml", '"language.name" = "Deutsch"\n')
    assert language_name("de") == "Deutsch"
