"""Generate a valid deck of N realistic cards, for benchmarks and tests.

``python benchmarks/gen_deck.py DIR N`` writes ``DIR/deck.toml`` and
``DIR/en/card-00001.toml`` ... Every card passes ``kiosk check`` (no errors,
no warnings when ``today`` is between 2026-01-01 and 2030-01-01). The text
is drawn from a fixed vocabulary with a fixed seed, so runs are comparable.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

WORDS = [
    "cramp",
    "calf",
    "foot",
    "toe",
    "hand",
    "finger",
    "stretch",
    "hold",
    "rub",
    "warm",
    "water",
    "drink",
    "rest",
    "sit",
    "stand",
    "lie",
    "side",
    "breathing",
    "fit",
    "seizure",
    "fever",
    "child",
    "adult",
    "elderly",
    "pool",
    "gym",
    "heat",
    "cool",
    "shade",
    "fan",
    "ice",
    "pack",
    "cloth",
    "towel",
    "muscle",
    "leg",
    "arm",
    "back",
    "neck",
    "head",
    "chest",
    "pain",
    "swelling",
    "numb",
    "tingling",
    "weak",
    "dizzy",
    "sweating",
    "pale",
    "hot",
    "cold",
    "shiver",
    "calm",
    "help",
    "staff",
    "lifeguard",
    "first",
    "aid",
    "kit",
    "gently",
    "slowly",
    "firmly",
    "minute",
    "seconds",
    "stopwatch",
    "timer",
    "hospital",
    "doctor",
    "pharmacist",
    "medicine",
    "tablet",
    "quinine",
    "magnesium",
    "salt",
    "sugar",
    "sports",
    "bottle",
    "shoes",
    "sock",
    "heel",
    "knee",
    "thigh",
    "hip",
    "wrist",
    "elbow",
    "shoulder",
    "jaw",
    "tongue",
    "mouth",
    "recovery",
    "position",
    "blanket",
    "jacket",
    "soft",
    "floor",
    "chair",
    "wall",
    "rail",
    "step",
    "edge",
    "deep",
    "shallow",
    "float",
]
URGENCIES = ("self-care", "see-a-doctor", "emergency")


def _sentence(rng: random.Random, low: int = 6, high: int = 18) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return (" ".join(words).capitalize() + ".").replace('"', "")


def _items(rng: random.Random, count: int) -> str:
    return "[\n" + "".join(f'  "{_sentence(rng)}",\n' for _ in range(count)) + "]"


def card_text(card_id: str, rng: random.Random, related: list[str]) -> str:
    """The TOML text of one valid card."""
    label = " ".join(rng.choices(WORDS, k=2)).capitalize()[:18]
    keywords = ", ".join(f'"{word}"' for word in rng.sample(WORDS, 6))
    steps = []
    for number in range(rng.randint(3, 8)):
        extra = "timer_seconds = 30\n" if number == 1 else ""
        steps.append(f'[[steps]]\ntext = "{_sentence(rng, 5, 20)}"\n{extra}')
    related_list = ", ".join(f'"{other}"' for other in related)
    return f"""#:schema ../../kiosk/deck/card.schema.json
id = "{card_id}"
scenario = "{_sentence(rng)}"
title = "{_sentence(rng, 2, 5)[:-1]}"
label = "{label}"
summary = "{_sentence(rng)}"
urgency = "{rng.choice(URGENCIES)}"
call_emergency_if = {_items(rng, 3)}
do_not = {_items(rng, 4)}
see_doctor_if = {_items(rng, 2)}
prevention = {_items(rng, 2)}
related = [{related_list}]
keywords = [{keywords}]
reviewed = 2025-11-25
review_due = 2030-11-25

{chr(10).join(steps)}
[[sources]]
publisher = "NHS"
title = "{_sentence(rng, 2, 6)[:-1]}"
url = "https://www.nhs.uk/conditions/{card_id}/"
"""


def write_deck(directory: Path, count: int, seed: int = 1) -> list[Path]:
    """Write a deck of ``count`` English cards into ``directory``; the card paths."""
    rng = random.Random(seed)
    directory = Path(directory)
    (directory / "en").mkdir(parents=True, exist_ok=True)
    ids = [f"card-{number:05d}" for number in range(1, count + 1)]
    order = ", ".join(f'"{card_id}"' for card_id in ids)
    (directory / "deck.toml").write_text(
        f'languages = ["en"]\ndefault_language = "en"\norder = [{order}]\n', encoding="utf-8"
    )
    paths = []
    for index, card_id in enumerate(ids):
        related = [ids[(index + 1) % count]] if count > 1 else []
        path = directory / "en" / f"{card_id}.toml"
        path.write_text(card_text(card_id, rng, related), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    write_deck(Path(sys.argv[1]), int(sys.argv[2]))
