"""The version is written once (pyproject.toml) and read from the install metadata."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest

import kiosk
from kiosk.core import toml

pytestmark = pytest.mark.data

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def pyproject_version() -> str:
    return str(toml.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"])


def test_version_is_the_one_in_pyproject() -> None:
    assert kiosk.__version__ == pyproject_version()


def test_source_tree_without_install_metadata_reads_pyproject(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def not_installed(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", not_installed)
    assert kiosk._version() == pyproject_version()
