"""Offline large-print first-aid kiosk.

``kiosk.__version__`` is the installed distribution's version (``pyproject.toml`` is the
one place it is written); it is looked up on first use, so importing the package stays
cheap for the start-up path.
"""

from __future__ import annotations

DISTRIBUTION = "first-aid-kiosk"


def _version() -> str:
    """The version from the install metadata, else from ``pyproject.toml`` beside the package."""
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        pass
    from pathlib import Path

    from kiosk.core import toml

    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        return str(toml.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])
    except (OSError, KeyError, toml.TOMLDecodeError):
        return "0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        version = _version()
        globals()["__version__"] = version
        return version
    raise AttributeError(f"module 'kiosk' has no attribute {name!r}")
