"""Keep text layout alive when a widget is squeezed to no width at all.

On a tiny terminal (a big font on a small screen, or a resize in progress)
Textual can ask a label to wrap into 0 cells for a moment. Rich then folds a
long word with ``range(0, len, 0)`` and raises ``ValueError`` in the middle of
layout, which takes the screen down (the same failure other Textual apps have
met, e.g. OpenHands-CLI issue 397). Folding into at least one cell is what a
person would expect to see, and the next layout pass gets the real width.

Private API: ``rich._wrap.chop_cells`` (Rich 15.0.0); pinned by
``tests/compat/test_rich.py``. Applied by :func:`kiosk.app.make_app`, not on import.
"""

from __future__ import annotations

from typing import Any

import rich._wrap

_PATCHED = "_kiosk_at_least_one_cell"


def fold_words_into_at_least_one_cell() -> None:
    """Make Rich's word folding treat a width below one cell as one cell (idempotent)."""
    original = rich._wrap.chop_cells  # type: ignore[attr-defined]
    if getattr(original, _PATCHED, False):
        return

    def chop_cells(text: str, width: int, *args: Any, **kwargs: Any) -> list[str]:
        return original(text, max(1, width), *args, **kwargs)

    setattr(chop_cells, _PATCHED, True)
    rich._wrap.chop_cells = chop_cells  # type: ignore[attr-defined]
