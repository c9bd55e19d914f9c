"""Pins the private Rich API kiosk/compat/rich.py patches (``rich._wrap.chop_cells``)."""

from __future__ import annotations

import pytest
import rich._wrap

from kiosk.compat.rich import fold_words_into_at_least_one_cell

pytestmark = pytest.mark.data


def test_chop_cells_is_still_where_rich_folds_words() -> None:
    assert callable(rich._wrap.chop_cells)
    assert "chop_cells" in rich._wrap.divide_line.__code__.co_names


def test_folding_into_zero_cells_gives_one_cell_pieces() -> None:
    fold_words_into_at_least_one_cell()
    fold_words_into_at_least_one_cell()  # idempotent
    assert rich._wrap.chop_cells("abc", 0) == ["a", "b", "c"]
