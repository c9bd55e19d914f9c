"""The clinician review document must trace every step of every card to a named source.

If a card's step text changes, this fails until ``docs/content-review.md`` is
updated, so a signed review can never silently describe different cards.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.data

REVIEW_DOC = Path(__file__).resolve().parents[2] / "docs" / "content-review.md"
Cards = dict[tuple[str, str], dict[str, Any]]


@pytest.fixture(scope="module")
def doc() -> str:
    return REVIEW_DOC.read_text(encoding="utf-8")


def source_keys(doc: str) -> set[str]:
    """Keys defined in the 'All sources' table."""
    section = doc.split("## All sources", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| ([A-Z][A-Z0-9-]+) \|", section, re.MULTILINE))


def card_section(doc: str, card_id: str) -> str:
    match = re.search(rf"^## {re.escape(card_id)}: .*?(?=^## )", doc, re.MULTILINE | re.DOTALL)
    assert match, f"no section for {card_id}"
    return match.group(0)


def step_rows(section: str) -> dict[int, list[str]]:
    """Step number -> cells of its row in the card's steps table."""
    rows = {}
    for line in section.splitlines():
        match = re.match(r"^\| (\d+) \|(.*)\|$", line)
        if match:
            rows[int(match.group(1))] = [cell.strip() for cell in match.group(2).split(" | ")]
    return rows


def test_every_card_step_is_traced_to_defined_sources(
    meta: dict[str, Any], cards: Cards, doc: str
) -> None:
    keys = source_keys(doc)
    assert keys, "the 'All sources' table is missing"
    for card_id in meta["order"]:
        section = card_section(doc, card_id)
        rows = step_rows(section)
        english, ukrainian = cards[("en", card_id)], cards[("uk", card_id)]
        assert sorted(rows) == list(range(1, len(english["steps"]) + 1)), card_id
        for number, (en_step, uk_step) in enumerate(zip(english["steps"], ukrainian["steps"]), 1):
            cells = rows[number]
            assert cells[0] == en_step["text"], f"{card_id} step {number} out of date"
            assert cells[1] == uk_step["text"], f"{card_id} step {number} (uk) out of date"
            guideline, cited = cells[-2], cells[-1]
            assert guideline, f"{card_id} step {number} has no guideline"
            cited_keys = {k.strip() for k in cited.split(",") if k.strip()}
            assert cited_keys and cited_keys <= keys, f"{card_id} step {number}: {cited}"


def test_every_do_not_line_has_a_reason(meta: dict[str, Any], cards: Cards, doc: str) -> None:
    for card_id in meta["order"]:
        section = card_section(doc, card_id)
        for line in cards[("en", card_id)]["do_not"]:
            row = re.search(rf"^\| {re.escape(line)} \| (.+?) \| (.+?) \|$", section, re.MULTILINE)
            assert row, f"{card_id}: no reason for {line!r}"


def test_every_source_url_on_a_card_is_listed(cards: Cards, doc: str) -> None:
    for (language, card_id), card in cards.items():
        for source in card["sources"]:
            assert source["url"] in doc, f"{language}/{card_id}: {source['url']}"


def test_document_has_the_seed_audit_disagreements_and_sign_off(doc: str) -> None:
    for heading in (
        "## Seed article: claims left out or contradicted",
        "## Where the sources disagree",
        "## Pages to re-check live before publishing",
        "## Sign-off",
    ):
        assert heading in doc
    sign_off = doc.split("## Sign-off", 1)[1]
    for field in ("Reviewer name", "Registration number", "Date", "Signature"):
        assert field in sign_off
    assert "one card with a step per muscle group" in doc.lower()


# Every finding of the clinical review of 2026-12-01 (shared/reviews/content-review.md): 73 IDs.
REVIEW_2026_12_01 = (
    [f"S{n}" for n in range(1, 9)]
    + [f"W{n}" for n in range(1, 8)]
    + [f"H{n}" for n in range(1, 8)]
    + [f"F{n}" for n in range(1, 6)]
    + [f"L{n}" for n in range(1, 6)]
    + ["Ft1", "Ft2", "Hd1", "Hd2", "Hd3", "Hd4", "N1", "N2", "N3"]
    + [f"P{n}" for n in range(1, 6)]
    + ["X1", "X2"]
    + [f"U{n}" for n in range(1, 26)]
)
SEVERITIES = ("DANGEROUS", "WRONG", "MISSING", "UNCLEAR", "NITPICK")


def finding_rows(doc: str) -> dict[str, str]:
    """Finding ID -> what the document says was done, from the '| ID | SEVERITY | ... |' rows."""
    pattern = rf"^\| ([A-Z][a-z]?\d+) \| ({'|'.join(SEVERITIES)}) \| (.+) \|$"
    return {m.group(1): m.group(3) for m in re.finditer(pattern, doc, re.MULTILINE)}


def test_every_review_finding_is_recorded_with_what_was_done(doc: str) -> None:
    assert len(REVIEW_2026_12_01) == 73
    rows = finding_rows(doc)
    missing = [finding for finding in REVIEW_2026_12_01 if finding not in rows]
    assert not missing, f"findings with no row in docs/content-review.md: {missing}"
    for finding, done in rows.items():
        assert re.match(r"(New card|Fixed|Not changed|No change needed|Kept|Content side)", done), (
            finding,
            done,
        )


def test_a_finding_without_a_row_is_caught() -> None:
    assert "S1" not in finding_rows("| S2 | MISSING | Fixed: step 1. |")
    assert finding_rows("| Hd1 | MISSING | Fixed: step 7. |") == {"Hd1": "Fixed: step 7."}
