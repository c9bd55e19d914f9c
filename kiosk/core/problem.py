"""One thing wrong with a deck or site file, and how bad it is."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    """An error keeps the card or setting out; a warning only says something looks wrong."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a deck or site file.

    Reported as ``FILE[:LINE]: CODE card-id: message``. Codes are stable: ``E...`` codes
    are errors, ``W...`` codes warnings (deck: :mod:`kiosk.deck.codes`; site:
    :mod:`kiosk.site`).
    """

    path: Path
    code: str
    message: str
    card_id: str = ""
    line: int | None = None

    @property
    def severity(self) -> Severity:
        return Severity.WARNING if self.code.startswith("W") else Severity.ERROR

    def format(self) -> str:
        """The problem as one line: ``FILE[:LINE]: CODE card-id: message``."""
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        who = f" {self.card_id}" if self.card_id else ""
        return f"{where}: {self.code}{who}: {self.message}"


def errors(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """The problems that are errors, in order."""
    return tuple(p for p in problems if p.severity is Severity.ERROR)


def warnings(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """The problems that are warnings, in order."""
    return tuple(p for p in problems if p.severity is Severity.WARNING)
