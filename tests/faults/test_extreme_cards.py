"""Extreme card content: 10,000-character steps (refused), 200 keywords, wide Unicode."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from rich.cells import cell_len

from kiosk.app import make_app
from kiosk.deck import load_deck
from kiosk.site import Site

pytestmark = [pytest.mark.ui, pytest.mark.slow]

LONG_STEP = ("Keep pressing firmly on the wound with a clean cloth. " * 200)[:10_000]
KEYWORDS = [f"keyword{n}" for n in range(200)]
UKRAINIAN = "Не́ рухайте потерпі́лого й покличте допомогу"  # combining acute accents, й
UKRAINIAN = unicodedata.normalize("NFD", UKRAINIAN)  # й as и + combining breve too
CJK = "保持冷静，让患者侧卧，不要往嘴里放任何东西"
# No zero-width joiner sequences (👩‍⚕️): card text refuses U+200D (E017, red team C3).
EMOJI = "🚑 📞 ❤️ 🩺 call for help 🧊"


async def test_card_with_huge_steps_and_200_keywords(faults, tmp_path: Path) -> None:
    deck_dir = faults.write_deck(
        tmp_path / "cards",
        {
            "huge": {
                "title": "Huge card",
                "keywords": KEYWORDS,
                "steps": [{"text": LONG_STEP}, {"text": LONG_STEP}, {"text": "Short last step."}],
            },
            "plain": {},
        },
    )
    result = load_deck(deck_dir)
    # Since the length limits (red team C2) a 10,000-character step is refused with E035,
    # naming the card; the kiosk runs on with the other cards.
    assert result.deck.card("huge", "en") is None
    assert any(p.code == "E035" and "huge" in p.format() for p in result.problems)
    assert result.deck.card("plain", "en") is not None
    # Just under twice the limit it loads with a warning; the screens must still cope.
    near_limit = LONG_STEP[:239]
    deck_dir = faults.write_deck(
        tmp_path / "cards-near",
        {
            "huge": {
                "title": "Huge card",
                "keywords": KEYWORDS,
                "steps": [{"text": near_limit}, {"text": near_limit}, {"text": "Short last step."}],
            },
            "plain": {},
        },
    )
    result = load_deck(deck_dir)
    huge = result.deck.card("huge", "en")
    assert huge is not None, [p.format() for p in result.problems]
    assert len(huge.keywords) == 200 and len(huge.steps[0].text) == 239
    assert any(p.code == "W016" for p in result.problems)
    app = make_app(result, Site())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        assert "Huge card" in faults.screen_text(app)
        assert "Keep pressing firmly" in faults.screen_text(app)
        for size in ((40, 15), (200, 60), (20, 8), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.press("right", "left", "right")
        await pilot.press("right", "right", "right", "right", "home")
        await pilot.press("slash", *"keyword199", "escape")
        assert app.is_running
    assert app.return_code in (0, None)


def row_cells(faults, app) -> list[int]:
    return [cell_len(line) for line in faults.screen_lines(app)]


def visible(text: str) -> str:
    """Text without whitespace, combining marks, joiners and variation selectors."""
    return "".join(
        ch
        for ch in text
        if not ch.isspace() and not unicodedata.combining(ch) and ch not in "\u200d\ufe0f"
    )


async def test_wide_and_combining_unicode_renders_aligned(faults, tmp_path: Path) -> None:
    steps = [{"text": CJK}, {"text": UKRAINIAN}, {"text": EMOJI}]
    deck_dir = faults.write_deck(
        tmp_path / "cards",
        {"unicode": {"title": "急救 Перша допомога 🚑", "label": "急救 🚑", "steps": steps}},
    )
    result = load_deck(deck_dir)
    assert result.deck.card("unicode", "en") is not None, [p.format() for p in result.problems]
    app = make_app(result, Site())
    async with app.run_test(size=(80, 24)) as pilot:
        for size in ((80, 24), (40, 15)):
            await pilot.resize_terminal(*size)
            await pilot.press("home")
            assert "急救" in faults.screen_text(app)
            await pilot.press("1")
            for step in steps:
                await pilot.pause()
                lines = faults.screen_lines(app)
                # Every row is exactly the terminal's width in cells: a wide character
                # counted as one cell (or cut in half) would make a row longer or shorter.
                assert row_cells(faults, app) == [size[0]] * size[1], lines
                # Every character of the step is on screen, in order (wrapping aside).
                shown = visible("".join(lines))
                wanted = visible(step["text"])
                position = 0
                for ch in wanted:
                    position = shown.find(ch, position)
                    assert position >= 0, f"{ch!r} of {step['text']!r} missing or cut"
                    position += 1
                # The nav buttons share one row band and do not overlap.
                buttons = [
                    app.screen.query_one(f"#{name}") for name in ("back", "home-button", "next")
                ]
                regions = [b.region for b in buttons if b.display]
                assert len({r.y for r in regions}) == 1, regions
                for left, right in zip(regions, regions[1:]):
                    assert left.right <= right.x, regions
                await pilot.press("right")
    assert app.return_code in (0, None)
