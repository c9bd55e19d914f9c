"""The data layer and the session load no Textual and no Rich (a subprocess, fresh imports)."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.data


def test_data_layer_and_session_import_no_textual_or_rich() -> None:
    code = (
        "import sys, kiosk.core, kiosk.deck, kiosk.site, kiosk.session, kiosk.tools, kiosk.report;"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
