"""The card screen opened after a resize is laid out for the new size from its first frame.

The card screen is installed once, at start, with the size classes (``-short``, ``-w48``,
...) of that moment; Textual updates those of the active screen only. (Home, shown again
by a pop, is given a resize by Textual: not affected.) Every browser session hits this: its
warm app process starts at 80x24 and is resized to the browser's screen before the
visitor's first tap. Before the fix the card screen's first layouts at 50x12 used the
80x24 classes (three-row buttons, the step text cut to two lines: seen in Chromium).
The spies record the classes each time the screen fits itself, the first of which comes
before its first frame.
"""

from __future__ import annotations

import pytest

from kiosk.screens.card import CardScreen

pytestmark = [pytest.mark.ui]

HEIGHT_CLASSES = ("-short", "-tall")


def spy_on(monkeypatch: pytest.MonkeyPatch, screen_type: type, method: str) -> list[list[str]]:
    seen: list[list[str]] = []
    original = getattr(screen_type, method)

    def spy(self, *args):
        seen.append(sorted(c for c in self.classes if c in HEIGHT_CLASSES))
        return original(self, *args)

    monkeypatch.setattr(screen_type, method, spy)
    return seen


async def test_the_card_screen_opened_after_a_resize_has_the_new_size_classes(
    build, monkeypatch
) -> None:
    seen = spy_on(monkeypatch, CardScreen, "_size_changed")
    app = build()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.resize_terminal(50, 12)
        await pilot.pause()
        await pilot.press("1")
        assert isinstance(app.screen, CardScreen)
        assert seen and all(classes == ["-short"] for classes in seen), seen
