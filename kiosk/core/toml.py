"""The TOML parser (``tomllib`` on Python 3.11+, ``tomli`` below) and its syntax errors.

:func:`parse` is the one place a TOML text is parsed for the checkers: it never raises,
and a syntax error comes back as a :class:`TomlError` with the line and column taken out
of the parser's message, so each checker words it in its own stable way.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised by the Python 3.9 CI run
    import tomli as tomllib

TOMLDecodeError = tomllib.TOMLDecodeError
loads = tomllib.loads

_AT_LINE_COLUMN = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_AT_END = re.compile(r"\(at end of document\)")


@dataclass(frozen=True)
class TomlError:
    """Why a text is not TOML.

    ``description`` is the parser's message without its ``(at line N, column M)`` part;
    ``message`` is the parser's message as it was. ``too_deep`` means the nesting was too
    deep for the parser (a recursion limit, not a syntax error).
    """

    message: str
    description: str
    line: int | None = None
    column: int | None = None
    too_deep: bool = False


def parse(text: str) -> tuple[dict[str, Any] | None, TomlError | None]:
    """The table a TOML text holds, or ``None`` and why not. Never raises."""
    try:
        return loads(text), None
    except TOMLDecodeError as error:
        return None, _syntax_error(error, text)
    except RecursionError:
        return None, TomlError("nesting too deep", "nesting too deep", too_deep=True)


def _syntax_error(error: Exception, text: str) -> TomlError:
    message = str(error)
    found = _AT_LINE_COLUMN.search(message)
    if found:
        description = _AT_LINE_COLUMN.sub("", message).strip()
        return TomlError(message, description, int(found[1]), int(found[2]))
    line = getattr(error, "lineno", None)
    if _AT_END.search(message):
        line = text.count("\n") + 1
    return TomlError(message, message, line if isinstance(line, int) else None)


__all__ = ["TOMLDecodeError", "TomlError", "loads", "parse"]
