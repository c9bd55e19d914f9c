"""Load a deck directory into a :class:`~kiosk.deck.model.LoadResult`.

WALKING-SKELETON VERSION: lenient, to be replaced by the full checker
(issue 2). The signatures of ``load_deck`` and ``bundled_cards_dir`` are the
contract the app and CLI rely on.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from kiosk.deck import toml
from kiosk.deck.model import Card, Deck, LoadResult, Problem, Source, Step, Urgency


def bundled_cards_dir() -> Path:
    """The deck shipped with the package (``cards/`` in the repository)."""
    import kiosk.cards

    return Path(kiosk.cards.__file__).parent


def _card_from(data: dict[str, Any], language: str, path: Path) -> Card:
    return Card(
        id=data["id"],
        language=language,
        scenario=data["scenario"],
        title=data["title"],
        label=data["label"],
        summary=data["summary"],
        urgency=Urgency(data["urgency"]),
        steps=tuple(
            Step(s["text"], s.get("timer_seconds"), bool(s.get("stopwatch", False)))
            for s in data["steps"]
        ),
        call_emergency_if=tuple(data["call_emergency_if"]),
        do_not=tuple(data["do_not"]),
        see_doctor_if=tuple(data.get("see_doctor_if", ())),
        prevention=tuple(data.get("prevention", ())),
        related=tuple(data.get("related", ())),
        keywords=tuple(data.get("keywords", ())),
        sources=tuple(Source(s["publisher"], s["title"], s["url"]) for s in data["sources"]),
        reviewed=data["reviewed"],
        review_due=data["review_due"],
        path=path,
    )


def load_deck(cards_dir: Path, today: dt.date | None = None) -> LoadResult:
    """Load every card under ``cards_dir``; broken files become problems, never exceptions."""
    cards_dir = Path(cards_dir)
    problems: list[Problem] = []
    meta_path = cards_dir / "deck.toml"
    try:
        meta = toml.loads(meta_path.read_text(encoding="utf-8"))
    except Exception as error:  # skeleton: the full checker reports precisely
        problems.append(Problem(meta_path, "E001", f"cannot read deck metadata: {error}"))
        meta = {}
    languages = tuple(meta.get("languages", ("en",)))
    default = meta.get("default_language", languages[0] if languages else "en")
    cards: dict[str, dict[str, Card]] = {}
    for language in languages:
        for path in sorted((cards_dir / language).glob("*.toml")):
            try:
                card = _card_from(toml.loads(path.read_text(encoding="utf-8")), language, path)
            except Exception as error:
                problems.append(Problem(path, "E001", f"cannot load card: {error!r}"))
                continue
            cards.setdefault(language, {})[card.id] = card
    deck = Deck(languages, default, tuple(meta.get("order", ())), cards)
    return LoadResult(deck, tuple(problems))
