"""The deck cache (issue 19): a start with unchanged files reads the checked deck at once;
anything wrong with the cache means a normal load, logged, never an error."""

from __future__ import annotations

import errno
import logging
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from deckhelpers import TODAY, DeckDir

from kiosk.deck import cache as deck_cache
from kiosk.deck import load_deck
from kiosk.run import load_for_start
from kiosk.site import Site

pytestmark = [pytest.mark.data]

SITE = Site()


@pytest.fixture
def two_languages(deck: DeckDir) -> DeckDir:
    """The conftest's valid deck (alpha and beta in English and Ukrainian)."""
    return deck


def start(deck: DeckDir, cache_dir: Path):
    """What ``kiosk run`` loads: (first result, rest or None), and the whole deck."""
    first, finish = load_for_start(deck.root, SITE, cache_dir)
    return first, finish, finish() if finish is not None else first


def test_a_second_start_reads_the_whole_deck_from_the_cache(two_languages, tmp_path) -> None:
    cache_dir = tmp_path / "cache"
    first, finish, whole = start(two_languages, cache_dir)
    assert finish is not None  # nothing cached yet: the staged load
    assert list(cache_dir.iterdir()) == [deck_cache.cache_file(cache_dir, two_languages.root)]
    again, rest, _ = start(two_languages, cache_dir)
    assert rest is None  # the whole deck at once
    assert again == whole == load_deck(two_languages.root)
    assert not list(two_languages.root.rglob("*.pickle"))  # never in the deck's folder


def test_a_changed_card_file_is_read_again(two_languages, tmp_path, caplog) -> None:
    cache_dir = tmp_path / "cache"
    start(two_languages, cache_dir)
    two_languages.write("uk", "beta.toml", 'id = "beta"\ntitle = \n')  # now broken
    caplog.set_level(logging.INFO, logger="kiosk")
    first, finish, whole = start(two_languages, cache_dir)
    assert finish is not None
    assert "out of date" in caplog.text
    assert whole == load_deck(two_languages.root)
    assert "E001" in {p.code for p in whole.problems}


def test_another_day_is_checked_again(two_languages, tmp_path) -> None:
    key = deck_cache.fingerprint(two_languages.root, TODAY)
    later = deck_cache.fingerprint(two_languages.root, TODAY.replace(year=TODAY.year + 1))
    assert key != later  # review dates: a card may be overdue tomorrow


@pytest.mark.parametrize(
    "content",
    [b"", b"not a pickle", pickle.dumps(("key", "not a deck")), b"\x80\x05garbage"],
    ids=["empty", "text", "not-a-deck", "truncated"],
)
def test_a_damaged_cache_file_is_ignored_and_logged(
    two_languages, tmp_path, caplog, content
) -> None:
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    path = deck_cache.cache_file(cache_dir, two_languages.root)
    path.write_bytes(content)
    path.chmod(0o600)
    first, finish, whole = start(two_languages, cache_dir)
    assert finish is not None
    assert whole == load_deck(two_languages.root)
    assert "deck cache: ignored" in caplog.text
    _, rest, _ = start(two_languages, cache_dir)  # and rewritten: the next start is quick
    assert rest is None


def test_a_cache_file_that_would_run_code_is_refused(two_languages, tmp_path, caplog) -> None:
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    marker = tmp_path / "ran"

    class Exploit:
        def __reduce__(self):  # type: ignore[no-untyped-def]
            return (os.system, (f"touch {marker}",))

    key = deck_cache.fingerprint(two_languages.root, __import__("datetime").date.today())
    path = deck_cache.cache_file(cache_dir, two_languages.root)
    path.write_bytes(pickle.dumps((key, Exploit())))
    path.chmod(0o600)
    _, finish, whole = start(two_languages, cache_dir)
    assert not marker.exists()
    assert finish is not None and whole == load_deck(two_languages.root)
    assert "is not part of a deck" in caplog.text


def test_a_cache_file_others_can_write_is_refused(two_languages, tmp_path, caplog) -> None:
    cache_dir = tmp_path / "cache"
    start(two_languages, cache_dir)
    deck_cache.cache_file(cache_dir, two_languages.root).chmod(0o666)
    _, finish, _ = start(two_languages, cache_dir)
    assert finish is not None
    assert "not owned by this user alone" in caplog.text


def test_a_full_disk_leaves_no_file_and_the_deck_loads(
    two_languages, tmp_path, monkeypatch, caplog
):
    cache_dir = tmp_path / "cache"

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(deck_cache.os, "replace", full)
    _, finish, whole = start(two_languages, cache_dir)
    assert whole == load_deck(two_languages.root)
    assert "could not write" in caplog.text
    assert list(cache_dir.iterdir()) == []  # the temporary file is gone too


def test_a_cache_folder_that_cannot_exist_is_only_logged(two_languages, tmp_path, caplog) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way", encoding="utf-8")
    _, _, whole = start(two_languages, blocker / "cache")  # read-only in effect, even for root
    assert whole == load_deck(two_languages.root)
    assert "could not write" in caplog.text


def test_a_cache_folder_inside_the_deck_is_never_used(two_languages, caplog) -> None:
    inside = two_languages.root / "en" / ".cache"
    _, finish, whole = start(two_languages, inside)
    assert finish is not None and whole == load_deck(two_languages.root)
    assert not inside.exists()
    assert "inside the deck folder" in caplog.text


def test_kiosk_check_never_uses_the_cache(two_languages, tmp_path) -> None:
    """A cache that says the deck is fine while a file is broken: check reads the files."""
    cache_dir = tmp_path / "xdg" / "first-aid-kiosk"
    good = load_deck(two_languages.root)
    two_languages.write("uk", "beta.toml", 'id = "beta"\ntitle = \n')
    import datetime as dt

    key = deck_cache.fingerprint(two_languages.root, dt.date.today())
    assert key is not None and deck_cache.write_cache(cache_dir, two_languages.root, key, good)
    assert load_for_start(two_languages.root, SITE, cache_dir)[1] is None  # run would use it
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "check", "--cards", str(two_languages.root)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert out.returncode == 1 and "E001" in out.stdout


def test_a_start_from_the_cache_imports_no_checker(two_languages, tmp_path) -> None:
    """The loader and its checks are for a miss only (a fresh interpreter, as at a start)."""
    cache_dir = tmp_path / "cache"
    start(two_languages, cache_dir)
    code = (
        "import sys; from pathlib import Path; import kiosk.app;"
        "from kiosk.run import load_for_start; from kiosk.site import Site;"
        f"result, rest = load_for_start(Path({str(two_languages.root)!r}), Site(),"
        f" Path({str(cache_dir)!r}));"
        "print(rest is None, len(result.deck.cards),"
        " sorted(m for m in sys.modules if m in ('kiosk.deck.loader', 'kiosk.deck.checks')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "2", "[]"]


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        (
            {"CACHE_DIRECTORY": "/var/cache/kiosk", "STATE_DIRECTORY": "/var/lib/kiosk"},
            "/var/cache/kiosk",
        ),
        ({"STATE_DIRECTORY": "/var/lib/kiosk"}, "/var/lib/kiosk/cache"),
        ({"XDG_CACHE_HOME": "/home/k/.cache"}, "/home/k/.cache/first-aid-kiosk"),
        ({"HOME": "/home/k"}, "/home/k/.cache/first-aid-kiosk"),
        ({"HOME": "/home/k", "XDG_CACHE_HOME": "relative"}, "/home/k/.cache/first-aid-kiosk"),
    ],
)
def test_the_cache_folder_follows_systemd_then_xdg(monkeypatch, environment, expected) -> None:
    for name in ("CACHE_DIRECTORY", "STATE_DIRECTORY", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert deck_cache.default_cache_dir() == Path(expected)


def test_a_deck_a_bug_broke_is_never_cached(two_languages, tmp_path, monkeypatch) -> None:
    from kiosk.deck import Deck, LoadResult, Problem, StagedDeckLoad

    broken = LoadResult(Deck(("en",), "en", ()), (Problem(two_languages.root, "E099", "bug"),))
    monkeypatch.setattr(StagedDeckLoad, "finish", lambda self: broken)
    cache_dir = tmp_path / "cache"
    _, finish, whole = start(two_languages, cache_dir)
    assert whole is broken
    assert not cache_dir.exists() or not list(cache_dir.iterdir())
