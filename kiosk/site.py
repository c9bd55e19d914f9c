"""Site configuration: what differs between a pool, a gym and a pharmacy.

WALKING-SKELETON VERSION: the dataclass and ``load_site`` signature are the
contract; full checking with codes comes with issue 3.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from kiosk.deck import toml
from kiosk.deck.model import Problem


@dataclass(frozen=True)
class Site:
    """One installation's settings. The defaults serve when no site file is given."""

    name: str = "First aid"
    emergency_number: str = "112"
    emergency_label: str = "Emergency"
    staff_instruction: str = ""
    first_aid_kit: str = ""
    defibrillator: str = ""
    default_language: str = "en"
    idle_timeout_seconds: int = 90
    theme: str = "dark"  # dark | light | high-contrast
    text_size: str = "normal"  # normal | large | extra-large
    kiosk: bool = False
    staff_pin: str = ""
    log_dir: str = ""
    font_size: int = 24  # browser font size for `kiosk serve`


@dataclass(frozen=True)
class SiteResult:
    site: Site
    problems: tuple[Problem, ...] = ()


def load_site(path: Path | None) -> SiteResult:
    """Read a site file; on any problem fall back to defaults and report it."""
    if path is None:
        return SiteResult(Site())
    path = Path(path)
    try:
        data = toml.loads(path.read_text(encoding="utf-8"))
        known = {f.name for f in fields(Site)}
        return SiteResult(Site(**{k: v for k, v in data.items() if k in known}))
    except Exception as error:  # skeleton: the full checker reports precisely
        return SiteResult(Site(), (Problem(path, "S001", f"cannot read site file: {error}"),))
