"""One broken example per problem code: the loader reports that code, on the right file."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from deckhelpers import REMOVE, TODAY, DeckDir, Raw

from kiosk.core import files
from kiosk.deck import load_deck
from kiosk.deck.codes import CODES
from kiosk.deck.model import LoadResult, Severity

pytestmark = [pytest.mark.data]

REPO_ROOT = Path(__file__).resolve().parents[2]

STEPS = [{"text": "Sit down."}, {"text": "Hold the stretch.", "timer_seconds": 30}]


def nine_steps() -> list[dict[str, object]]:
    return [{"text": f"Step number {n}."} for n in range(9)]


def fifo(deck: DeckDir) -> str:
    os.mkfifo(deck.root / "en" / "gamma.toml")
    return "en/gamma.toml"


def no_read(deck: DeckDir, monkeypatch: pytest.MonkeyPatch) -> str:
    real_open = os.open

    def refuse(path, flags, *args):  # type: ignore[no-untyped-def]
        if str(path).endswith(os.path.join("en", "alpha.toml")):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(files.os, "open", refuse)
    return "en/alpha.toml"


# Each case breaks the valid deck and returns the file (relative to the deck) blamed.
CASES: dict[str, Callable[..., str]] = {
    "E001": lambda d: d.write("en", "alpha.toml", 'id = "alpha"\ntitle = \n') and "en/alpha.toml",
    "E002": lambda d: d.card("en", "alpha", titel="Typo") and "en/alpha.toml",
    "E003": lambda d: d.card("en", "alpha", title=Raw("5")) and "en/alpha.toml",
    "E004": lambda d: d.card("en", "alpha", summary=REMOVE) and "en/alpha.toml",
    "E005": lambda d: d.card("en", "alpha", summary="   ") and "en/alpha.toml",
    "E006": lambda d: d.card("en", "alpha", id="Alpha_1") and "en/alpha.toml",
    "E007": lambda d: d.card("en", "alpha", id="gamma") and "en/alpha.toml",
    "E008": lambda d: d.card("en", "alpha", urgency="urgent") and "en/alpha.toml",
    "E009": lambda d: d.card("en", "gamma", id="alpha") and "en/gamma.toml",
    "E010": lambda d: d.card("en", "alpha", related=["nowhere"]) and "en/alpha.toml",
    "E011": lambda d: d.card("en", "alpha", sources=[]) and "en/alpha.toml",
    "E012": lambda d: (
        d.card("en", "alpha", sources=[{"title": "T", "url": "https://x.org/"}]) and "en/alpha.toml"
    ),
    "E013": lambda d: (
        d.card("en", "alpha", sources=[{"publisher": "P", "title": "T", "url": "ftp://x.org/"}])
        and "en/alpha.toml"
    ),
    "E014": lambda d: d.card("en", "alpha", call_emergency_if=REMOVE) and "en/alpha.toml",
    "E015": lambda d: d.card("en", "alpha", reviewed=dt.date(2027, 1, 1)) and "en/alpha.toml",
    "E016": lambda d: (
        d.card("en", "alpha", steps=[{"text": "Hold.", "timer_seconds": 2}]) and "en/alpha.toml"
    ),
    "E017": lambda d: d.card("en", "alpha", summary="Hold\u0007 on") and "en/alpha.toml",
    "E018": fifo,
    "E019": lambda d: d.write("en", "alpha.toml", "# " + "x" * 70_000 + "\n") and "en/alpha.toml",
    "E020": lambda d: (
        d.write("en", "alpha.toml", b'id = "alpha"\ntitle = "\xff"\n') and "en/alpha.toml"
    ),
    "E021": lambda d: (
        d.write("en", "alpha.toml", "x = " + "[" * 5000 + "]" * 5000 + "\n") and "en/alpha.toml"
    ),
    "E022": lambda d: __import__("shutil").rmtree(d.root) or "",
    "E023": lambda d: (d.root / "deck.toml").unlink() or "deck.toml",
    "E024": lambda d: (
        d.meta('languages = ["en", "uk", "de"]\norder = ["alpha", "beta"]\n') and "deck.toml"
    ),
    "E025": lambda d: d.card("uk", "gamma") and "uk/gamma.toml",
    "E026": lambda d: (
        d.meta('languages = ["en", "uk", "../etc"]\norder = ["alpha", "beta"]\n') and "deck.toml"
    ),
    "E027": lambda d: d.meta('languages = ["en", "uk"]\ndefault_language = "fr"\n') and "deck.toml",
    "E028": lambda d: (
        d.meta('languages = ["en", "uk"]\norder = ["alpha", "beta", "zeta"]\n') and "deck.toml"
    ),
    "E029": lambda d: (
        d.meta('languages = ["en", "uk"]\norder = ["alpha", "beta", "alpha"]\n') and "deck.toml"
    ),
    "E030": lambda d: (
        d.card("en", "alpha", steps=[{"text": "Hold.", "timer_seconds": 30, "stopwatch": True}])
        and "en/alpha.toml"
    ),
    "E031": no_read,
    "E033": lambda d: (
        d.card("en", "alpha", steps=[{"text": "Push.", "cpr_beat": True, "stopwatch": True}])
        and "en/alpha.toml"
    ),
    "E034": lambda d: (
        d.card("en", "alpha", steps=[{"text": "Not breathing?", "opens": "nowhere"}])
        and "en/alpha.toml"
    ),
    "E032": lambda d: d.write("en", "alpha.toml", "[[steps]]\n" * 500) and "en/alpha.toml",
    "E035": lambda d: d.card("en", "alpha", title="Hand " + "H" * 10000) and "en/alpha.toml",
    "W001": lambda d: d.card("en", "alpha", review_due=dt.date(2026, 6, 1)) and "en/alpha.toml",
    "W002": lambda d: d.card("en", "alpha", steps=nine_steps()) and "en/alpha.toml",
    "W003": lambda d: d.card("en", "alpha", steps=[{"text": "word " * 30}]) and "en/alpha.toml",
    "W004": lambda d: d.card("en", "alpha", summary="[bold]Hold[/bold] it") and "en/alpha.toml",
    "W005": lambda d: d.card("en", "alpha", steps=[{"text": "Call 112 now."}]) and "en/alpha.toml",
    "W006": lambda d: d.card("de", "alpha") and "de",
    "W007": lambda d: (d.root / "uk" / "beta.toml").unlink() or "uk/beta.toml",
    "W008": lambda d: d.meta('languages = ["en", "uk"]\norder = ["alpha"]\n') and "deck.toml",
    "W009": lambda d: (
        d.card("en", "alpha", label="A label far too long for a tile") and "en/alpha.toml"
    ),
    "W010": lambda d: d.card("en", "alpha", review_due=dt.date(2026, 1, 1)) and "en/alpha.toml",
    "W011": lambda d: d.write("en", "notes.txt", "to do") and "en/notes.txt",
    "W014": lambda d: d.card("en", "alpha", steps=[{"text": "Call 112."}] * 30) and "en/alpha.toml",
    "W012": lambda d: (
        d.write(
            "en",
            "alpha.toml",
            b"\xef\xbb\xbf"
            + (d.root / "en" / "beta.toml").read_bytes().replace(b'"beta"', b'"alpha"', 1),
        )
        and "en/alpha.toml"
    ),
    "W015": lambda d: (
        d.card("en", "alpha", steps=[{"text": "Wait.", "timer_label": "Time since the dose"}])
        and "en/alpha.toml"
    ),
    "W016": lambda d: (
        d.card("en", "alpha", summary="A summary that goes on. " * 8) and "en/alpha.toml"
    ),
    "W013": lambda d: (
        d.card(
            "en",
            "alpha",
            steps=[{"text": "Time it.", "stopwatch": True}, {"text": "Again.", "stopwatch": True}],
        )
        and "en/alpha.toml"
    ),
}


def test_the_valid_deck_loads_cleanly(deck: DeckDir) -> None:
    result = load_deck(deck.root, today=TODAY)
    assert result.problems == ()
    assert [c.id for c in result.deck.cards_for("uk")] == ["alpha", "beta"]
    assert result.deck.card("alpha", "en").steps[1].timer_seconds == 30


def test_every_code_has_an_example() -> None:
    assert sorted(CASES) == sorted(CODES)


def test_every_code_is_documented() -> None:
    doc = (REPO_ROOT / "docs" / "deck-format.md").read_text(encoding="utf-8")
    missing = [code for code in CODES if f"`{code}`" not in doc]
    assert missing == []


def load_broken(
    code: str, deck: DeckDir, monkeypatch: pytest.MonkeyPatch
) -> tuple[LoadResult, str]:
    case = CASES[code]
    blamed = case(deck, monkeypatch) if code == "E031" else case(deck)
    return load_deck(deck.root, today=TODAY), blamed


@pytest.mark.parametrize("code", sorted(CASES))
def test_broken_example_reports_its_code_on_the_file(
    code: str, deck: DeckDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    result, blamed = load_broken(code, deck, monkeypatch)
    reported = [p for p in result.problems if p.code == code]
    assert reported, [p.format() for p in result.problems]
    expected_path = deck.root / blamed if blamed else deck.root
    assert any(p.path == expected_path for p in reported), [p.format() for p in reported]
    expected = Severity.WARNING if code.startswith("W") else Severity.ERROR
    assert all(p.severity is expected for p in reported)
    assert all(p.code in CODES for p in result.problems)


@pytest.mark.parametrize(
    "code",
    [c for c in sorted(CASES) if c.startswith("E") and CASES[c] and c not in ("E010", "E034")],
)
def test_a_card_file_with_an_error_is_left_out_and_the_others_load(
    code: str, deck: DeckDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    result, blamed = load_broken(code, deck, monkeypatch)
    if not blamed.startswith("en/alpha"):
        pytest.skip("the error is not in a card file")
    assert "alpha" not in result.deck.cards["en"]
    assert "beta" in result.deck.cards["en"]
    # The Ukrainian card still shows; English falls back to nothing, never to half a card.
    assert result.deck.card("alpha", "uk") is not None


def test_a_step_that_opens_a_card_that_failed_to_load_loses_only_its_button(
    deck: DeckDir,
) -> None:
    deck.card("en", "alpha", steps=[{"text": "Not breathing?", "opens": "beta"}])
    deck.card("en", "beta", title=Raw("5"))
    result = load_deck(deck.root, today=TODAY)
    step = result.deck.card("alpha", "en").steps[0]
    assert (step.text, step.opens) == ("Not breathing?", "")
    assert not [p for p in result.problems if p.code == "E034"]


def test_step_tools_load_as_written(deck: DeckDir) -> None:
    deck.card(
        "en",
        "alpha",
        steps=[
            {"text": "Push.", "cpr_beat": True, "opens": "beta"},
            {
                "text": "Wait.",
                "timer_seconds": 300,
                "timer_label": "Since the dose",
                "timer_done": "Give the second dose",
            },
        ],
    )
    result = load_deck(deck.root, today=TODAY)
    assert result.problems == ()
    push, wait = result.deck.card("alpha", "en").steps
    assert (push.cpr_beat, push.opens, push.timer_seconds) == (True, "beta", None)
    assert (wait.timer_label, wait.timer_done) == ("Since the dose", "Give the second dose")
