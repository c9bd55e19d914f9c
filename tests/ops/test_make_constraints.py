"""scripts/make_constraints.py: one line per distinct pin, ranges merged."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytestmark = [pytest.mark.data]

REPO_ROOT = Path(__file__).resolve().parents[2]


def load_script():
    spec = importlib.util.spec_from_file_location(
        "make_constraints", REPO_ROOT / "scripts" / "make_constraints.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_identical_pins_for_newer_pythons_collapse_into_one_line() -> None:
    script = load_script()
    lines = script.merge(
        [
            ((3, 11), script.read_freeze("aiohttp==3.14.5\nrich==15.0.0\n-e git+x#egg=kiosk\n")),
            ((3, 9), script.read_freeze("aiohttp==3.13.5\nrich==15.0.0\ntomli==2.5.0\npip==26\n")),
            ((3, 13), script.read_freeze("aiohttp==3.14.5\nrich==15.0.0\nnew==1.0\n")),
        ]
    )
    assert lines == [
        "aiohttp==3.13.5; python_version < '3.11'",
        "aiohttp==3.14.5; python_version >= '3.11'",
        "new==1.0; python_version >= '3.13'",
        "rich==15.0.0",
        "tomli==2.5.0; python_version < '3.11'",
    ]


def test_committed_constraints_have_one_line_per_package_and_python() -> None:
    seen: dict[str, list[str]] = {}
    for line in (REPO_ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, rest = line.split("==", 1)
            seen.setdefault(name, []).append(rest.split(";", 1)[-1].strip() if ";" in rest else "")
    assert "textual" in seen and "setuptools" in seen
    for name, markers in seen.items():
        assert len(markers) == len(set(markers)), name
        assert len(markers) <= 3, name
