"""How the loader behaves for the app: partial loading, fallbacks, never raising, never writing."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import string
from pathlib import Path

import pytest
from deckhelpers import REMOVE, TODAY, DeckDir, good_card, to_toml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.deck import load_deck, loader
from kiosk.deck.checks import CARD_KEYS
from kiosk.deck.codes import CODES
from kiosk.deck.model import LoadResult

pytestmark = [pytest.mark.data]


def snapshot(root: Path) -> dict[str, tuple[int, str, int]]:
    """Every entry under ``root`` with its mode and, for regular files, a content hash."""
    found = {}
    for directory, dirs, names in os.walk(root):
        for name in dirs + names:
            path = Path(directory, name)
            info = path.lstat()
            digest = ""
            if path.is_file() and not path.is_symlink():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            found[str(path)] = (info.st_mode, digest, info.st_mtime_ns)
    return found


def test_loading_never_writes_into_the_deck(deck: DeckDir) -> None:
    deck.write("en", "broken.toml", "id = \n")
    deck.write("en", "notes.txt", "x")
    before = snapshot(deck.root)
    load_deck(deck.root, today=TODAY)
    load_deck(deck.root, today=TODAY)
    assert snapshot(deck.root) == before


def test_missing_deck_toml_still_loads_every_language(deck: DeckDir) -> None:
    (deck.root / "deck.toml").unlink()
    result = load_deck(deck.root, today=TODAY)
    assert [p.code for p in result.problems] == ["E023"]
    assert result.deck.languages == ("en", "uk")
    assert result.deck.default_language == "en"
    assert [c.id for c in result.deck.cards_for("uk")] == ["alpha", "beta"]


def test_broken_deck_toml_still_loads_with_defaults(deck: DeckDir) -> None:
    deck.meta("languages = [\n")
    result = load_deck(deck.root, today=TODAY)
    assert [p.code for p in result.problems] == ["E001"]
    assert [c.id for c in result.deck.cards_for("en")] == ["alpha", "beta"]


def test_missing_directory_gives_an_empty_deck() -> None:
    result = load_deck(Path("/nonexistent/kiosk-cards"), today=TODAY)
    assert result.deck.is_empty
    assert [p.code for p in result.problems] == ["E022"]


def test_a_folder_named_like_a_file_is_not_taken_for_a_language(deck: DeckDir) -> None:
    (deck.root / "deck.toml").unlink()
    (deck.root / "deck.toml").mkdir()
    result = load_deck(deck.root, today=TODAY)
    assert result.deck.languages == ("en", "uk")
    assert [p.code for p in result.problems] == ["E018"]


def test_a_broken_translation_falls_back_to_the_default_language(deck: DeckDir) -> None:
    deck.card("uk", "beta", urgency="urgent")
    result = load_deck(deck.root, today=TODAY)
    assert result.deck.card("beta", "uk").language == "en"


def test_a_card_that_failed_to_load_gets_only_its_own_error(deck: DeckDir) -> None:
    """No "the English card is shown" or "shown after the ordered cards" for a card
    that is not shown at all: the operator would be told the opposite of the truth."""
    deck.meta('languages = ["en", "uk"]\norder = ["alpha"]\n')
    deck.write("en", "beta.toml", "id = \n")
    (deck.root / "uk" / "beta.toml").unlink()
    result = load_deck(deck.root, today=TODAY)
    assert [(p.code, p.card_id) for p in result.problems] == [("E001", "beta")]


def test_related_to_an_unknown_card_is_dropped_from_the_card(deck: DeckDir) -> None:
    deck.card("en", "alpha", related=["beta", "nowhere"])
    result = load_deck(deck.root, today=TODAY)
    assert result.deck.card("alpha", "en").related == ("beta",)
    assert [p.code for p in result.problems] == ["E010"]
    assert "'nowhere'" in result.problems[0].message


def test_order_puts_listed_cards_first(deck: DeckDir) -> None:
    deck.meta('languages = ["en", "uk"]\norder = ["beta", "alpha"]\n')
    result = load_deck(deck.root, today=TODAY)
    assert [c.id for c in result.deck.cards_for("en")] == ["beta", "alpha"]


def test_warnings_keep_the_card(deck: DeckDir) -> None:
    deck.card("en", "alpha", review_due=dt.date(2026, 1, 20), summary="[b]Hold[/b]")
    result = load_deck(deck.root, today=TODAY)
    assert sorted(p.code for p in result.problems) == ["W001", "W004"]
    assert result.deck.card("alpha", "en").summary == "[b]Hold[/b]"


def test_line_numbers_point_at_the_step(deck: DeckDir) -> None:
    steps = [{"text": "One."}, {"text": "Two.", "timer_seconds": 5000}]
    path = deck.card("en", "alpha", steps=steps)
    problem = next(p for p in load_deck(deck.root, today=TODAY).problems if p.code == "E016")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[problem.line - 1] == "timer_seconds = 5000"


def test_list_items_are_named_by_number_and_located_at_their_key(deck: DeckDir) -> None:
    """Lists take a fast path when nothing is wrong; a problem still names its item and line."""
    do_not = ["Do not run.", "Do not call 112 yourself.", "Do not [b]shout[/b]."]
    path = deck.card("en", "alpha", do_not=do_not, keywords=["cramp", "  "])
    problems = [p for p in load_deck(deck.root, today=TODAY).problems if p.card_id == "alpha"]
    found = {(p.code, p.message.split(" contains")[0].split(" is")[0]) for p in problems}
    assert found == {
        ("W005", "do_not item 2"),
        ("W004", "do_not item 3"),
        ("E005", "keywords item 2"),
    }
    lines = path.read_text(encoding="utf-8").splitlines()
    for problem in problems:
        key = problem.message.split()[0]
        assert lines[problem.line - 1].startswith(f"{key} =")


def test_loading_restores_the_cycle_collector(
    deck: DeckDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``load_deck`` pauses the cyclic GC for speed and must leave it as it found it."""
    try:
        gc.enable()
        load_deck(deck.root, today=TODAY)
        assert gc.isenabled()
        gc.disable()
        load_deck(deck.root, today=TODAY)
        assert not gc.isenabled()
        gc.enable()

        def fail(self: object) -> None:
            raise RuntimeError("boom")

        monkeypatch.setattr(loader._DeckLoader, "load", fail)
        result = load_deck(deck.root, today=TODAY)
        assert [p.code for p in result.problems] == ["E099"]
        assert gc.isenabled()
    finally:
        gc.enable()


def test_today_decides_future_and_overdue(deck: DeckDir) -> None:
    codes = {p.code for p in load_deck(deck.root, today=dt.date(2025, 1, 1)).problems}
    assert "E015" in codes
    codes = {p.code for p in load_deck(deck.root, today=dt.date(2028, 1, 1)).problems}
    assert codes == {"W001"}


def test_an_unknown_key_suggests_the_close_match(deck: DeckDir) -> None:
    deck.card("en", "alpha", call_emergancy_if=["x"])
    messages = [p.message for p in load_deck(deck.root, today=TODAY).problems if p.code == "E002"]
    assert messages == [
        "unknown key 'call_emergancy_if' in card (did you mean 'call_emergency_if'?)"
    ]


def assert_sane(result: LoadResult) -> None:
    assert isinstance(result, LoadResult)
    assert {p.code for p in result.problems} <= set(CODES)  # never E099 (internal error)
    for problem in result.problems:
        problem.format()


HYPOTHESIS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@HYPOTHESIS
@given(content=st.binary(max_size=3000))
def test_random_bytes_as_a_card_never_raise(deck: DeckDir, content: bytes) -> None:
    deck.write("en", "alpha.toml", content)
    assert_sane(load_deck(deck.root, today=TODAY))


@HYPOTHESIS
@given(content=st.binary(max_size=500))
def test_random_bytes_as_deck_toml_never_raise(deck: DeckDir, content: bytes) -> None:
    (deck.root / "deck.toml").write_bytes(content)
    result = load_deck(deck.root, today=TODAY)
    assert_sane(result)


scalars = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=string.ascii_lowercase + "-[]/@#$\\", max_size=12),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["text", "timer_seconds", "stopwatch", "url", "x"]), inner),
    ),
    max_leaves=12,
)
key_names = st.one_of(st.sampled_from(sorted(CARD_KEYS)), st.text(min_size=1, max_size=12))


@HYPOTHESIS
@given(changes=st.dictionaries(key_names, st.one_of(values, st.just(REMOVE)), max_size=6))
def test_random_toml_documents_never_raise(deck: DeckDir, changes: dict) -> None:
    """A valid card with random keys replaced, removed or added: problems, never an exception."""
    card = good_card("alpha")
    for key, value in changes.items():
        if value is REMOVE:
            card.pop(key, None)
        else:
            card[key] = value
    deck.write("en", "alpha.toml", to_toml(card))
    result = load_deck(deck.root, today=TODAY)
    assert_sane(result)
    loaded = result.deck.cards["en"].get("alpha")
    if loaded is not None:  # whatever loads is a whole card, never half of one
        assert loaded.title and loaded.steps and loaded.sources and loaded.call_emergency_if


@HYPOTHESIS
@given(
    text=st.text(max_size=400),
    cut=st.integers(min_value=0, max_value=2000),
)
def test_mangled_valid_cards_never_raise(deck: DeckDir, text: str, cut: int) -> None:
    valid = to_toml(good_card("alpha"))
    cut = min(cut, len(valid))
    deck.write("en", "alpha.toml", valid[:cut] + text + valid[cut:])
    assert_sane(load_deck(deck.root, today=TODAY))
